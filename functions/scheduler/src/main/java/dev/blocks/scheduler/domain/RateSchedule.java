package dev.blocks.scheduler.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every {@code period} from {@code anchor} (the job's creation): {@code rate(5 minutes)}, EventBridge's syntax
 * with minute, hour and day units. Elapsed time, so daylight saving time does not move it.
 */
public record RateSchedule(String expression, Duration period, Instant anchor) implements Schedule {

    private static final Pattern RATE = Pattern.compile("rate\\((\\d{1,6}) (minute|minutes|hour|hours|day|days)\\)");

    /** @throws IllegalArgumentException with the reason when {@code expression} is not a rate expression */
    public static RateSchedule parse(String expression, Instant anchor) {
        Matcher m = RATE.matcher(expression == null ? "" : expression.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected rate(<n> minute(s)|hour(s)|day(s)), e.g. rate(5 minutes)");
        }
        long value = Long.parseLong(m.group(1));
        String unit = m.group(2);
        if (value < 1) {
            throw new IllegalArgumentException("a rate must be at least 1");
        }
        if (unit.endsWith("s") != (value > 1)) {
            throw new IllegalArgumentException("use a singular unit for 1 and a plural one above (rate(1 minute), rate(5 minutes))");
        }
        Duration unitLength = switch (unit.replaceAll("s$", "")) {
            case "minute" -> Duration.ofMinutes(1);
            case "hour" -> Duration.ofHours(1);
            default -> Duration.ofDays(1);
        };
        return new RateSchedule(expression.strip(), unitLength.multipliedBy(value), anchor);
    }

    @Override
    public Optional<Instant> nextAfter(Instant after) {
        if (after.isBefore(anchor)) {
            return Optional.of(anchor.plus(period));
        }
        long periods = Duration.between(anchor, after).toMillis() / period.toMillis() + 1;
        return Optional.of(anchor.plus(period.multipliedBy(periods)));
    }

    @Override
    public Optional<Instant> first(Instant now) {
        return nextAfter(now);
    }

    @Override
    public boolean recurring() {
        return true;
    }
}

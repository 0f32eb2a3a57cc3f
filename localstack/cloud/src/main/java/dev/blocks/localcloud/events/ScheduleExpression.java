package dev.blocks.localcloud.events;

import com.cronutils.model.definition.CronConstraintsFactory;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge schedule expression: {@code rate(value unit)}, {@code cron(minutes hours day-of-month month
 * day-of-week year)} or EventBridge Scheduler's one-time {@code at(yyyy-mm-ddThh:mm:ss)}, evaluated in UTC. Besides EventBridge's minute, hour and day rates, {@code rate(N second)}
 * and {@code rate(N seconds)} are accepted so that tests need not wait a minute.
 */
sealed interface ScheduleExpression permits ScheduleExpression.Rate, ScheduleExpression.Cron, ScheduleExpression.At {

    /** The first tick strictly after {@code previous} (the start, or the previous tick). */
    Instant nextAfter(Instant previous);

    static ScheduleExpression parse(String expression) {
        String text = expression == null ? "" : expression.strip();
        if (text.startsWith("rate(")) {
            return Rate.parse(text);
        }
        if (text.startsWith("cron(")) {
            return Cron.parse(text);
        }
        if (text.startsWith("at(")) {
            return At.parse(text);
        }
        throw new IllegalArgumentException("not an EventBridge schedule expression: " + expression);
    }

    /** A fixed period; ticks fall at whole periods after the start. */
    record Rate(Duration period) implements ScheduleExpression {

        private static final Pattern RATE =
                Pattern.compile("rate\\((\\d+) (second|seconds|minute|minutes|hour|hours|day|days)\\)");

        static Rate parse(String text) {
            Matcher m = RATE.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a rate expression (rate(1 minute), rate(5 minutes), "
                        + "rate(1 hour), rate(2 days), ...): " + text);
            }
            long value = Long.parseLong(m.group(1));
            String unit = m.group(2);
            if (value <= 0) {
                throw new IllegalArgumentException("a rate must be positive: " + text);
            }
            boolean plural = unit.endsWith("s");
            // EventBridge rejects "rate(1 minutes)" and "rate(5 minute)"; the seconds extension is lenient.
            if (!unit.startsWith("second") && plural != (value > 1)) {
                throw new IllegalArgumentException("EventBridge wants a singular unit for 1 and a plural one "
                        + "above: " + text);
            }
            ChronoUnit chrono = switch (unit.replaceAll("s$", "")) {
                case "second" -> ChronoUnit.SECONDS;
                case "minute" -> ChronoUnit.MINUTES;
                case "hour" -> ChronoUnit.HOURS;
                default -> ChronoUnit.DAYS;
            };
            return new Rate(chrono.getDuration().multipliedBy(value));
        }

        @Override
        public Instant nextAfter(Instant previous) {
            return previous.plus(period);
        }
    }

    /** An EventBridge cron expression (Quartz-like without seconds, with a year, UTC). */
    record Cron(String expression, ExecutionTime executionTime) implements ScheduleExpression {

        private static final Pattern CRON = Pattern.compile("cron\\((.+)\\)");
        private static final CronParser PARSER = new CronParser(eventBridge());

        static Cron parse(String text) {
            Matcher m = CRON.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a cron expression: " + text);
            }
            String fields = m.group(1).strip();
            if (fields.split("\\s+").length != 6) {
                throw new IllegalArgumentException("an EventBridge cron expression has six fields (minutes hours "
                        + "day-of-month month day-of-week year): " + text);
            }
            com.cronutils.model.Cron cron;
            try {
                cron = PARSER.parse(fields).validate();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid EventBridge cron expression " + text + ": "
                        + e.getMessage(), e);
            }
            return new Cron(text, ExecutionTime.forCron(cron));
        }

        @Override
        public Instant nextAfter(Instant previous) {
            return executionTime.nextExecution(ZonedDateTime.ofInstant(previous, ZoneOffset.UTC))
                    .map(ZonedDateTime::toInstant)
                    .orElse(Instant.MAX);
        }

        /**
         * EventBridge's cron fields: Quartz's without seconds, a required year (1970-2199), day-of-week 1-7 or
         * SUN-SAT with 1 = Sunday, and exactly one of day-of-month and day-of-week set to {@code ?}.
         */
        private static CronDefinition eventBridge() {
            return CronDefinitionBuilder.defineCron()
                    .withMinutes().withValidRange(0, 59).withStrictRange().and()
                    .withHours().withValidRange(0, 23).withStrictRange().and()
                    .withDayOfMonth().withValidRange(1, 31).supportsL().supportsW().supportsLW()
                    .supportsQuestionMark().and()
                    .withMonth().withValidRange(1, 12).and()
                    .withDayOfWeek().withValidRange(1, 7).withMondayDoWValue(2).supportsHash().supportsL()
                    .supportsQuestionMark().and()
                    .withYear().withValidRange(1970, 2199).and()
                    .withCronValidation(CronConstraintsFactory.ensureEitherDayOfWeekOrDayOfMonth())
                    .instance();
        }
    }

    /** A one-time schedule: one tick at the time, none if that time has passed (as Scheduler does not catch up). */
    record At(Instant time) implements ScheduleExpression {

        private static final Pattern AT = Pattern.compile("at\\((\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})\\)");

        static At parse(String text) {
            Matcher m = AT.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a one-time expression (at(2026-12-31T23:59:00), no zone, no"
                        + " fraction): " + text);
            }
            try {
                return new At(java.time.LocalDateTime.parse(m.group(1)).toInstant(ZoneOffset.UTC));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("not a valid date and time: " + text, e);
            }
        }

        @Override
        public Instant nextAfter(Instant previous) {
            return time.isAfter(previous) ? time : Instant.MAX;
        }
    }
}

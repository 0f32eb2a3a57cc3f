package dev.blocks.localcloud.junit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assertions;

/**
 * The outcome of one fault-injection scenario: what a test sent, what arrived, what was lost (sent, never arrived) and
 * what was duplicated (arrivals beyond the first of each id). Every fault test reports through here so that CI logs
 * carry one line per scenario in one format, {@code [fault] <scenario>: sent N, arrived N, lost N, duplicated N}, and
 * so that "nothing lost" is asserted the same way everywhere.
 */
public record FaultReport(String scenario, long sent, long arrived, long lost, long duplicated, List<String> lostIds,
        List<String> duplicatedIds) {

    /** How many lost or duplicated ids the line names (enough to start an investigation, short enough to read). */
    private static final int NAMED = 10;

    public FaultReport {
        lostIds = List.copyOf(lostIds);
        duplicatedIds = List.copyOf(duplicatedIds);
    }

    /**
     * Compares the ids a test sent with every arrival it saw (one entry per raw arrival, so an id seen twice appears
     * twice); arrivals of ids never sent count as arrived but not as duplicates. Prints the line and fails the test
     * when anything sent was lost; {@code details} (e.g. "refused 3 with 503") is appended to the line.
     */
    public static FaultReport of(String scenario, Collection<String> sentIds, Collection<String> arrivals,
            String details) {
        Set<String> sent = new LinkedHashSet<>(sentIds);
        Map<String, Integer> seen = new HashMap<>();
        for (String id : arrivals) {
            seen.merge(id, 1, Integer::sum);
        }
        List<String> lost = new ArrayList<>();
        for (String id : sent) {
            if (!seen.containsKey(id)) {
                lost.add(id);
            }
        }
        List<String> duplicated = new ArrayList<>();
        long extra = 0;
        for (Map.Entry<String, Integer> entry : seen.entrySet()) {
            if (entry.getValue() > 1) {
                duplicated.add(entry.getKey());
                extra += entry.getValue() - 1;
            }
        }
        return report(new FaultReport(scenario, sent.size(), seen.size(), lost.size(), extra, lost, duplicated),
                details);
    }

    /** For scenarios that count rather than name what they sent (e.g. rate-limit checks): prints and asserts the same. */
    public static FaultReport ofCounts(String scenario, long sent, long arrived, long lost, long duplicated,
            String details) {
        return report(new FaultReport(scenario, sent, arrived, lost, duplicated, List.of(), List.of()), details);
    }

    /** Fails unless no id arrived twice: for effects the design promises exactly once. */
    public FaultReport assertNoDuplicates() {
        Assertions.assertEquals(0, duplicated,
                () -> "[fault] " + scenario + ": duplicated " + duplicated + " " + named(duplicatedIds));
        return this;
    }

    /** The line every fault scenario prints. */
    public String line() {
        return "[fault] " + scenario + ": sent " + sent + ", arrived " + arrived + ", lost " + lost + ", duplicated "
                + duplicated;
    }

    private static FaultReport report(FaultReport report, String details) {
        String line = report.line() + (details == null || details.isBlank() ? "" : " (" + details + ")");
        if (!report.lostIds.isEmpty()) {
            line += " lost ids " + named(report.lostIds);
        }
        System.out.println(line);
        String printed = line;
        Assertions.assertEquals(0, report.lost, () -> printed);
        return report;
    }

    private static String named(List<String> ids) {
        return ids.size() <= NAMED ? ids.toString() : ids.subList(0, NAMED) + " and " + (ids.size() - NAMED) + " more";
    }
}

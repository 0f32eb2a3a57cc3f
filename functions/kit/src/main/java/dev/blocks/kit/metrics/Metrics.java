package dev.blocks.kit.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The function's metrics, written as CloudWatch Embedded Metric Format lines on stdout: Lambda ships stdout to
 * CloudWatch Logs, which turns each line into metric data points, so nothing on the request path calls the
 * CloudWatch API. Every metric goes under the namespace of the deployment (its prefix) with one dimension,
 * {@code function} = the role, so two deployments in one account never mix their figures.
 *
 * <p>Counters ({@link #increment}, {@link #add}) and distributions in milliseconds ({@link #record}) are kept in
 * memory; a line carries what changed since the previous line (deltas: CloudWatch sums them per period), at most
 * once per interval ({@link #flushIfDue}) so a busy function does not write a line per request, and nothing when
 * nothing changed so an idle or broken function does not flood its log. A distribution is written in EMF's
 * histogram form, {@code {"Values":[...],"Counts":[...],"Max":..,"Min":..,"Count":..,"Sum":..}}: each distinct
 * value once with how often it occurred, which is what CloudWatch needs to compute percentiles (p99) over the
 * period, and the statistic set of the same observations. EMF takes at most 100 metrics per directive and
 * 100 values per metric, so more than that is spread over several lines, never dropped.
 */
public final class Metrics {

    /** EMF's limit of metric definitions in one directive. */
    static final int MAX_METRICS_PER_LINE = 100;
    /** EMF's limit of values of one metric in one line. */
    static final int MAX_VALUES_PER_METRIC = 100;
    /** The one dimension: the function's role ({@code BLOCKS_FUNCTION}). */
    static final String DIMENSION = "function";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String namespace;
    private final String function;
    private final long intervalNanos;
    private final PrintStream out;
    private final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Distribution> distributions = new ConcurrentHashMap<>();
    private final List<Supplier<Map<String, Long>>> runningTotals = new CopyOnWriteArrayList<>();
    /** Totals as of the last line, per counter; guarded by {@code this}. */
    private final Map<String, Long> published = new HashMap<>();
    private volatile long lastFlush = System.nanoTime();

    /**
     * @param namespace CloudWatch namespace: the deployment's prefix
     * @param function  value of the {@code function} dimension: the role
     * @param interval  shortest time between two lines written by {@link #flushIfDue()}
     * @param out       where the lines go (stdout in Lambda)
     */
    public Metrics(String namespace, String function, Duration interval, PrintStream out) {
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("a metrics namespace must not be blank");
        }
        this.namespace = namespace;
        this.function = function;
        this.intervalNanos = interval.toNanos();
        this.out = out;
    }

    public void increment(String name) {
        add(name, 1);
    }

    public void add(String name, long amount) {
        counters.computeIfAbsent(checked(name), n -> new LongAdder()).add(amount);
    }

    /** One observation of a duration (or lateness) in milliseconds; percentiles are computed by CloudWatch. */
    public void record(String name, long millis) {
        distributions.computeIfAbsent(checked(name), n -> new Distribution()).record(millis);
    }

    /**
     * Counters kept elsewhere as running totals (a rate limiter's), written through this writer: each line carries
     * how much each moved since the previous one. Totals of the same name from several sources are summed.
     */
    public void includeTotals(Supplier<Map<String, Long>> totals) {
        runningTotals.add(totals);
    }

    /** Everything counted under {@code name} since start (for tests and benchmarks). */
    public long total(String name) {
        return totals().getOrDefault(name, 0L);
    }

    /** How many observations {@link #record} took under {@code name} since start (for tests). */
    public long recorded(String name) {
        Distribution distribution = distributions.get(name);
        return distribution == null ? 0 : distribution.recorded();
    }

    /** Writes what changed since the last line, if the interval has passed since then. Cheap when it has not. */
    public void flushIfDue() {
        if (System.nanoTime() - lastFlush < intervalNanos) {
            return;
        }
        synchronized (this) {
            if (System.nanoTime() - lastFlush >= intervalNanos) {
                write();
            }
        }
    }

    /** Writes what changed since the last line now (at shutdown, or at the end of a test). */
    public synchronized void flush() {
        write();
    }

    private void write() {
        lastFlush = System.nanoTime();
        List<Piece> pieces = new ArrayList<>();
        totals().forEach((name, total) -> {
            long delta = total - published.getOrDefault(name, 0L);
            published.put(name, total);
            if (delta > 0) {
                pieces.add(new Piece(name, "Count", NODES.numberNode(delta)));
            }
        });
        new TreeMap<>(distributions).forEach((name, distribution) -> {
            List<Map.Entry<Long, Long>> entries = new ArrayList<>(distribution.drain().entrySet());
            for (int from = 0; from < entries.size(); from += MAX_VALUES_PER_METRIC) {
                List<Map.Entry<Long, Long>> chunk = entries.subList(from, Math.min(entries.size(), from + MAX_VALUES_PER_METRIC));
                ObjectNode value = NODES.objectNode();
                ArrayNode values = value.putArray("Values");
                ArrayNode counts = value.putArray("Counts");
                long count = 0;
                long sum = 0;
                for (Map.Entry<Long, Long> entry : chunk) {
                    values.add(entry.getKey());
                    counts.add(entry.getValue());
                    count += entry.getValue();
                    sum += entry.getKey() * entry.getValue();
                }
                // The statistic set of the same observations, which EMF's histogram form carries beside them.
                value.put("Max", chunk.get(chunk.size() - 1).getKey());
                value.put("Min", chunk.get(0).getKey());
                value.put("Count", count);
                value.put("Sum", sum);
                pieces.add(new Piece(name, "Milliseconds", value));
            }
        });
        for (Map<String, Piece> line : lines(pieces)) {
            out.println(line(line));
        }
    }

    /** Packs pieces into as few lines as EMF allows: a name at most once per line, at most 100 metrics each. */
    private static List<Map<String, Piece>> lines(List<Piece> pieces) {
        List<Map<String, Piece>> lines = new ArrayList<>();
        for (Piece piece : pieces) {
            Map<String, Piece> target = null;
            for (Map<String, Piece> line : lines) {
                if (line.size() < MAX_METRICS_PER_LINE && !line.containsKey(piece.name())) {
                    target = line;
                    break;
                }
            }
            if (target == null) {
                target = new LinkedHashMap<>();
                lines.add(target);
            }
            target.put(piece.name(), piece);
        }
        return lines;
    }

    private String line(Map<String, Piece> pieces) {
        ObjectNode root = NODES.objectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", System.currentTimeMillis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        directive.putArray("Dimensions").addArray().add(DIMENSION);
        ArrayNode definitions = directive.putArray("Metrics");
        root.put(DIMENSION, function);
        pieces.values().forEach(piece -> {
            definitions.addObject().put("Name", piece.name()).put("Unit", piece.unit());
            root.set(piece.name(), piece.value());
        });
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serializes", e);
        }
    }

    private Map<String, Long> totals() {
        Map<String, Long> totals = new TreeMap<>();
        counters.forEach((name, adder) -> totals.put(name, adder.sum()));
        for (Supplier<Map<String, Long>> source : runningTotals) {
            source.get().forEach((name, total) -> totals.merge(name, total, Long::sum));
        }
        return totals;
    }

    private static String checked(String name) {
        if (name == null || name.isBlank() || name.equals(DIMENSION) || name.equals("_aws")) {
            throw new IllegalArgumentException("not a metric name: " + name);
        }
        return name;
    }

    /** One metric's value in one line. */
    private record Piece(String name, String unit, JsonNode value) {}

    /** Observations since the last line, each distinct value with its count; few and short-lived, so a lock is fine. */
    private static final class Distribution {

        private TreeMap<Long, Long> pending = new TreeMap<>();
        private long recorded;

        synchronized void record(long millis) {
            pending.merge(millis, 1L, Long::sum);
            recorded++;
        }

        synchronized TreeMap<Long, Long> drain() {
            TreeMap<Long, Long> drained = pending;
            pending = new TreeMap<>();
            return drained;
        }

        synchronized long recorded() {
            return recorded;
        }
    }
}

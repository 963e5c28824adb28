package dev.mockstorage.internal.observe;

import dev.mockstorage.stats.ServerStats;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The server's Prometheus metrics. Requests and third-party fetches are counted here, per request, in
 * adders bound once per (operation, status); the Prometheus registry (of its own, never the library's
 * static default: many servers share a JVM) is built on the first scrape, with collectors that read
 * those adders and gauges that read one {@link ServerStats} snapshot taken per scrape, and the client
 * library's JVM metrics. So a server that is never scraped loads none of the client library's classes:
 * a start does not pay for them, and the request path is a few adder increments.
 *
 * <p>Metric names are listed in README "Metrics" and used by {@code docs/grafana-dashboard.json}.
 */
public final class Metrics implements Consumer<RequestEvent> {
    /** Content type of {@link #scrape()}: the Prometheus text format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Latency buckets (seconds): fine below a millisecond, where a local test server lives. */
    static final double[] LATENCY_BUCKETS = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
    };

    private static final double NANOS_PER_SECOND = 1e9;
    private static final String[] FETCH_OUTCOMES = {"hit", "miss", "error"};

    private final ConcurrentHashMap<String, Operation> operations = new ConcurrentHashMap<>();
    /** Third-party fetch latencies by outcome, in the order of {@link #FETCH_OUTCOMES}. */
    private final Latencies[] fetches = {new Latencies(), new Latencies(), new Latencies()};

    private final Supplier<ServerStats> stats;
    private volatile ServerStats current;
    /** Built on the first scrape; guarded by {@code this}. */
    private PrometheusRegistry registry;

    /** @param stats figures for the gauges, taken once per scrape */
    public Metrics(Supplier<ServerStats> stats) {
        this.stats = stats;
    }

    @Override
    public void accept(RequestEvent e) {
        Operation o = operations.get(e.operation());
        if (o == null) {
            o = operations.computeIfAbsent(e.operation(), k -> new Operation());
        }
        Operation.PerStatus s = o.status(e.status());
        s.count.increment();
        s.duration.observe(e.durationNanos() / NANOS_PER_SECOND);
        if (e.bytesIn() > 0) {
            o.in.add(e.bytesIn());
        }
        if (e.bytesOut() > 0) {
            o.out.add(e.bytesOut());
        }
    }

    /**
     * Hook for the third-party read-through: one fetch's latency and outcome ({@code hit},
     * {@code miss} or {@code error}). Counts come from {@link ServerStats#thirdParty()}.
     */
    public void thirdPartyFetch(String outcome, long nanos) {
        for (int i = 0; i < FETCH_OUTCOMES.length; i++) {
            if (FETCH_OUTCOMES[i].equals(outcome)) {
                fetches[i].observe(nanos / NANOS_PER_SECOND);
                return;
            }
        }
        throw new IllegalArgumentException("unknown third-party fetch outcome " + outcome);
    }

    /** Every metric in the Prometheus text format 0.0.4. */
    public byte[] scrape() {
        synchronized (this) {
            if (registry == null) {
                registry = registry();
            }
            current = stats.get();
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
                PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
                return out.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                current = null;
            }
        }
    }

    private ServerStats snapshot() {
        ServerStats s = current;
        return s != null ? s : stats.get();
    }

    /** Requests answered by operation and status, from the request counters; sorted. */
    public List<ServerStats.Requests> requestCounts() {
        List<ServerStats.Requests> out = new ArrayList<>();
        operations.forEach((operation, o) -> o.forEachStatus((status, s) -> {
            long count = s.count.sum();
            if (count > 0) {
                out.add(new ServerStats.Requests(operation, status, count));
            }
        }));
        out.sort(Comparator.comparing(ServerStats.Requests::operation).thenComparingInt(ServerStats.Requests::status));
        return out;
    }

    /** The registry every scrape reads: collectors over the adders, then the gauges over one stats snapshot. */
    private PrometheusRegistry registry() {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(() -> {
            CounterSnapshot.Builder b = CounterSnapshot.builder()
                    .name("mockstorage_requests")
                    .help("Requests answered, by API operation and HTTP status");
            operations.forEach((operation, o) ->
                    o.forEachStatus((status, s) -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                            .labels(Labels.of("operation", operation, "status", Integer.toString(status)))
                            .value(s.count.sum())
                            .build())));
            return b.build();
        });
        registry.register(() -> {
            HistogramSnapshot.Builder b = HistogramSnapshot.builder()
                    .name("mockstorage_request_duration_seconds")
                    .help("Time from the request head to the last response byte, by API operation and HTTP status");
            operations.forEach((operation, o) -> o.forEachStatus((status, s) -> b.dataPoint(
                    s.duration.snapshot(Labels.of("operation", operation, "status", Integer.toString(status))))));
            return b.build();
        });
        registry.register(() -> bytes(
                "mockstorage_received_bytes", "Request body bytes received (decoded payload), by API operation", true));
        registry.register(() -> bytes("mockstorage_sent_bytes", "Response body bytes sent, by API operation", false));
        registry.register(() -> {
            HistogramSnapshot.Builder b = HistogramSnapshot.builder()
                    .name("mockstorage_thirdparty_fetch_duration_seconds")
                    .help("Time to fetch an object from the third-party store, by outcome (hit, miss, error)");
            for (int i = 0; i < FETCH_OUTCOMES.length; i++) {
                b.dataPoint(fetches[i].snapshot(Labels.of("outcome", FETCH_OUTCOMES[i])));
            }
            return b.build();
        });

        GaugeWithCallback.builder()
                .name("mockstorage_objects")
                .help("Objects stored (current versions), by bucket")
                .labelNames("bucket")
                .callback(cb -> snapshot().buckets().forEach(b -> cb.call(b.objects(), b.name())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("mockstorage_stored_bytes")
                .help("Bytes of the objects stored, by bucket")
                .labelNames("bucket")
                .callback(cb -> snapshot().buckets().forEach(b -> cb.call(b.bytes(), b.name())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("mockstorage_node_up")
                .help("1 when the storage node is usable, else 0")
                .labelNames("node")
                .callback(cb -> snapshot().nodes().forEach(n -> cb.call("UP".equals(n.state()) ? 1 : 0, n.id())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("mockstorage_node_blobs")
                .help("Blob files (object replicas) on the storage node")
                .labelNames("node")
                .callback(cb -> snapshot().nodes().forEach(n -> cb.call(n.blobs(), n.id())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("mockstorage_node_bytes")
                .help("Bytes of the blob files on the storage node")
                .labelNames("node")
                .callback(cb -> snapshot().nodes().forEach(n -> cb.call(n.bytes(), n.id())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("mockstorage_node_disk_total_bytes")
                .help("Size of the file system holding the node")
                .labelNames("node")
                .callback(cb -> snapshot().nodes().forEach(n -> cb.call(n.diskTotalBytes(), n.id())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("mockstorage_node_disk_usable_bytes")
                .help("Free bytes usable on the node's file system")
                .labelNames("node")
                .callback(cb -> snapshot().nodes().forEach(n -> cb.call(n.diskUsableBytes(), n.id())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("mockstorage_queue_depth")
                .help("Open (pending or running) background tasks")
                .callback(cb -> cb.call(snapshot().queue().depth()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("mockstorage_queue_capacity")
                .help("Most open tasks before writers wait (queue.size)")
                .callback(cb -> cb.call(snapshot().queue().capacity()))
                .register(registry);
        CounterWithCallback.builder()
                .name("mockstorage_queue_tasks_total")
                .help("Background task outcomes since start: done, failed (parked after the last attempt), retried")
                .labelNames("outcome")
                .callback(cb -> {
                    ServerStats.Queue q = snapshot().queue();
                    cb.call(q.done(), "done");
                    cb.call(q.failed(), "failed");
                    cb.call(q.retried(), "retried");
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("mockstorage_thirdparty_fetches_total")
                .help("Third-party read-through lookups since start, by outcome (hit, miss, error)")
                .labelNames("outcome")
                .callback(cb -> {
                    ServerStats.ThirdParty t = snapshot().thirdParty();
                    cb.call(t.hits(), "hit");
                    cb.call(t.misses(), "miss");
                    cb.call(t.errors(), "error");
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("mockstorage_consistency_checks_total")
                .help("Consistency checks run since start")
                .callback(cb -> cb.call(snapshot().consistency().checks()))
                .register(registry);
        CounterWithCallback.builder()
                .name("mockstorage_consistency_findings_total")
                .help("Consistency check findings since start, by kind")
                .labelNames("kind")
                .callback(cb -> snapshot().consistency().findingsByKind().forEach((k, v) -> cb.call(v, k)))
                .register(registry);
        CounterWithCallback.builder()
                .name("mockstorage_consistency_repairs_total")
                .help("Findings the consistency check repaired since start")
                .callback(cb -> cb.call(snapshot().consistency().repairs()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("mockstorage_consistency_last_check_timestamp_seconds")
                .help("When the last consistency check started (epoch seconds; 0: none yet)")
                .callback(cb -> {
                    Instant at = snapshot().consistency().lastCheckAt();
                    cb.call(at == null ? 0 : at.toEpochMilli() / 1000.0);
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("mockstorage_damaged_objects")
                .help("Objects marked damaged: no intact replica on any node (GET/HEAD answer 500)")
                .callback(cb -> cb.call(snapshot().consistency().damagedObjects()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("mockstorage_waiting_repairs")
                .help("Replica repairs waiting for a storage node to return")
                .callback(cb -> cb.call(snapshot().consistency().waitingRepairs()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("mockstorage_uptime_seconds")
                .help("Seconds since the server started")
                .callback(cb -> cb.call(snapshot().uptimeMillis() / 1000.0))
                .register(registry);
        JvmMetrics.builder().register(registry);
        return registry;
    }

    private CounterSnapshot bytes(String name, String help, boolean in) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        operations.forEach((operation, o) -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(Labels.of("operation", operation))
                .value((in ? o.in : o.out).sum())
                .build()));
        return b.build();
    }

    /** One operation's byte counters and, bound on first use, its per-status request counter and latencies. */
    private static final class Operation {
        final LongAdder in = new LongAdder();
        final LongAdder out = new LongAdder();
        final AtomicReferenceArray<PerStatus> byStatus = new AtomicReferenceArray<>(600);
        /** Statuses outside 0..599 (none an HTTP server answers; kept apart rather than lost). */
        final Map<Integer, PerStatus> odd = new ConcurrentHashMap<>();

        PerStatus status(int status) {
            if (status < 0 || status >= 600) {
                return odd.computeIfAbsent(status, k -> new PerStatus());
            }
            PerStatus s = byStatus.get(status);
            if (s == null) {
                s = new PerStatus();
                if (!byStatus.compareAndSet(status, null, s)) {
                    s = byStatus.get(status);
                }
            }
            return s;
        }

        void forEachStatus(StatusConsumer action) {
            for (int i = 0; i < byStatus.length(); i++) {
                PerStatus s = byStatus.get(i);
                if (s != null) {
                    action.accept(i, s);
                }
            }
            odd.forEach(action::accept);
        }

        interface StatusConsumer {
            void accept(int status, PerStatus s);
        }

        record PerStatus(LongAdder count, Latencies duration) {
            PerStatus() {
                this(new LongAdder(), new Latencies());
            }
        }
    }

    /** A classic histogram over {@link #LATENCY_BUCKETS} (and +Inf): a count per bucket and the sum. */
    static final class Latencies {
        private final LongAdder[] counts = new LongAdder[LATENCY_BUCKETS.length + 1];
        private final DoubleAdder sum = new DoubleAdder();

        Latencies() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        /** Counts {@code seconds} in the first bucket whose upper bound is at least it (Prometheus' {@code le}). */
        void observe(double seconds) {
            int i = 0;
            while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]) {
                i++;
            }
            counts[i].increment();
            sum.add(seconds);
        }

        HistogramSnapshot.HistogramDataPointSnapshot snapshot(Labels labels) {
            double[] bounds = new double[counts.length];
            long[] perBucket = new long[counts.length];
            for (int i = 0; i < counts.length; i++) {
                bounds[i] = i < LATENCY_BUCKETS.length ? LATENCY_BUCKETS[i] : Double.POSITIVE_INFINITY;
                perBucket[i] = counts[i].sum();
            }
            return HistogramSnapshot.HistogramDataPointSnapshot.builder()
                    .labels(labels)
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, perBucket))
                    .sum(sum.sum())
                    .build();
        }
    }
}

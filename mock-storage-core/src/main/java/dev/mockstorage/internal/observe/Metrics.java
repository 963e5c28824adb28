package dev.mockstorage.internal.observe;

import dev.mockstorage.stats.ServerStats;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The server's Prometheus metrics, in a registry of its own (never the library's static default:
 * many servers share a JVM). Request metrics are updated per request through label children bound
 * once per (operation, status); storage, queue and third-party figures are read from one
 * {@link ServerStats} snapshot taken per scrape. The client library's JVM metrics join the registry
 * on the first scrape (keeps them off the start-up path).
 *
 * <p>Metric names are listed in README "Metrics" and used by {@code docs/grafana-dashboard.json}.
 */
public final class Metrics implements Consumer<RequestEvent> {
    /** Content type of {@link #scrape()}. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
    /** Latency buckets (seconds): fine below a millisecond, where a local test server lives. */
    static final double[] LATENCY_BUCKETS = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
    };

    private static final double NANOS_PER_SECOND = 1e9;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram duration;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Histogram thirdPartyDuration;
    private final ConcurrentHashMap<String, Bound> bound = new ConcurrentHashMap<>();
    private final Supplier<ServerStats> stats;
    private volatile ServerStats current;
    private boolean jvmRegistered;

    /** @param stats figures for the gauges, taken once per scrape */
    public Metrics(Supplier<ServerStats> stats) {
        this.stats = stats;
        requests = Counter.builder()
                .name("mockstorage_requests_total")
                .help("Requests answered, by API operation and HTTP status")
                .labelNames("operation", "status")
                .withoutExemplars()
                .register(registry);
        duration = Histogram.builder()
                .name("mockstorage_request_duration_seconds")
                .help("Time from the request head to the last response byte, by API operation and HTTP status")
                .labelNames("operation", "status")
                .classicOnly()
                .classicUpperBounds(LATENCY_BUCKETS)
                .withoutExemplars()
                .register(registry);
        bytesIn = Counter.builder()
                .name("mockstorage_received_bytes_total")
                .help("Request body bytes received (decoded payload), by API operation")
                .labelNames("operation")
                .withoutExemplars()
                .register(registry);
        bytesOut = Counter.builder()
                .name("mockstorage_sent_bytes_total")
                .help("Response body bytes sent, by API operation")
                .labelNames("operation")
                .withoutExemplars()
                .register(registry);
        thirdPartyDuration = Histogram.builder()
                .name("mockstorage_thirdparty_fetch_duration_seconds")
                .help("Time to fetch an object from the third-party store, by outcome (hit, miss, error)")
                .labelNames("outcome")
                .classicOnly()
                .classicUpperBounds(LATENCY_BUCKETS)
                .withoutExemplars()
                .register(registry);
        for (String outcome : new String[] {"hit", "miss", "error"}) {
            thirdPartyDuration.labelValues(outcome); // series exist (at zero) before the first fetch
        }

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
    }

    @Override
    public void accept(RequestEvent e) {
        Bound b = bound.get(e.operation());
        if (b == null) {
            b = bound.computeIfAbsent(e.operation(), Bound::new);
        }
        int status = e.status();
        Bound.PerStatus s = b.status(status);
        s.count.inc();
        s.duration.observe(e.durationNanos() / NANOS_PER_SECOND);
        if (e.bytesIn() > 0) {
            b.in.inc(e.bytesIn());
        }
        if (e.bytesOut() > 0) {
            b.out.inc(e.bytesOut());
        }
    }

    /**
     * Hook for the third-party read-through: one fetch's latency and outcome ({@code hit},
     * {@code miss} or {@code error}). Counts come from {@link ServerStats#thirdParty()}.
     */
    public void thirdPartyFetch(String outcome, long nanos) {
        thirdPartyDuration.labelValues(outcome).observe(nanos / NANOS_PER_SECOND);
    }

    /** The registry (tests, and for more collectors). */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** Every metric in the Prometheus text format 0.0.4. */
    public byte[] scrape() {
        synchronized (this) {
            if (!jvmRegistered) {
                jvmRegistered = true;
                JvmMetrics.builder().register(registry);
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

    /** Requests answered by operation and status, from the request counter; sorted. */
    public List<ServerStats.Requests> requestCounts() {
        List<ServerStats.Requests> out = new ArrayList<>();
        CounterSnapshot snap = requests.collect();
        for (CounterSnapshot.CounterDataPointSnapshot p : snap.getDataPoints()) {
            Labels l = p.getLabels();
            out.add(new ServerStats.Requests(
                    l.get("operation"), Integer.parseInt(l.get("status")), (long) p.getValue()));
        }
        out.sort(Comparator.comparing(ServerStats.Requests::operation).thenComparingInt(ServerStats.Requests::status));
        return out;
    }

    /** Label children bound once per operation, and per status on first use. */
    private final class Bound {
        final CounterDataPoint in;
        final CounterDataPoint out;
        final String operation;
        final AtomicReferenceArray<PerStatus> byStatus = new AtomicReferenceArray<>(600);

        Bound(String operation) {
            this.operation = operation;
            this.in = bytesIn.labelValues(operation);
            this.out = bytesOut.labelValues(operation);
        }

        PerStatus status(int status) {
            int i = status >= 0 && status < 600 ? status : 0;
            PerStatus s = byStatus.get(i);
            if (s == null) {
                String label = Integer.toString(status);
                s = new PerStatus(requests.labelValues(operation, label), duration.labelValues(operation, label));
                if (!byStatus.compareAndSet(i, null, s)) {
                    s = byStatus.get(i);
                }
            }
            return s;
        }

        private record PerStatus(CounterDataPoint count, DistributionDataPoint duration) {}
    }
}

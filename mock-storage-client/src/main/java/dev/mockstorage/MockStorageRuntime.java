package dev.mockstorage;

import dev.mockstorage.journal.RequestJournal;
import dev.mockstorage.stats.ConsistencyReport;
import dev.mockstorage.stats.ServerStats;
import dev.mockstorage.thirdparty.ThirdParty;
import java.net.URI;
import java.time.Duration;

/**
 * The handle a test holds on a running mock-storage, whatever runs it: in this JVM
 * ({@code dev.mockstorage.server.MockStorageServer} of {@code mock-storage-core}, also what
 * {@code @MockStorage} injects) or in a Docker container ({@code MockStorageContainer.runtime()} of
 * {@code mock-storage-testcontainer}, over the admin HTTP API). Test code reads the same
 * against both: script the third party, run the code under test, verify requests, wait for
 * background work, inspect, inject faults.
 *
 * <p>Only JDK types and the plain-data types of {@code dev.mockstorage.thirdparty},
 * {@code .journal} and {@code .stats} appear here, so each method can cross the wire.
 */
public interface MockStorageRuntime {

    /** The region mock-storage reports, {@value}; any region a client signs with is accepted. */
    String DEFAULT_REGION = "us-east-1";

    /**
     * The access key a server knows unless configured otherwise ({@code auth.access_key}), {@value}. In
     * the default (open) auth mode any key is accepted and signatures are not checked.
     */
    String DEFAULT_ACCESS_KEY = "mock-access-key";

    /** The secret key of {@link #DEFAULT_ACCESS_KEY} unless configured otherwise ({@code auth.secret_key}), {@value}. */
    String DEFAULT_SECRET_KEY = "mock-secret-key";

    /** {@code http://host:port} for path-style S3 clients. */
    URI endpoint();

    /** The region the store reports ({@code us-east-1}); any region a client signs with is accepted. */
    String region();

    /** An access key clients may use (any is accepted unless strict auth is configured). */
    String accessKey();

    /** The secret key matching {@link #accessKey()}. */
    String secretKey();

    /** The scripted third-party upstream: script it, inspect and verify its calls. */
    ThirdParty thirdParty();

    /** The request journal: the last S3 requests, for queries and verification. */
    RequestJournal requests();

    /** Objects, bytes, nodes, queue, third party and requests now (as {@code GET /api/v1/stats}). */
    ServerStats stats();

    /**
     * Waits until every task queued so far (blob deletions, bookkeeping, repairs) has finished.
     *
     * @throws IllegalStateException listing the open tasks when they did not finish within {@code timeout}
     */
    void awaitIdle(Duration timeout);

    /**
     * Compares the metadata with every storage node that is up and reports each problem (replica
     * missing, of the wrong size or content, orphan blob file, object with no intact replica); with
     * {@code repair} it also fixes them (see the README's "Consistency check"). The same as
     * {@code POST /api/v1/consistency/check?repair=}.
     */
    ConsistencyReport checkConsistency(boolean repair);

    /** Fault injection on the storage nodes: take one down, make it slow, corrupt a replica. */
    StorageNodes nodes();

    /**
     * The server's clock: read it, or move it forward to make lifecycle expiry, object-lock retention and
     * presigned-URL expiry happen without waiting (the same as {@code POST /api/v1/clock/advance}).
     */
    StorageClock clock();

    /** Creates a bucket; nothing happens when it exists already. */
    void createBucket(String bucket);

    /** Stores an object through the normal upload path (every node, metadata, tasks). */
    void putObject(String bucket, String key, byte[] content, String contentType);

    /**
     * Back to an empty store: every object and bucket deleted (their files removed once the queue
     * ran), third-party scripts and recorded calls, the request journal, every node back up
     * and without delay, and the clock back at the real time. Buckets configured with {@code storage.buckets} are created again, and
     * scripts configured with {@code third_party.scripts} loaded again.
     */
    void reset();
}

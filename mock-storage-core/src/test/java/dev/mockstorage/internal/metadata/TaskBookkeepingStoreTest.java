package dev.mockstorage.internal.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migration 2: bucket statistics and tasks queued once per key. */
class TaskBookkeepingStoreTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123Z");

    @TempDir
    Path dir;

    private static ObjectRecord object(String bucket, String key, String blobId, long size) {
        return new ObjectRecord(bucket, key, blobId, size, "etag", null, T0, Map.of(), Map.of(), Map.of());
    }

    @Test
    void migrationFromVersionOneSeedsTheStatisticsOfExistingBuckets() throws SQLException {
        Path file = dir.resolve("v1.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            for (String sql : Schema.MIGRATIONS.get(0)) {
                s.execute(sql);
            }
            s.execute("PRAGMA user_version = 1");
            s.execute("INSERT INTO buckets VALUES ('full', 1), ('empty', 2)");
            s.execute("INSERT INTO objects (bucket, key, blob_id, size, etag, last_modified) VALUES"
                    + " ('full', 'a', 'x', 10, 'e', 1), ('full', 'b', 'y', 5, 'e', 1)");
        }
        try (MetadataStore store = MetadataStore.open(file, false, Duration.ofSeconds(5))) {
            assertEquals(
                    List.of(
                            new BucketStatsRecord("empty", 0, 0, 0, 0, null),
                            new BucketStatsRecord("full", 2, 15, 0, 0, null)),
                    store.bucketStats());
        }
    }

    @Test
    void statisticsFollowTheirBucketAndIgnoreUploadsOfADeletedNamesake() {
        try (MetadataStore store = MetadataStore.open(dir.resolve("m.db"), false, Duration.ofSeconds(5))) {
            store.write(tx -> tx.createBucket("b", T0));
            store.write(tx -> {
                tx.putObject(object("b", "k", "blob1", 7));
                tx.adjustBucketStats("b", 1, 7);
                return null;
            });
            store.write(tx -> {
                tx.recordUpload("b", T0, 7, T0.plusSeconds(1));
                tx.recordUpload("b", T0, 3, T0); // applied out of order: last_upload_at keeps the later time
                return null;
            });
            assertEquals(
                    Optional.of(new BucketStatsRecord("b", 1, 7, 2, 10, T0.plusSeconds(1))), store.bucketStats("b"));

            store.write(tx -> {
                tx.deleteObject("b", "k");
                tx.adjustBucketStats("b", -1, -7);
                return tx.deleteBucket("b");
            });
            assertEquals(Optional.empty(), store.bucketStats("b"), "deleted with its bucket");
            store.write(tx -> tx.createBucket("b", T0.plusSeconds(60)));
            store.write(tx -> {
                tx.recordUpload("b", T0, 99, T0); // a late task of the deleted bucket
                return null;
            });
            assertEquals(Optional.of(new BucketStatsRecord("b", 0, 0, 0, 0, null)), store.bucketStats("b"));
        }
    }

    @Test
    void aUniqueTaskIsQueuedOnceUntilItIsDoneButStaysBlockedWhileParked() {
        try (MetadataStore store = MetadataStore.open(dir.resolve("m.db"), false, Duration.ofSeconds(5))) {
            assertFalse(store.hasTask("repair:1"));
            assertTrue(store.<Boolean>write(tx -> tx.enqueueTaskOnce("repair-blob", "p1", "repair:1")));
            assertFalse(store.<Boolean>write(tx -> tx.enqueueTaskOnce("repair-blob", "p1 again", "repair:1")));
            assertTrue(store.<Boolean>write(tx -> tx.enqueueTaskOnce("repair-blob", "p2", "repair:2")));
            store.write(tx -> tx.enqueueTask("delete-blob", "x")); // no key: never blocks anything
            store.write(tx -> tx.enqueueTask("delete-blob", "x"));
            assertTrue(store.hasTask("repair:1"));
            assertEquals(4, store.openTaskCount());

            List<TaskRecord> claimed =
                    store.write(tx -> tx.claimTasks(10, Instant.now().plusSeconds(1)));
            store.completeTasks(List.of(claimed.get(0).id()));
            store.failTask(claimed.get(1).id(), "boom");
            assertFalse(store.hasTask("repair:1"), "done: free again");
            assertTrue(store.<Boolean>write(tx -> tx.enqueueTaskOnce("repair-blob", "p1", "repair:1")));
            assertTrue(store.hasTask("repair:2"), "parked: still blocks");
            assertFalse(store.<Boolean>write(tx -> tx.enqueueTaskOnce("repair-blob", "p2", "repair:2")));
            assertEquals(1, store.failedTaskCount());
        }
    }
}

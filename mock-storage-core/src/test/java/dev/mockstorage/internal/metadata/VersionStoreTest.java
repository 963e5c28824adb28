package dev.mockstorage.internal.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's side of versioning: the objects table keeps the current version, object_versions the
 * noncurrent ones and delete markers; lookups by id, latest, listing order and positions, promotion,
 * emptiness, referenced blobs, and the versioning status surviving a reopen.
 */
class VersionStoreTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123Z");

    @TempDir
    Path dir;

    private MetadataStore store;

    @BeforeEach
    void open() {
        store = MetadataStore.open(dir.resolve("meta.db"), false, Duration.ofSeconds(5));
        store.write(tx -> tx.createBucket("b", T0));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static ObjectRecord version(String key, String blobId, String versionId, int second) {
        return new ObjectRecord(
                "b",
                key,
                blobId,
                blobId.length(),
                "etag-" + blobId,
                "text/plain",
                T0.plusSeconds(second),
                Map.of("m", "1"),
                Map.of(),
                Map.of("CRC32", "AAAAAA=="),
                Map.of("t", "v"),
                versionId,
                null);
    }

    /** What the service does on a versioned PUT: the current row becomes noncurrent, the new one current. */
    private void putVersion(ObjectRecord o) {
        store.write(tx -> {
            tx.object(o.bucket(), o.key()).ifPresent(tx::addNoncurrentVersion);
            return tx.putObject(o);
        });
    }

    /** store.write for a boolean result: assertTrue(store.write(...)) is ambiguous with BooleanSupplier */
    private boolean writeBoolean(java.util.function.Function<Tx, Boolean> work) {
        return store.write(work);
    }

    private static List<String> ids(List<ObjectVersion> versions) {
        return versions.stream()
                .map(v -> v.key() + ":" + v.versionId() + (v.deleteMarker() ? ":M" : "") + (v.latest() ? ":L" : ""))
                .toList();
    }

    @Test
    void versionsKeepEveryFieldAndAreFoundByIdNullIncluded() {
        ObjectRecord nullVersion = version("k", "blob0", null, 0);
        ObjectRecord v1 = version("k", "blob1", "V1", 1);
        putVersion(nullVersion);
        putVersion(v1);
        assertEquals(v1, store.object("b", "k").orElseThrow(), "the current row carries its version id");
        ObjectVersion old = store.version("b", "k", "null").orElseThrow();
        assertEquals(nullVersion, old.object(), "a noncurrent version keeps metadata, checksums and tags");
        assertFalse(old.latest());
        assertTrue(store.version("b", "k", "V1").orElseThrow().latest());
        assertTrue(store.version("b", "k", "nope").isEmpty());
        assertTrue(store.version("b", "other", "null").isEmpty());
        assertEquals(Optional.of("V1"), store.latestVersion("b", "k").map(ObjectVersion::versionId));
    }

    @Test
    void deleteMarkerOnTopIsLatestAndRemovingItPromotesTheVersionBelow() {
        putVersion(version("k", "blob1", "V1", 1));
        store.write(tx -> {
            tx.addNoncurrentVersion(tx.object("b", "k").orElseThrow());
            tx.deleteObject("b", "k");
            tx.addDeleteMarker("b", "k", "M1", T0.plusSeconds(2));
            return null;
        });
        assertTrue(store.object("b", "k").isEmpty());
        ObjectVersion latest = store.latestVersion("b", "k").orElseThrow();
        assertTrue(latest.deleteMarker() && latest.latest());
        assertNull(latest.object());
        assertEquals(List.of("k:M1:M:L", "k:V1"), ids(store.listVersions("b", "", null, null, 10)));
        assertFalse(
                writeBoolean(tx -> tx.bucketIsEmpty("b")), "markers and noncurrent versions keep the bucket non-empty");

        Optional<ObjectRecord> promoted = store.write(tx -> {
            assertTrue(tx.deleteNoncurrentVersion("b", "k", "M1").orElseThrow().deleteMarker());
            return tx.promoteNewestVersion("b", "k");
        });
        assertEquals("blob1", promoted.orElseThrow().blobId());
        assertEquals("V1", store.object("b", "k").orElseThrow().versionId());
        assertEquals(List.of("k:V1:L"), ids(store.listVersions("b", "", null, null, 10)));
        assertTrue(store.write(tx -> tx.promoteNewestVersion("b", "nothing")).isEmpty());
    }

    @Test
    void listingIsKeyOrderNewestFirstAndResumesAfterAnyVersion() {
        putVersion(version("a", "blobA1", "A1", 1));
        putVersion(version("a", "blobA2", "A2", 2));
        putVersion(version("a", "blobA3", "A3", 3));
        putVersion(version("b/x", "blobB", null, 4));
        putVersion(version("c", "blobC1", "C1", 5));
        store.write(tx -> {
            tx.addNoncurrentVersion(tx.object("b", "c").orElseThrow());
            tx.deleteObject("b", "c");
            tx.addDeleteMarker("b", "c", "CM", T0);
            return null;
        });
        List<String> all = ids(store.listVersions("b", "", null, null, 100));
        assertEquals(List.of("a:A3:L", "a:A2", "a:A1", "b/x:null:L", "c:CM:M:L", "c:C1"), all);
        assertEquals(
                List.of("a:A1", "b/x:null:L"),
                ids(store.listVersions("b", "", "a", "A2", 2)),
                "after a noncurrent version");
        assertEquals(
                List.of("a:A2", "a:A1"), ids(store.listVersions("b", "", "a", "A3", 2)), "after the current version");
        assertEquals(
                List.of("b/x:null:L", "c:CM:M:L"), ids(store.listVersions("b", "", "a", null, 2)), "after a whole key");
        assertEquals(List.of("b/x:null:L"), ids(store.listVersions("b", "b/", null, null, 10)), "prefix");
        assertEquals(List.of("c:C1"), ids(store.listVersions("b", "", "c", "CM", 10)), "after a marker");
        assertEquals(
                List.of("c:CM:M:L", "c:C1"),
                ids(store.listVersions("b", "", "b/x", "null", 10)),
                "after a null version");
        assertEquals(
                List.of("b/x:null:L", "c:CM:M:L", "c:C1"),
                ids(store.listVersions("b", "", "a", "gone", 10)),
                "an unknown version id skips the rest of its key");
    }

    @Test
    void noncurrentBlobsAreReferencedAndResetRemovesThem() {
        putVersion(version("k", "blob1", "V1", 1));
        putVersion(version("k", "blob2", "V2", 2));
        store.write(tx -> {
            tx.addDeleteMarker("b", "k", "M", T0);
            return null;
        });
        assertTrue(
                store.referencedBlobIds().containsAll(List.of("blob1", "blob2")),
                "the consistency check must not take a noncurrent version's blob for an orphan");
        assertEquals(2, store.noncurrentVersionCount("b"));
        List<String> removed = store.write(tx -> tx.deleteAllNoncurrentVersions("b"));
        assertEquals(List.of("blob1"), removed, "markers have no blob");
        assertEquals(0, store.noncurrentVersionCount(null));
        assertFalse(store.referencedBlobIds().contains("blob1"));
    }

    @Test
    void versioningStatusIsPartOfTheBucketAndSurvivesAReopen() {
        assertNull(store.bucket("b").orElseThrow().versioning());
        assertTrue(writeBoolean(tx -> tx.setBucketVersioning("b", BucketRecord.ENABLED)));
        assertFalse(writeBoolean(tx -> tx.setBucketVersioning("missing", BucketRecord.ENABLED)));
        putVersion(version("k", "blob1", "V1", 1));
        putVersion(version("k", "blob2", "V2", 2));
        store.close();
        store = MetadataStore.open(dir.resolve("meta.db"), false, Duration.ofSeconds(5));
        assertEquals(BucketRecord.ENABLED, store.bucket("b").orElseThrow().versioning());
        assertEquals(BucketRecord.ENABLED, store.buckets().get(0).versioning());
        assertEquals(List.of("k:V2:L", "k:V1"), ids(store.listVersions("b", "", null, null, 10)));
    }
}

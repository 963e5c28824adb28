package dev.mockstorage.internal.metadata;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataStoreTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123Z");

    @TempDir
    Path dir;

    private Path dbFile;
    private MetadataStore store;

    @BeforeEach
    void setUp() {
        dbFile = dir.resolve("nested/dirs/meta.db");
        store = MetadataStore.open(dbFile, false, Duration.ofSeconds(5));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private static ObjectRecord object(String bucket, String key, String blobId, long size) {
        return new ObjectRecord(bucket, key, blobId, size, "etag-" + blobId, null, T0, Map.of(), Map.of(), Map.of());
    }

    private void createBucket(String name) {
        assertTrue(writeBoolean(tx -> tx.createBucket(name, T0)));
    }

    /** store.write for a boolean result: assertTrue(store.write(...)) is ambiguous with BooleanSupplier */
    private boolean writeBoolean(java.util.function.Function<Tx, Boolean> work) {
        return store.write(work);
    }

    private List<TaskRecord> claim(int max, Instant now) {
        return store.write(tx -> tx.claimTasks(max, now));
    }

    private void put(ObjectRecord o) {
        store.write(tx -> tx.putObject(o));
    }

    private static Object pragma(Path file, String pragma) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA " + pragma)) {
            rs.next();
            return rs.getObject(1);
        }
    }

    @Test
    void openCreatesParentsSchemaVersionAndWal() throws SQLException {
        assertTrue(Files.isRegularFile(dbFile));
        assertEquals(Schema.currentVersion(), ((Number) pragma(dbFile, "user_version")).intValue());
        assertEquals("wal", pragma(dbFile, "journal_mode"));
        assertTrue(store.isHealthy());
        assertEquals(dbFile.toAbsolutePath(), store.file());
    }

    @Test
    void fsyncSwitchesSynchronousToFull() throws SQLException {
        try (SqlConnection normal = SqlConnection.open(dbFile, false, 1000, true);
                SqlConnection full = SqlConnection.open(dbFile, true, 1000, false)) {
            assertEquals(0, synchronous(normal), "OFF");
            assertEquals(2, synchronous(full), "FULL");
            SQLException e = assertThrows(SQLException.class, () -> normal.execute("CREATE TABLE x (y)"));
            assertTrue(
                    e.getMessage().contains("readonly")
                            || e.getMessage().contains("query_only")
                            || e.getMessage().contains("read-only"),
                    e.getMessage());
        }
    }

    private static int synchronous(SqlConnection db) throws SQLException {
        try (ResultSet rs = db.prepare("PRAGMA synchronous").executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void dataSurvivesReopen() {
        createBucket("b");
        put(object("b", "k", "blob1", 3));
        store.close();
        store = MetadataStore.open(dbFile, true, Duration.ofSeconds(5));
        assertEquals("blob1", store.object("b", "k").orElseThrow().blobId());
    }

    @Test
    void aDatabaseFromBeforeAclsIsMigratedAndItsObjectsHaveNoAclOfTheirOwn() throws SQLException {
        store.close();
        Path old = dir.resolve("before-acls.db");
        int beforeAcls = 9;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old);
                Statement s = c.createStatement()) {
            for (List<String> migration : Schema.MIGRATIONS.subList(0, beforeAcls)) {
                for (String statement : migration) {
                    s.execute(statement);
                }
            }
            s.execute("PRAGMA user_version = " + beforeAcls);
            s.execute("INSERT INTO buckets (name, created_at) VALUES ('b', 0)");
            s.execute(
                    "INSERT INTO objects (bucket, key, blob_id, size, etag, content_type, last_modified, user_metadata, headers, "
                            + "checksums, tags, version_id) VALUES ('b', 'k', 'blob1', 3, 'e', NULL, 0, NULL, NULL, NULL, NULL, NULL)");
        }
        store = MetadataStore.open(old, false, Duration.ofSeconds(5));
        assertEquals(Schema.currentVersion(), ((Number) pragma(old, "user_version")).intValue());
        ObjectRecord kept = store.object("b", "k").orElseThrow();
        assertEquals("blob1", kept.blobId());
        assertNull(kept.grants(), "no ACL given: the owner's FULL_CONTROL");
        assertEquals(Optional.empty(), store.bucketSetting("b", BucketSetting.POLICY));
    }

    @Test
    void newerSchemaIsRefused() throws SQLException {
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile);
                Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = 99");
        }
        StorageException e =
                assertThrows(StorageException.class, () -> MetadataStore.open(dbFile, false, Duration.ofSeconds(1)));
        assertEquals(ErrorCode.InternalError, e.code());
        assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
    }

    @Test
    void buckets() {
        createBucket("zeta");
        createBucket("alpha");
        assertFalse(writeBoolean(tx -> tx.createBucket("alpha", T0.plusSeconds(1))), "already exists");
        assertEquals(new BucketRecord("alpha", T0), store.bucket("alpha").orElseThrow());
        assertEquals(
                List.of("alpha", "zeta"),
                store.buckets().stream().map(BucketRecord::name).toList());

        put(object("zeta", "k", "blob", 1));
        assertFalse(writeBoolean(tx -> tx.bucketIsEmpty("zeta")));
        assertTrue(writeBoolean(tx -> tx.bucketIsEmpty("alpha")));
        assertTrue(writeBoolean(tx -> tx.deleteBucket("alpha")));
        assertFalse(writeBoolean(tx -> tx.deleteBucket("alpha")));
        assertEquals(Optional.empty(), store.bucket("alpha"));
    }

    @Test
    void objectRoundTripKeepsMapOrderAndNulls() {
        createBucket("b");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("zz", "1");
        meta.put("aa", "2 ü");
        meta.put("mm", "");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Disposition", "attachment; filename=\"x.txt\"");
        headers.put("Cache-Control", "no-cache");
        ObjectRecord o = new ObjectRecord(
                "b",
                "dir/ключ 😀.txt",
                "blob1",
                12,
                "6f5902ac237024bdd0c176cb93063dc4",
                "text/plain",
                Instant.parse("2024-05-01T10:15:30.123456Z"),
                meta,
                headers,
                Map.of("CRC32", "rwg7LQ=="));
        assertEquals(Optional.empty(), store.write(tx -> tx.putObject(o)));

        ObjectRecord read = store.object("b", "dir/ключ 😀.txt").orElseThrow();
        assertEquals(T0, read.lastModified(), "millisecond precision");
        assertEquals(
                List.of("zz", "aa", "mm"), new ArrayList<>(read.userMetadata().keySet()));
        assertEquals(meta, read.userMetadata());
        assertEquals(
                List.of("Content-Disposition", "Cache-Control"),
                new ArrayList<>(read.headers().keySet()));
        assertEquals(Map.of("CRC32", "rwg7LQ=="), read.checksums());
        assertEquals(
                new ObjectRecord(
                        o.bucket(),
                        o.key(),
                        o.blobId(),
                        o.size(),
                        o.etag(),
                        o.contentType(),
                        T0,
                        meta,
                        headers,
                        o.checksums()),
                read);

        ObjectRecord bare = new ObjectRecord("b", "bare", "blob2", 0, "e", null, T0, null, Map.of(), null);
        store.write(tx -> tx.putObject(bare));
        ObjectRecord readBare = store.object("b", "bare").orElseThrow();
        assertNull(readBare.contentType());
        assertEquals(Map.of(), readBare.userMetadata());
        assertEquals(Map.of(), readBare.headers());
        assertEquals(Map.of(), readBare.checksums());
        assertEquals(Optional.empty(), store.object("b", "missing"));
        assertEquals(Optional.empty(), store.object("other", "bare"));
    }

    @Test
    void putReturnsTheReplacedRowAndDeleteReturnsTheDeletedOne() {
        createBucket("b");
        put(object("b", "k", "old", 1));
        Optional<ObjectRecord> replaced = store.write(tx -> tx.putObject(object("b", "k", "new", 2)));
        assertEquals("old", replaced.orElseThrow().blobId());
        assertEquals("new", store.object("b", "k").orElseThrow().blobId());

        assertEquals(
                "new",
                store.write(tx -> tx.deleteObject("b", "k")).orElseThrow().blobId());
        assertEquals(Optional.empty(), store.write(tx -> tx.deleteObject("b", "k")));
        assertEquals(Optional.empty(), store.object("b", "k"));
    }

    @Test
    void txSeesItsOwnWritesBeforeCommit() {
        store.write(tx -> {
            tx.createBucket("b", T0);
            assertTrue(tx.bucket("b").isPresent());
            tx.putObject(object("b", "k", "blob", 1));
            assertEquals("blob", tx.object("b", "k").orElseThrow().blobId());
            assertFalse(store.object("b", "k").isPresent(), "readers see only committed state");
            return null;
        });
        assertTrue(store.object("b", "k").isPresent());
    }

    @Test
    void exceptionRollsBackEverythingAndIsRethrown() {
        createBucket("b");
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(
                IllegalStateException.class,
                () -> store.write(tx -> {
                    tx.putObject(object("b", "k", "blob", 1));
                    tx.enqueueTask("delete-blob", "{}");
                    tx.createBucket("c", T0);
                    throw boom;
                }));
        assertSame(boom, thrown);
        assertEquals(Optional.empty(), store.object("b", "k"));
        assertEquals(Optional.empty(), store.bucket("c"));
        assertEquals(0, store.openTaskCount());
        // the write connection is usable afterwards
        createBucket("c");
    }

    @Test
    void sqlErrorsBecomeInternalErrorsWithTheCause() {
        StorageException e = assertThrows(
                StorageException.class,
                () -> store.write(tx -> tx.putObject(object("no-such-bucket", "k", "blob", 1))));
        assertEquals(ErrorCode.InternalError, e.code());
        assertInstanceOf(SQLException.class, e.getCause());
        assertTrue(e.getMessage().contains("FOREIGN KEY"), e.getMessage());
        assertEquals(Optional.empty(), store.object("no-such-bucket", "k"));
    }

    @Test
    void deletingABucketWithObjectsFailsAndChangesNothing() {
        createBucket("b");
        put(object("b", "k", "blob", 1));
        StorageException e = assertThrows(StorageException.class, () -> store.write(tx -> tx.deleteBucket("b")));
        assertEquals(ErrorCode.InternalError, e.code());
        assertTrue(store.bucket("b").isPresent());
    }

    @Test
    void aSavepointRollsBackAloneAndTheRestOfTheTransactionCommits() {
        createBucket("b");
        store.write(tx -> {
            tx.putObject(object("b", "outer", "blob1", 1));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> tx.savepoint(part -> {
                        part.putObject(object("b", "inner", "blob2", 1));
                        throw new IllegalArgumentException("inner fails");
                    }));
            assertEquals(Optional.empty(), tx.object("b", "inner"), "inner savepoint rolled back");
            tx.savepoint(part -> part.putObject(object("b", "inner2", "blob3", 1)));
            return null;
        });
        assertTrue(store.object("b", "outer").isPresent());
        assertTrue(store.object("b", "inner2").isPresent());
        assertFalse(store.object("b", "inner").isPresent());
    }

    @Test
    void aWriteInsideAWriteOnTheSameThreadIsRefusedAndTheOuterOneGoesOn() {
        createBucket("b");
        store.write(tx -> {
            tx.putObject(object("b", "outer", "blob1", 1));
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> store.write(inner -> inner.putObject(object("b", "inner", "blob2", 1))));
            assertTrue(
                    e.getMessage().startsWith("metadata transaction inside another write on the same thread"),
                    e.getMessage());
            assertThrows(IllegalStateException.class, () -> store.markDamaged("b", "outer", "blob1", "x", T0));
            return null;
        });
        assertTrue(store.object("b", "outer").isPresent());
        assertFalse(store.object("b", "inner").isPresent());
        assertEquals(Set.of(), store.damagedBlobIds());
    }

    @Test
    void txCannotBeUsedAfterItsWrite() {
        Tx escaped = store.write(tx -> tx);
        assertThrows(IllegalStateException.class, () -> escaped.bucket("b"));
    }

    @Test
    void writerWaitingTooLongGetsSlowDownWhileReadersCarryOn() throws Exception {
        store.close();
        store = MetadataStore.open(dbFile, false, Duration.ofMillis(100));
        createBucket("b");
        put(object("b", "k", "committed", 1));

        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> store.write(tx -> {
            tx.putObject(object("b", "k", "uncommitted", 2));
            inside.countDown();
            try {
                assertTrue(release.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return null;
        }));
        try {
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            StorageException e = assertThrows(StorageException.class, () -> store.write(tx -> tx.bucket("b")));
            assertEquals(ErrorCode.SlowDown, e.code());
            assertEquals("metadata write lock not acquired within 100 ms", e.getMessage());
            assertEquals(
                    "committed", store.object("b", "k").orElseThrow().blobId(), "reads do not wait for the writer");
            assertEquals(1, store.listObjects("b", "", null, 10).size());
        } finally {
            release.countDown();
        }
        holder.get(10, TimeUnit.SECONDS);
        assertEquals("uncommitted", store.object("b", "k").orElseThrow().blobId());
    }

    @Test
    void listingIsInUtf8ByteOrder() {
        createBucket("b");
        createBucket("other");
        List<String> keys = List.of(
                "a", "A", "a-b", "a/b", "a/c", "ab", "é", "z", "\uFFFD", "😀", "日本", "\uE000", "a/\u00ff", "a/😀", "~");
        for (String key : keys) {
            put(object("b", key, "blob", key.length()));
        }
        put(object("other", "a", "blob", 1));

        List<String> expected = new ArrayList<>(keys);
        expected.sort((x, y) -> Arrays.compareUnsigned(x.getBytes(UTF_8), y.getBytes(UTF_8)));
        assertNotEquals(keys.stream().sorted().toList(), expected, "the test needs keys where UTF-16 order differs");

        assertEquals(expected, keysOf(store.listObjects("b", "", null, 100)));
        assertEquals(expected, keysOf(store.listObjects("b", null, null, 100)));

        // paging with afterKey walks the same order
        List<String> paged = new ArrayList<>();
        String after = null;
        while (true) {
            List<ObjectRecord> page = store.listObjects("b", "", after, 4);
            if (page.isEmpty()) {
                break;
            }
            assertTrue(page.size() <= 4);
            paged.addAll(keysOf(page));
            after = page.get(page.size() - 1).key();
        }
        assertEquals(expected, paged);
    }

    @Test
    void listingByPrefixAndAfterKey() {
        createBucket("b");
        for (String key : List.of("a", "a/1", "a/2", "a/3", "a0", "b/1", "a/\uFFFD", "a/😀")) {
            put(object("b", key, "blob", 1));
        }
        assertEquals(List.of("a/1", "a/2", "a/3", "a/\uFFFD", "a/😀"), keysOf(store.listObjects("b", "a/", null, 100)));
        assertEquals(List.of("a/1", "a/2"), keysOf(store.listObjects("b", "a/", null, 2)));
        assertEquals(List.of("a/3", "a/\uFFFD"), keysOf(store.listObjects("b", "a/", "a/2", 2)));
        assertEquals(List.of("a/😀"), keysOf(store.listObjects("b", "a/", "a/\uFFFD", 10)));
        assertEquals(
                List.of("a/1", "a/2", "a/3", "a/\uFFFD", "a/😀"),
                keysOf(store.listObjects("b", "a/", "a", 100)),
                "afterKey before the prefix");
        assertEquals(List.of(), keysOf(store.listObjects("b", "a/", "a0", 100)), "afterKey past the prefix");
        assertEquals(List.of(), keysOf(store.listObjects("b", "c", null, 100)));
        assertEquals(List.of(), keysOf(store.listObjects("b", "", null, 0)));
        assertEquals(List.of("b/1"), keysOf(store.listObjects("b", "", "a0", 100)));
        assertEquals(List.of(), keysOf(store.listObjects("nope", "", null, 100)));
    }

    @Test
    void findObjectsPagesByCursorPrefixAndGlobAcrossBuckets() {
        createBucket("a");
        createBucket("b");
        List<String> keys = List.of("a", "a/1", "a/2", "a/\uFFFD", "a/😀", "a0", "b/1", "b/x.png", "\uDBFF\uDFFF", "z");
        for (String bucket : List.of("a", "b")) {
            for (String key : keys) {
                put(object(bucket, key, "blob", 1));
            }
        }
        List<String> all = new ArrayList<>();
        for (String bucket : List.of("a", "b")) {
            keys.stream()
                    .sorted((x, y) -> Arrays.compareUnsigned(x.getBytes(UTF_8), y.getBytes(UTF_8)))
                    .forEach(k -> all.add(bucket + "/" + k));
        }
        assertEquals(all, find(ObjectQuery.all(), 3), "every object, paged across buckets");
        assertEquals(all.subList(0, keys.size()), find(new ObjectQuery("a", null, null, null, null, null, null), 4));
        assertEquals(
                List.of("b/a/1", "b/a/2", "b/a/\uFFFD", "b/a/😀"),
                find(new ObjectQuery("b", "a/", null, null, null, null, null), 3),
                "a prefix, paged");
        assertEquals(
                List.of("b/a/1", "b/a/2", "b/a/\uFFFD", "b/a/😀"),
                find(new ObjectQuery("b", null, null, "a/?", null, null, null), 1),
                "a glob with a literal start");
        assertEquals(
                List.of("a/b/x.png", "b/b/x.png"),
                find(new ObjectQuery(null, null, null, "*.png", null, null, null), 1));
        assertEquals(
                List.of("a/\uDBFF\uDFFF"),
                find(new ObjectQuery("a", "\uDBFF\uDFFF", null, null, null, null, null), 5),
                "a prefix without a successor");
        assertEquals(
                List.of(),
                store.findObjects(new ObjectQuery("a", null, null, null, null, null, null), "b", "", 10)
                        .objects(),
                "a cursor past the bucket");
        assertEquals(
                keys.size(),
                store.findObjects(new ObjectQuery("b", null, null, null, null, null, null), "a", "z", 100)
                        .objects()
                        .size(),
                "a cursor before the bucket");
    }

    @Test
    void aSearchThatChecksKeysOneByOneExaminesABoundedNumberPerPageAndGoesOnFromWhereItStopped() {
        createBucket("big");
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String key = String.format("k%02d%s", i, i % 10 == 7 ? "-match" : "");
            keys.add(key);
            put(object("big", key, "blob", 1));
        }
        ObjectQuery substring = new ObjectQuery("big", null, "-match", null, null, null, null);

        FoundObjects first = store.findObjects(substring, null, null, 100, 5);
        assertEquals(List.of(), first.objects(), "k00..k04 examined, none matches");
        assertTrue(first.stoppedEarly());
        assertEquals("big", first.stoppedAtBucket());
        assertEquals("k04", first.stoppedAtKey(), "the last key examined, where the next page goes on");

        FoundObjects second = store.findObjects(substring, "big", "k04", 100, 5);
        assertEquals(
                List.of("k07-match"),
                second.objects().stream().map(ObjectRecord::key).toList());
        assertEquals("k09", second.stoppedAtKey());

        assertEquals(
                List.of("big/k07-match", "big/k17-match"),
                find(substring, 100, 5),
                "following the pages finds every match");
        assertEquals(List.of("big/k07-match", "big/k17-match"), find(substring, 1, 3), "small pages too");
        assertEquals(
                List.of("big/k07-match", "big/k17-match"),
                find(new ObjectQuery("big", null, null, "*-match", null, null, null), 100, 4),
                "a glob without a literal start is checked key by key too");

        FoundObjects whole = store.findObjects(substring, null, null, 100, 100);
        assertEquals(2, whole.objects().size());
        assertFalse(whole.stoppedEarly(), "the range ended before the budget");

        FoundObjects listing =
                store.findObjects(new ObjectQuery("big", "k1", null, null, null, null, null), null, null, 100, 2);
        assertEquals(10, listing.objects().size(), "a prefix alone is a range of the index: no budget");
        assertFalse(listing.stoppedEarly());
    }

    /** Every page of a findObjects query, walked by its cursor, as bucket/key. */
    private List<String> find(ObjectQuery query, int pageSize) {
        return find(query, pageSize, MetadataStore.SEARCH_BUDGET);
    }

    /** The same with a budget of examined rows per page: a page that stopped early is followed from where it stopped. */
    private List<String> find(ObjectQuery query, int pageSize, int budget) {
        List<String> found = new ArrayList<>();
        String afterBucket = null;
        String afterKey = null;
        while (true) {
            FoundObjects result = store.findObjects(query, afterBucket, afterKey, pageSize, budget);
            List<ObjectRecord> page = result.objects();
            page.forEach(o -> found.add(o.bucket() + "/" + o.key()));
            if (page.size() == pageSize) {
                afterBucket = page.get(page.size() - 1).bucket();
                afterKey = page.get(page.size() - 1).key();
            } else if (result.stoppedEarly()) {
                afterBucket = result.stoppedAtBucket();
                afterKey = result.stoppedAtKey();
            } else {
                return found;
            }
        }
    }

    @Test
    void keyRangeSuccessorIsTheLeastStringAfterEveryExtension() {
        assertEquals("a0", KeyRange.successor("a/"));
        assertEquals("b", KeyRange.successor("a"));
        assertEquals("a\uE000", KeyRange.successor("a\uD7FF"), "the surrogate range holds no code points");
        assertEquals("b", KeyRange.successor("a\uDBFF\uDFFF"), "a trailing U+10FFFF is dropped");
        assertNull(KeyRange.successor("\uDBFF\uDFFF"));
        assertNull(KeyRange.successor(""));
        String prefix = "dir/é";
        String successor = KeyRange.successor(prefix);
        for (String extension : List.of("", "x", "\uFFFF", "😀", "\uDBFF\uDFFF\uDBFF\uDFFF")) {
            assertTrue(ObjectTable.compareUtf8(prefix + extension, successor) < 0, extension);
        }
        assertTrue(ObjectTable.compareUtf8("dir/ê", successor) >= 0);
    }

    private static List<String> keysOf(List<ObjectRecord> objects) {
        return objects.stream().map(ObjectRecord::key).toList();
    }

    @Test
    void compareUtf8MatchesByteOrder() {
        String[] samples = {"", "a", "ab", "\uFFFD", "😀", "\uE000", "é", "\u0000", "日本"};
        for (String x : samples) {
            for (String y : samples) {
                int expected = Integer.signum(Arrays.compareUnsigned(x.getBytes(UTF_8), y.getBytes(UTF_8)));
                assertEquals(expected, Integer.signum(ObjectTable.compareUtf8(x, y)), x + " vs " + y);
            }
        }
    }

    @Test
    void countAndBytesAndReferencedBlobs() {
        createBucket("a");
        createBucket("b");
        put(object("a", "1", "blob1", 10));
        put(object("a", "2", "blob2", 5));
        put(object("b", "1", "blob3", 7));
        assertArrayEquals(new long[] {2, 15}, store.countAndBytes("a"));
        assertArrayEquals(new long[] {1, 7}, store.countAndBytes("b"));
        assertArrayEquals(new long[] {3, 22}, store.countAndBytes(null));
        assertArrayEquals(new long[] {0, 0}, store.countAndBytes("none"));
        assertEquals(Set.of("blob1", "blob2", "blob3"), store.referencedBlobIds());
    }

    @Test
    void taskLifecycle() {
        long first = store.write(tx -> tx.enqueueTask("delete-blob", "{\"blobId\":\"x\"}"));
        long second = store.write(tx -> tx.enqueueTask("upload-completed", null));
        assertTrue(second > first);
        assertEquals(2, store.openTaskCount());

        Instant later = Instant.now().plusSeconds(60);
        List<TaskRecord> claimed = claim(10, later);
        assertEquals(
                List.of(first, second), claimed.stream().map(TaskRecord::id).toList());
        TaskRecord t = claimed.get(0);
        assertEquals("delete-blob", t.kind());
        assertEquals("{\"blobId\":\"x\"}", t.payload());
        assertEquals("running", t.state());
        assertEquals(1, t.attempts());
        assertNull(claimed.get(1).payload());
        assertEquals(List.of(), claim(10, later), "running tasks are not claimed twice");
        assertEquals(2, store.openTaskCount());

        Instant retryAt = later.plusSeconds(30);
        store.retryTask(first, "node down", retryAt);
        assertEquals(List.of(), claim(10, later), "not before next_run_at");
        TaskRecord retried = claim(10, retryAt).get(0);
        assertEquals(first, retried.id());
        assertEquals(2, retried.attempts());
        assertEquals("node down", retried.lastError());
        assertEquals(retryAt.toEpochMilli(), retried.nextRunAt().toEpochMilli());

        store.failTask(first, "gave up");
        store.completeTasks(List.of(second));
        assertEquals(0, store.openTaskCount());
        assertEquals(List.of(), store.openTasks(10));
        List<TaskRecord> failed = store.failedTasks(10);
        assertEquals(1, failed.size());
        assertEquals("failed", failed.get(0).state());
        assertEquals("gave up", failed.get(0).lastError());
    }

    @Test
    void claimRespectsMaxAndDueTime() {
        for (int i = 0; i < 5; i++) {
            store.write(tx -> tx.enqueueTask("k", null));
        }
        assertEquals(List.of(), claim(10, Instant.now().minusSeconds(60)), "nothing is due yet");
        assertEquals(2, claim(2, Instant.now().plusSeconds(1)).size());
        assertEquals(3, claim(10, Instant.now().plusSeconds(1)).size());
        assertEquals(List.of(), claim(0, Instant.now().plusSeconds(1)));
    }

    @Test
    void runningTasksAreResetAfterARestart() {
        store.write(tx -> {
            tx.enqueueTask("a", null);
            tx.enqueueTask("b", null);
            return null;
        });
        assertEquals(2, claim(10, Instant.now().plusSeconds(1)).size());
        store.close();

        store = MetadataStore.open(dbFile, false, Duration.ofSeconds(5));
        assertEquals(
                List.of("running", "running"),
                store.openTasks(10).stream().map(TaskRecord::state).toList());
        assertEquals(2, store.resetRunningTasks());
        assertEquals(
                List.of("pending", "pending"),
                store.openTasks(10).stream().map(TaskRecord::state).toList());
        assertEquals(1, store.openTasks(1).size());
        List<TaskRecord> again = claim(10, Instant.now().plusSeconds(1));
        assertEquals(List.of(2, 2), again.stream().map(TaskRecord::attempts).toList());
    }

    @Test
    void closeIsIdempotentAndLaterCallsFailClearly() {
        store.close();
        store.close();
        assertFalse(store.isHealthy());
        StorageException e = assertThrows(StorageException.class, () -> store.bucket("b"));
        assertEquals(ErrorCode.ServiceUnavailable, e.code());
        assertThrows(StorageException.class, () -> store.write(tx -> tx.createBucket("b", T0)));
    }

    @Test
    void concurrentReadersAndWritersAgree() throws Exception {
        createBucket("b");
        int threads = 4;
        int perThread = 50;
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < perThread; i++) {
                    String key = thread + "/" + i;
                    put(object("b", key, "blob" + i, 1));
                    assertTrue(store.object("b", key).isPresent());
                }
            }));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertArrayEquals(new long[] {threads * perThread, threads * perThread}, store.countAndBytes("b"));
    }

    @Test
    void objectTagsRideWithTheRowAndBucketTagsGoWithTheBucket() {
        createBucket("t");
        put(object("t", "k", "blob1", 1).withTags(Map.of("a", "1")));
        assertEquals(Map.of("a", "1"), store.object("t", "k").orElseThrow().tags());
        assertTrue(writeBoolean(tx -> tx.setObjectTags("t", "k", Map.of("b", "2"))));
        assertEquals(Map.of("b", "2"), store.object("t", "k").orElseThrow().tags());
        assertEquals("blob1", store.object("t", "k").orElseThrow().blobId(), "only the tags changed");
        assertFalse(writeBoolean(tx -> tx.setObjectTags("t", "absent", Map.of("b", "2"))));
        put(object("t", "k", "blob2", 1));
        assertEquals(Map.of(), store.object("t", "k").orElseThrow().tags(), "an overwrite without tags has none");

        store.write(tx -> {
            tx.setBucketTags("t", Map.of("team", "x"));
            return null;
        });
        assertEquals(Map.of("team", "x"), store.write(tx -> tx.bucketTags("t")).orElseThrow());
        store.write(tx -> tx.deleteObject("t", "k"));
        assertTrue(writeBoolean(tx -> tx.deleteBucket("t")));
        createBucket("t");
        assertTrue(store.write(tx -> tx.bucketTags("t")).isEmpty(), "a new bucket of the same name has no tags");
    }
}

package dev.mockstorage.internal.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {
    @TempDir
    Path dir;

    private StorageNode stg1;
    private StorageNode stg2;
    private StorageNode stg3;
    private BlobStore store;

    @BeforeEach
    void setUp() {
        stg1 = new StorageNode("stg1", dir.resolve("stg1"));
        stg2 = new StorageNode("stg2", dir.resolve("stg2"));
        stg3 = new StorageNode("stg3", dir.resolve("stg3"));
        store = new BlobStore(List.of(stg1, stg2, stg3), false);
    }

    private String put(byte[] data) throws IOException {
        try (PendingBlob blob = store.prepare()) {
            blob.output().write(data);
            return blob.commit();
        }
    }

    private static byte[] read(BlobReader reader, long offset, long length) throws IOException {
        try (InputStream in = reader.open(offset, length)) {
            return in.readAllBytes();
        }
    }

    private List<Path> allFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void nodeCreatesItsDirectoriesAndIsUp() {
        assertTrue(Files.isDirectory(dir.resolve("stg1/blobs")));
        assertTrue(Files.isDirectory(dir.resolve("stg1/tmp")));
        assertEquals(NodeState.UP, stg1.state());
        assertNull(stg1.reason());
    }

    @Test
    void aCommitRecreatesShardDirectoriesDeletedMeanwhile() throws IOException {
        String first = put("one".getBytes(UTF_8));
        for (StorageNode node : store.nodes()) { // e.g. a test or a user removed them by hand
            try (Stream<Path> files = Files.walk(node.root().resolve("blobs"))) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        byte[] data = "two".getBytes(UTF_8);
        String second = put(data);

        for (StorageNode node : store.nodes()) {
            assertEquals(List.of(second), node.listBlobIds(), node.id());
            assertArrayEquals(data, Files.readAllBytes(node.blobPath(second)), node.id());
            assertFalse(Files.exists(node.blobPath(first)), node.id());
        }
        assertTrue(store.find(second, data.length).isPresent());
    }

    @Test
    void usageCountsBlobFilesAndBytesExactlyWhileWalkingIsQuick() throws IOException {
        assertArrayEquals(new long[] {0, 0}, stg1.usage(), "the first walk of a small node answers at once");
        String a = put("12345".getBytes(UTF_8));
        put("123".getBytes(UTF_8));
        assertArrayEquals(new long[] {2, 8}, stg1.usage());
        store.delete(a);
        assertArrayEquals(new long[] {1, 3}, stg1.usage(), "walked again: a quick walk is never reused");
    }

    @Test
    void writeCommitFindOnEveryNode() throws IOException {
        byte[] data = "hello world\n".getBytes(UTF_8);
        String id = put(data);

        assertTrue(BlobStore.isBlobId(id), id);
        for (StorageNode node : store.nodes()) {
            Path file = node.root().resolve("blobs").resolve(id.substring(0, 2)).resolve(id);
            assertArrayEquals(data, Files.readAllBytes(file), node.id());
            assertEquals(List.of(id), node.listBlobIds());
        }
        assertEquals(3, allFiles().size(), "no temp file is left behind");

        BlobReader reader = store.find(id, data.length).orElseThrow();
        assertEquals("stg1", reader.nodeId());
        assertEquals(List.of(), reader.missingOn());
        assertArrayEquals(data, read(reader, 0, data.length));
    }

    @Test
    void largeAndMixedWritesArriveIntact() throws IOException {
        byte[] data = new byte[100_000];
        new Random(7).nextBytes(data);
        String id;
        try (PendingBlob blob = store.prepare()) {
            OutputStream out = blob.output();
            out.write(data, 0, 10); // buffered
            out.write(data[10]); // single byte
            out.write(data, 11, 20_000); // larger than the buffer
            out.write(data, 20_011, 8_000); // fills the buffer past its end
            out.write(data, 28_011, data.length - 28_011);
            id = blob.commit();
        }
        for (StorageNode node : store.nodes()) {
            assertArrayEquals(data, Files.readAllBytes(node.blobPath(id)), node.id());
        }
    }

    @Test
    void emptyBlob() throws IOException {
        String id = put(new byte[0]);
        BlobReader reader = store.find(id, 0).orElseThrow();
        assertArrayEquals(new byte[0], read(reader, 0, 0));
    }

    @Test
    void rangeReadsReturnExactlyTheRange() throws IOException {
        byte[] data = "0123456789abcdefghij".getBytes(UTF_8);
        String id = put(data);
        BlobReader reader = store.find(id, data.length).orElseThrow();

        assertArrayEquals("5678".getBytes(UTF_8), read(reader, 5, 4));
        assertArrayEquals("j".getBytes(UTF_8), read(reader, 19, 1));
        assertArrayEquals(new byte[0], read(reader, 20, 0));
        try (InputStream in = reader.open(2, 3)) {
            assertEquals('2', in.read());
            assertEquals(1, in.skip(1));
            assertEquals('4', in.read());
            assertEquals(-1, in.read());
        }
        assertThrows(IllegalArgumentException.class, () -> reader.open(15, 6));
        assertThrows(IllegalArgumentException.class, () -> reader.open(-1, 1));
    }

    @Test
    void closeWithoutCommitLeavesNoFiles() throws IOException {
        try (PendingBlob blob = store.prepare()) {
            blob.output().write(new byte[20_000]);
            assertEquals(List.of("stg1", "stg2", "stg3"), blob.nodeIds());
            assertEquals(3, allFiles().size(), "one temp file per node while writing");
        }
        assertEquals(List.of(), allFiles());
    }

    @Test
    void closeAfterCommitKeepsTheBlobAndWritesAfterCommitFail() throws IOException {
        PendingBlob blob = store.prepare();
        blob.output().write(1);
        String id = blob.commit();
        assertThrows(IOException.class, () -> blob.output().write(2));
        blob.close();
        blob.close();
        assertTrue(store.find(id, 1).isPresent());
    }

    @Test
    void failedCommitBelowTheQuorumRemovesWhatWasRenamed() throws IOException {
        BlobStore all = new BlobStore(List.of(stg1, stg2, stg3), false, 3);
        PendingBlob blob = all.prepare();
        blob.output().write("x".getBytes(UTF_8));
        // make stg3's rename fail: its temp file disappears under it
        Path stg3Tmp;
        try (Stream<Path> files = Files.list(dir.resolve("stg3/tmp"))) {
            stg3Tmp = files.findFirst().orElseThrow();
        }
        String id = stg3Tmp.getFileName().toString().replace(".tmp", "");
        Files.delete(stg3Tmp);

        StorageException e = assertThrows(StorageException.class, blob::commit);
        assertEquals(ErrorCode.ServiceUnavailable, e.code());
        assertTrue(e.getMessage().contains("stg3 (I/O error: cannot commit blob " + id), e.getMessage());
        assertEquals(NodeState.DOWN, stg3.state(), "the node that failed is marked down");
        blob.close();
        assertEquals(List.of(), allFiles());
        assertTrue(all.find(id, 1).isEmpty());
    }

    @Test
    void aNodeFailingDuringAWriteIsMarkedDownAndTheWriteGoesOnWhileTheQuorumHolds() throws IOException {
        BlobStore two = new BlobStore(List.of(stg1, stg2, stg3), false, 2);
        stg2.readOnly(true);
        String id;
        try (PendingBlob blob = two.prepare()) {
            assertEquals(List.of("stg1", "stg3"), blob.nodeIds());
            blob.output().write("x".getBytes(UTF_8));
            id = blob.commit();
        }
        assertEquals(NodeState.DOWN, stg2.state());
        assertTrue(stg2.reason().startsWith("read-only: "), stg2.reason());
        assertTrue(Files.exists(stg1.blobPath(id)) && Files.exists(stg3.blobPath(id)));
        assertFalse(Files.exists(stg2.blobPath(id)));
        assertEquals(NodeState.DOWN, stg2.check(), "check() sees the read-only directory too");
        stg2.markUp();
        assertEquals(NodeState.UP, stg2.state());
    }

    @Test
    void nodeMarkedDownIsSkippedOnWriteAndRead() throws IOException {
        stg2.markDown("maintenance");
        assertEquals(NodeState.DOWN, stg2.state());
        assertEquals("maintenance", stg2.reason());
        assertEquals(NodeState.DOWN, stg2.check(), "check() keeps a node marked down down");

        String id;
        try (PendingBlob blob = store.prepare()) {
            assertEquals(List.of("stg1", "stg3"), blob.nodeIds());
            blob.output().write(42);
            id = blob.commit();
        }
        assertFalse(Files.exists(stg2.blobPath(id)));

        stg1.markDown("gone");
        BlobReader reader = store.find(id, 1).orElseThrow();
        assertEquals("stg3", reader.nodeId());
        assertEquals(List.of(), reader.missingOn(), "down nodes are not reported as missing the blob");

        stg1.markUp();
        stg2.markUp();
        assertEquals(NodeState.UP, stg2.state());
        BlobReader again = store.find(id, 1).orElseThrow();
        assertEquals("stg1", again.nodeId());
    }

    @Test
    void noNodeUpIsServiceUnavailableNamingEveryNode() {
        stg1.markDown("disk full");
        stg2.markDown("unplugged");
        stg3.markDown("slow");
        StorageException e = assertThrows(StorageException.class, store::prepare);
        assertEquals(ErrorCode.ServiceUnavailable, e.code());
        assertEquals("no storage node is up: stg1 (disk full), stg2 (unplugged), stg3 (slow)", e.getMessage());
    }

    @Test
    void replicaMissingOnFirstNodeIsReadFromSecond() throws IOException {
        byte[] data = "replicated".getBytes(UTF_8);
        String id = put(data);
        Files.delete(stg1.blobPath(id));

        BlobReader reader = store.find(id, data.length).orElseThrow();
        assertEquals("stg2", reader.nodeId());
        assertEquals(List.of("stg1"), reader.missingOn());
        assertArrayEquals(data, read(reader, 0, data.length));
    }

    @Test
    void truncatedReplicaIsSkipped() throws IOException {
        byte[] data = "0123456789".getBytes(UTF_8);
        String id = put(data);
        Files.write(stg1.blobPath(id), "01234".getBytes(UTF_8));
        Files.delete(stg2.blobPath(id));

        BlobReader reader = store.find(id, data.length).orElseThrow();
        assertEquals("stg3", reader.nodeId());
        assertEquals(List.of("stg1", "stg2"), reader.missingOn());

        Files.delete(stg3.blobPath(id));
        assertEquals(Optional.empty(), store.find(id, data.length));
    }

    @Test
    void deleteRemovesEveryReplicaAndMissingIsFine() throws IOException {
        String id = put("bye".getBytes(UTF_8));
        Files.delete(stg2.blobPath(id));
        store.delete(id);
        assertEquals(List.of(), blobFiles());
        store.delete(id);
        store.delete("0123456789abcdef0123456789abcdef");
    }

    private List<Path> blobFiles() throws IOException {
        return allFiles().stream()
                .filter(p -> p.getParent().getParent().getFileName().toString().equals("blobs"))
                .toList();
    }

    private static List<Path> tmpFiles(StorageNode node) throws IOException {
        try (Stream<Path> files = Files.list(node.tmpDir())) {
            return files.toList();
        }
    }

    private static Object inode(Path file) throws IOException {
        return Files.getAttribute(file, "unix:ino");
    }

    @Test
    void aDeletedSmallBlobsFilesAreWrittenOverByTheNextBlobs() throws IOException {
        String old = put("the first blob, somewhat longer than the next".getBytes(UTF_8));
        Object[] inodes = {inode(stg1.blobPath(old)), inode(stg2.blobPath(old)), inode(stg3.blobPath(old))};
        store.delete(old);
        assertEquals(List.of(), blobFiles(), "no replica is left under blobs/");
        for (StorageNode node : List.of(stg1, stg2, stg3)) {
            assertEquals(1, tmpFiles(node).size(), "kept as the node's spare: " + tmpFiles(node));
        }
        assertTrue(store.find(old, 45).isEmpty());

        String next = put("shorter".getBytes(UTF_8));
        assertArrayEquals(
                new Object[] {inode(stg1.blobPath(next)), inode(stg2.blobPath(next)), inode(stg3.blobPath(next))},
                inodes,
                "the new blob's replicas are the spares' files");
        for (StorageNode node : List.of(stg1, stg2, stg3)) {
            assertArrayEquals(
                    "shorter".getBytes(UTF_8), Files.readAllBytes(node.blobPath(next)), "the old tail is cut off");
            assertEquals(List.of(), tmpFiles(node));
        }
        String third = put("a third blob, the longest of them all by far".getBytes(UTF_8));
        assertEquals(
                "a third blob, the longest of them all by far",
                new String(read(store.find(third, 44).orElseThrow(), 0, 44), UTF_8));
    }

    @Test
    void aBlobBeingReadIsDeletedNotRecycledSoItsReaderKeepsItsBytes() throws IOException {
        byte[] first = new byte[4096];
        byte[] second = new byte[4096];
        new Random(1).nextBytes(first);
        new Random(2).nextBytes(second);
        String id = put(first);
        BlobReader reader = store.find(id, first.length).orElseThrow(); // no MD5: streamed from the file
        try (InputStream in = reader.open(0, first.length)) {
            store.delete(id);
            assertEquals(List.of(), tmpFiles(stg1), "unlinked, not kept as a spare");
            put(second);
            assertArrayEquals(first, in.readAllBytes());
        }
        String again = put(first);
        store.delete(again);
        assertEquals(1, tmpFiles(stg1).size(), "once its reader closed, a blob is recycled again");
    }

    @Test
    void largeBlobsAreDeletedAndANodeKeepsAtMostItsShareOfSpares() throws IOException {
        String large = put(new byte[(int) StorageNode.MAX_SPARE_BYTES + 1]);
        store.delete(large);
        assertEquals(List.of(), allFiles());

        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < StorageNode.MAX_SPARES + 5; i++) {
            ids.add(put(("blob " + i).getBytes(UTF_8)));
        }
        for (String id : ids) {
            store.delete(id);
        }
        assertEquals(List.of(), blobFiles());
        assertEquals(StorageNode.MAX_SPARES, tmpFiles(stg2).size());
    }

    @Test
    void aSpareRemovedFromTheDirectoryIsReplacedByANewFile() throws IOException {
        store.delete(put("soon a spare".getBytes(UTF_8)));
        for (Path spare : tmpFiles(stg1)) {
            Files.delete(spare); // a reset or a user emptied the directory meanwhile
        }
        String id = put("written anyway".getBytes(UTF_8));
        assertArrayEquals("written anyway".getBytes(UTF_8), Files.readAllBytes(stg1.blobPath(id)));
        assertEquals(List.of(stg1.id(), stg2.id(), stg3.id()), store.replicas().nodesHolding(id, 14));
    }

    @Test
    void leftoverTempFilesAreRemovedAtConstruction() throws IOException {
        Path leftover = dir.resolve("stg2/tmp/0123456789abcdef0123456789abcdef.tmp");
        Files.write(leftover, new byte[100]);
        String kept = put("kept".getBytes(UTF_8));

        BlobStore restarted = new BlobStore(List.of(stg1, stg2, stg3), false);
        assertFalse(Files.exists(leftover));
        assertTrue(restarted.find(kept, 4).isPresent(), "committed blobs survive");
    }

    @Test
    void badBlobIdsAreRejectedBeforeTouchingFiles() {
        for (String bad : new String[] {
            "../../etc/passwd",
            "0123456789ABCDEF0123456789ABCDEF",
            "0123456789abcdef",
            "0123456789abcdef0123456789abcdeg",
            "",
            null,
            "0123456789abcdef0123456789abcde/"
        }) {
            StorageException e = assertThrows(StorageException.class, () -> store.find(bad, 1), String.valueOf(bad));
            assertEquals(ErrorCode.InvalidArgument, e.code());
            assertThrows(StorageException.class, () -> store.delete(bad));
            assertThrows(StorageException.class, () -> stg1.blobPath(bad));
            assertFalse(BlobStore.isBlobId(bad));
        }
    }

    @Test
    void checkReportsAMissingDirectory() throws IOException {
        StorageNode node = new StorageNode("stg9", dir.resolve("stg9"));
        assertEquals(NodeState.UP, node.check());
        try (Stream<Path> paths = Files.walk(node.root())) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
        assertEquals(NodeState.DOWN, node.check());
        assertTrue(node.reason().startsWith("directory missing: "), node.reason());
        Files.createDirectories(node.root());
        assertEquals(NodeState.UP, node.check());
        assertNull(node.reason());
    }

    @Test
    void blobIdsAreRandomAndUnique() throws IOException {
        String a = put(new byte[] {1});
        String b = put(new byte[] {1});
        assertFalse(a.equals(b));
        assertTrue(a.matches("[0-9a-f]{32}"));
    }

    @Test
    void nodeWhoseDirectoryCannotBeCreatedStartsDown() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        StorageNode node = new StorageNode("stg9", file);
        assertEquals(NodeState.DOWN, node.state());
        assertTrue(node.reason().contains("not-a-dir"), node.reason());
    }

    @Test
    void prepareThatCannotCreateATempFileBelowTheQuorumFailsAndLeavesNothing() throws IOException {
        Files.delete(dir.resolve("stg2/tmp"));
        BlobStore all = new BlobStore(List.of(stg1, stg2, stg3), false, 3);
        StorageException e = assertThrows(StorageException.class, all::prepare);
        assertEquals(ErrorCode.ServiceUnavailable, e.code());
        assertTrue(e.getMessage().contains("stg2 (I/O error: cannot create temp file"), e.getMessage());
        assertEquals(List.of(), allFiles());
    }
}

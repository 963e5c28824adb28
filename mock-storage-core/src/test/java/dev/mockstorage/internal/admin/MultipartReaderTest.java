package dev.mockstorage.internal.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mockstorage.internal.error.StorageException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {

    /** Delivers at most 7 bytes per read, so boundaries straddle every buffer edge. */
    private static InputStream trickle(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };
    }

    @Test
    void readsFieldsAndABinaryFileWithBoundaryLookalikes() throws Exception {
        byte[] file = new byte[200_000];
        new Random(1).nextBytes(file);
        byte[] fake = "\r\n--bn\r\n-bnd\r\n--".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(fake, 0, file, 65_530, fake.length); // across the 64 KiB buffer edge
        byte[] body = concat(
                ("preamble\r\n--bnd\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk\u00e9\r\n--bnd\r\n"
                                + "Content-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".bin\"\r\nContent-Type: x/y\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8),
                file,
                "\r\n--bnd--\r\nepilogue".getBytes(StandardCharsets.US_ASCII));
        MultipartReader r = new MultipartReader(trickle(body), "bnd");
        MultipartReader.Part key = r.next();
        assertEquals("key", key.name());
        assertEquals("k\u00e9", new String(key.body().readAllBytes(), StandardCharsets.UTF_8));
        MultipartReader.Part f = r.next();
        assertEquals("file", f.name());
        assertEquals("a \"b\".bin", f.filename());
        assertEquals("x/y", f.contentType());
        assertArrayEquals(file, f.body().readAllBytes());
        assertNull(r.next());
    }

    @Test
    void unreadPartsAreSkipped() throws Exception {
        String body = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nAAAA\r\n--b\r\n"
                + "Content-Disposition: form-data; name=\"c\"\r\n\r\n\r\n--b--";
        MultipartReader r =
                new MultipartReader(new ByteArrayInputStream(body.getBytes(StandardCharsets.US_ASCII)), "b");
        assertEquals("a", r.next().name());
        MultipartReader.Part c = r.next();
        assertEquals("c", c.name());
        assertEquals(0, c.body().readAllBytes().length);
        assertNull(r.next());
    }

    @Test
    void malformedBodiesAreRejectedNamingTheBody() {
        String[] bad = {
            "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno closing boundary",
            "--b\r\nno-colon-header\r\n\r\nx\r\n--b--",
            "--b\r\nX-Other: 1\r\n\r\nx\r\n--b--",
            "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n",
        };
        for (String b : bad) {
            StorageException e = assertThrows(
                    StorageException.class,
                    () -> {
                        MultipartReader r = new MultipartReader(
                                new ByteArrayInputStream(b.getBytes(StandardCharsets.US_ASCII)), "b");
                        for (MultipartReader.Part p = r.next(); p != null; p = r.next()) {
                            p.body().readAllBytes();
                        }
                    },
                    b);
            assertEquals("body", e.details().get("ArgumentName"));
        }
    }

    @Test
    void boundaryParameterIsParsed() {
        assertEquals("abc", MultipartReader.boundary("multipart/form-data; boundary=abc"));
        assertEquals("a b", MultipartReader.boundary("Multipart/Form-Data;charset=utf-8; boundary=\"a b\""));
        assertNull(MultipartReader.boundary("application/octet-stream"));
        assertNull(MultipartReader.boundary(null));
        assertThrows(StorageException.class, () -> MultipartReader.boundary("multipart/form-data"));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}

package dev.mockstorage.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * The cheapest possible S3 on loopback, for the benchmark's floor: it answers every PUT with the
 * headers mock-storage sends and every GET with one fixed body and the same headers, storing
 * nothing. The SDK's latency against it is its own cost (request building, signing, checksums,
 * parsing) plus the loopback round trip, which no server can take away.
 */
final class CannedResponder implements AutoCloseable {
    private static final String DATE = "Wed, 25 Nov 2026 22:00:00 GMT";

    private final ServerSocket socket;
    private final byte[] putResponse;
    private final byte[] getResponse;

    CannedResponder(byte[] body) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(body);
        String crc32 = Base64.getEncoder()
                .encodeToString(
                        ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        String common = "ETag: \"6520213d3695a344f306efffa2523807\"\r\nx-amz-checksum-crc32: " + crc32
                + "\r\nx-amz-checksum-type: FULL_OBJECT\r\nx-amz-request-id: 0000000000000002\r\nx-amz-id-2: 59f99ea\r\n"
                + "Server: MockStorage\r\nDate: " + DATE + "\r\n";
        putResponse =
                ("HTTP/1.1 200 OK\r\n" + common + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] head = ("HTTP/1.1 200 OK\r\nLast-Modified: " + DATE
                        + "\r\nAccept-Ranges: bytes\r\nContent-Type: binary/octet-stream\r\n" + common
                        + "Content-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        getResponse = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, getResponse, head.length, body.length);
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "canned-responder");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    private void accept() {
        try {
            while (true) {
                Socket s = socket.accept();
                s.setTcpNoDelay(true);
                Thread t = new Thread(() -> serve(s), "canned-connection");
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException closed) {
            // close() ends the loop
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
            OutputStream out = s.getOutputStream();
            for (String request; (request = line(in)) != null; ) {
                long length = 0;
                for (String header; !(header = line(in)).isEmpty(); ) {
                    String lower = header.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        length = Long.parseLong(header.substring(15).trim());
                    } else if (lower.startsWith("transfer-encoding:") || lower.startsWith("expect:")) {
                        throw new IOException("the canned responder reads Content-Length bodies only: " + header);
                    }
                }
                in.skipNBytes(length);
                out.write(request.startsWith("PUT ") ? putResponse : getResponse);
                out.flush();
            }
        } catch (IOException e) {
            // the client closed its pool (a reset), or sent what the responder does not read, which
            // fails the client's request loudly
        }
    }

    /** One header line without its CRLF; null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != -1; ) {
            if (c == '\n') {
                return sb.toString().strip();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

package dev.mockstorage.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The floor of {@link StartBenchmark}: a JVM that only opens a server socket and answers every request
 * {@code 200 ok}, the least a Java server can do before its first answer. JDK classes only, so the same
 * class runs on the host and, mounted, in a Java base image.
 */
public final class SocketOnly {
    private static final byte[] OK =
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);

    private SocketOnly() {}

    /** @param args {@code PORT [HOST]} (host 127.0.0.1 unless given) */
    public static void main(String[] args) throws IOException {
        InetAddress host = InetAddress.getByName(args.length > 1 ? args[1] : "127.0.0.1");
        try (ServerSocket server = new ServerSocket(Integer.parseInt(args[0]), 50, host)) {
            while (true) {
                try (Socket client = server.accept()) {
                    InputStream in = client.getInputStream();
                    int newlines = 0;
                    int b;
                    while (newlines < 4 && (b = in.read()) >= 0) { // up to the blank line after the head
                        newlines = b == '\r' || b == '\n' ? newlines + 1 : 0;
                    }
                    client.getOutputStream().write(OK);
                }
            }
        }
    }
}

package dev.mockstorage.internal.service;

import java.security.SecureRandom;

/**
 * Random bytes for the ids this package makes (version ids, upload ids). The generator is created at the
 * first id, not at the server's start: the first {@code SecureRandom} of a JVM sets up the JDK's security
 * providers (15 ms).
 */
final class RandomBytes {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomBytes() {}

    static byte[] of(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}

package dev.mockstorage.internal.cli;

/** The command line cannot be understood; the message says what was wrong and what to write instead. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}

package dev.mockstorage.internal.metadata;

import java.time.Instant;

/**
 * The lock of one object version: its retention and its legal hold.
 *
 * @param mode        {@code GOVERNANCE} or {@code COMPLIANCE}, or null for no retention
 * @param retainUntil until when the retention holds (null exactly when {@code mode} is)
 * @param legalHold   the legal hold: null when never set, else ON (true) or OFF (false)
 */
public record ObjectLock(String mode, Instant retainUntil, Boolean legalHold) {
    /** Nothing: no retention, no legal hold ever set. */
    public boolean isEmpty() {
        return mode == null && legalHold == null;
    }
}

package dev.mockstorage.server;

import dev.mockstorage.StorageClock;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.service.Maintenance;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** {@link StorageClock} of an in-process server: what {@code /api/v1/clock} reads and moves. */
final class ServerStorageClock implements StorageClock {
    private final Maintenance maintenance;

    ServerStorageClock(Maintenance maintenance) {
        this.maintenance = maintenance;
    }

    @Override
    public Instant now() {
        return maintenance.clock().instant();
    }

    @Override
    public Instant advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        try {
            return maintenance.advanceClock(amount);
        } catch (StorageException e) {
            throw ServerStorageNodes.translate(e); // a negative amount: IllegalArgumentException
        }
    }

    @Override
    public Duration offset() {
        return maintenance.clock().offset();
    }

    @Override
    public String toString() {
        return maintenance.clock().toString();
    }
}

package dev.mockstorage.server;

import dev.mockstorage.StorageNodes;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.service.FaultInjection;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** {@link StorageNodes} of an in-process server: the same {@link FaultInjection} the admin API calls. */
final class ServerStorageNodes implements StorageNodes {
    private final FaultInjection faults;

    ServerStorageNodes(FaultInjection faults) {
        this.faults = faults;
    }

    @Override
    public List<Node> list() {
        return faults.list().stream()
                .map(n -> new Node(n.id(), n.up(), n.reason(), n.delay()))
                .toList();
    }

    @Override
    public void down(String nodeId) {
        run(() -> faults.down(nodeId));
    }

    @Override
    public void up(String nodeId) {
        run(() -> faults.up(nodeId));
    }

    @Override
    public void readOnly(String nodeId) {
        run(() -> faults.readOnly(nodeId));
    }

    @Override
    public void slow(String nodeId, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        run(() -> faults.slow(nodeId, delay));
    }

    @Override
    public void corrupt(String bucket, String key, String nodeId) {
        run(() -> faults.corrupt(bucket, key, nodeId));
    }

    /** Client mistakes (unknown node, bucket, key or replica) as IllegalArgumentException, the rest as IllegalStateException. */
    static void run(Runnable action) {
        try {
            action.run();
        } catch (StorageException e) {
            throw translate(e);
        }
    }

    static RuntimeException translate(StorageException e) {
        int status = e.code().status();
        return status >= 400 && status < 500 && e.code() != ErrorCode.SlowDown
                ? new IllegalArgumentException(e.getMessage(), e)
                : new IllegalStateException(e.getMessage(), e);
    }

    @Override
    public String toString() {
        return "StorageNodes" + list();
    }
}

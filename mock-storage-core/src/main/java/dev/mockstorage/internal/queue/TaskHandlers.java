package dev.mockstorage.internal.queue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The handler of each task kind, for the {@link TaskQueue}'s construction. Not thread-safe while being filled. */
public final class TaskHandlers {
    private final Map<String, TaskHandler> outside = new LinkedHashMap<>();
    private final Map<String, TransactionalTaskHandler> inTransaction = new LinkedHashMap<>();

    private TaskHandlers() {}

    /** No handlers yet. */
    public static TaskHandlers create() {
        return new TaskHandlers();
    }

    /** Handlers that all work outside the database. */
    public static TaskHandlers of(Map<String, TaskHandler> handlers) {
        TaskHandlers h = new TaskHandlers();
        handlers.forEach(h::run);
        return h;
    }

    /** Registers a handler that works outside the database (at least once). */
    public TaskHandlers run(String kind, TaskHandler handler) {
        requireNew(kind);
        outside.put(kind, handler);
        return this;
    }

    /** Registers a handler that changes metadata only, applied in the completing transaction (exactly once). */
    public TaskHandlers inTransaction(String kind, TransactionalTaskHandler handler) {
        requireNew(kind);
        inTransaction.put(kind, handler);
        return this;
    }

    /** The kinds that have a handler. */
    public Set<String> kinds() {
        Set<String> kinds = new TreeSet<>(outside.keySet());
        kinds.addAll(inTransaction.keySet());
        return kinds;
    }

    private void requireNew(String kind) {
        if (outside.containsKey(kind) || inTransaction.containsKey(kind)) {
            throw new IllegalArgumentException("task kind '" + kind + "' already has a handler");
        }
    }

    Map<String, TaskHandler> outside() {
        return Map.copyOf(outside);
    }

    Map<String, TransactionalTaskHandler> inTransaction() {
        return Map.copyOf(inTransaction);
    }
}

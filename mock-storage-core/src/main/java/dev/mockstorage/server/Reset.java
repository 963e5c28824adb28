package dev.mockstorage.server;

import dev.mockstorage.internal.config.Config;
import dev.mockstorage.internal.config.ConfigException;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.service.FaultInjection;
import dev.mockstorage.internal.service.ObjectService;
import dev.mockstorage.internal.thirdparty.ScriptedUpstream;
import dev.mockstorage.journal.RequestJournal;

/**
 * Back to the state a server starts in: what {@link MockStorageServer#reset()} and
 * {@code POST /api/v1/reset} do, and the configured buckets a start creates.
 */
final class Reset implements Runnable {
    private final Config config;
    private final FaultInjection faults;
    private final ObjectService service;
    private final ScriptedUpstream thirdParty;
    private final RequestJournal journal;

    Reset(
            Config config,
            FaultInjection faults,
            ObjectService service,
            ScriptedUpstream thirdParty,
            RequestJournal journal) {
        this.config = config;
        this.faults = faults;
        this.service = service;
        this.thirdParty = thirdParty;
        this.journal = journal;
    }

    /** See {@link MockStorageServer#reset()}. */
    @Override
    public synchronized void run() {
        faults.clear();
        service.maintenance().deleteEverything();
        service.maintenance().rewindClock(); // after the delete: nothing written on the moved clock is left
        thirdParty.reset();
        if (config.thirdParty().scripts() != null) {
            thirdParty.loadScripts(config.thirdParty().scripts()); // back to the start state, as storage.buckets
        }
        try {
            journal.clear();
        } catch (IllegalStateException e) {
            // journal.size = 0: nothing recorded, nothing to clear
        }
        createConfiguredBuckets(config, service);
    }

    /** {@code storage.buckets}: existing ones are kept, a bad name stops the start. */
    static void createConfiguredBuckets(Config config, ObjectService service) {
        for (String bucket : config.storage().buckets()) {
            try {
                service.buckets().create(bucket);
            } catch (StorageException e) {
                if (e.code() == ErrorCode.BucketAlreadyOwnedByYou) {
                    continue;
                }
                if (e.code() == ErrorCode.InvalidBucketName) {
                    throw new ConfigException("storage.buckets: " + e.getMessage());
                }
                throw e;
            }
        }
    }
}

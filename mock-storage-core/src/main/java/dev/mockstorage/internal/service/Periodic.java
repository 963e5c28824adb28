package dev.mockstorage.internal.service;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The periodic work of every server in this JVM (the lifecycle rules' application every minute, the consistency
 * check when {@code storage.check_interval_ms} asks for it) on one daemon thread, made at the first job and
 * ended after a minute without any: a server's start and close then cost no thread of their own, and each
 * {@code @MockStorage} test starts and closes a server whose periodic work never comes due in its lifetime.
 * Jobs run one at a time; a server's jobs are cancelled when it closes (one running then finishes).
 */
final class Periodic {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private Periodic() {}

    /**
     * Runs {@code job} every {@code interval} from now on, until the returned future is cancelled; the job
     * catches its own failures (one that throws is not run again).
     */
    static ScheduledFuture<?> every(Duration interval, Runnable job) {
        long ms = interval.toMillis();
        return TIMER.scheduleWithFixedDelay(job, ms, ms, TimeUnit.MILLISECONDS);
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "mock-storage-periodic");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true); // cancelled jobs leave the queue, so the thread can end
        timer.setKeepAliveTime(1, TimeUnit.MINUTES);
        timer.allowCoreThreadTimeOut(true);
        return timer;
    }
}

package org.jdissect.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Worker threads and waiting for them. Pools are daemon threads named after their job (so a thread dump reads
 * "jdissect-decode-2", and a library user's JVM is never kept alive by them); waiting surfaces a worker's failure as
 * itself: a RuntimeException or Error is rethrown unchanged (a JdissectException keeps its message for the user), an
 * IOException becomes UncheckedIOException.
 */
public final class Threads {
    private Threads() {
    }

    /** A fixed pool of {@code threads} daemon threads named {@code jdissect-<job>-1, -2, ...}. */
    public static ExecutorService pool(String job, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        AtomicInteger counter = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "jdissect-" + job + "-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The number of worker threads when the user gives none: every core the JVM may use. */
    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    public static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(io.getMessage(), io);
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Waits for every future in order; on the first failure the rest are cancelled and the failure rethrown. */
    public static void awaitAll(List<? extends Future<?>> futures) {
        try {
            for (Future<?> f : futures) {
                await(f);
            }
        } finally {
            for (Future<?> f : futures) {
                f.cancel(true);
            }
        }
    }

    /**
     * Lets the tasks already given to {@code pool} finish (for at most a minute) without interrupting them, and
     * takes no more: for a writer whose file channels an interrupt would close under a write.
     */
    public static void finishQuietly(ExecutorService pool) {
        pool.shutdown();
        try {
            pool.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

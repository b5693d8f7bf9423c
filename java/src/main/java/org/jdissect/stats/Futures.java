package org.jdissect.stats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Waiting for pooled work so that a failure surfaces as itself: a worker's RuntimeException or Error is rethrown
 * unchanged (a JdissectException keeps its message for the user), an IOException becomes UncheckedIOException.
 */
public final class Futures {
    private Futures() {
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

    public static void awaitAll(List<? extends Future<?>> futures) {
        for (Future<?> f : futures) {
            await(f);
        }
    }
}

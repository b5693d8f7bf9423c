package org.jdissect.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import org.jdissect.io.ProgressListener;

/**
 * Progress on stderr: on a terminal a bar with count, images/s and ETA; elsewhere (logs, CI) one line per task
 * when it ends, so logs are not flooded with redraws. Nothing when quiet.
 */
final class ConsoleProgress implements ProgressListener {
    private final boolean quiet;
    private final boolean terminal;

    ConsoleProgress(boolean quiet) {
        this.quiet = quiet;
        this.terminal = System.console() != null;
    }

    @Override
    public Tracker begin(String task, long total) {
        if (quiet) {
            return NONE.begin(task, total);
        }
        if (!terminal) {
            return new LineTracker(task);
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" img", 1)
                .showSpeed()
                .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setMaxRenderedLength(110)
                .continuousUpdate()
                .build();
        return new Tracker() {
            @Override
            public void advance(int images) {
                bar.stepBy(images);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }

    /** One summary line per task: what was done, how long it took, how fast. */
    private static final class LineTracker implements Tracker {
        private final String task;
        private final long start = System.nanoTime();
        private final java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();

        LineTracker(String task) {
            this.task = task;
        }

        @Override
        public void advance(int images) {
            done.addAndGet(images);
        }

        @Override
        public void close() {
            double seconds = (System.nanoTime() - start) / 1e9;
            System.err.printf("%s: %d in %.1f s (%.0f img/s)%n", task, done.get(), seconds,
                    done.get() / Math.max(seconds, 1e-9));
        }
    }
}

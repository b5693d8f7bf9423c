package org.jdissect.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import org.jdissect.dissect.ProgressListener;

/** Progress bars on the terminal (stderr): count, rate in images/s and ETA. Quiet when asked. */
final class ConsoleProgress implements ProgressListener {
    private final boolean quiet;

    ConsoleProgress(boolean quiet) {
        this.quiet = quiet;
    }

    @Override
    public Tracker begin(String task, long total) {
        if (quiet) {
            return NONE.begin(task, total);
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" img", 1)
                .showSpeed()
                .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
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
}

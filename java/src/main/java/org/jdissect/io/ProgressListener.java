package org.jdissect.io;


/** Where long work reports progress; the CLI draws a bar with images/s and ETA, the library default is silent. */
public interface ProgressListener {
    ProgressListener NONE = (task, total) -> new Tracker() {
        @Override
        public void advance(int images) {
        }

        @Override
        public void close() {
        }
    };

    /** Starts a task of {@code total} images. */
    Tracker begin(String task, long total);

    interface Tracker extends Progress, AutoCloseable {
        @Override
        void close();
    }
}

package org.jdissect.io;

/** Receives progress of long work in units of images. Implementations must be thread-safe. */
@FunctionalInterface
public interface Progress {
    Progress NONE = images -> { };

    /** {@code images} more images are done. */
    void advance(int images);
}

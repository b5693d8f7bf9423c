package org.jdissect.cli;

import java.nio.file.Path;

import org.jdissect.dissect.DissectionOutput;
import org.jdissect.io.OutputLock;

/** Which folder a command locks while it writes: see {@link OutputLock}. */
final class Locks {
    private Locks() {
    }

    /** The command writes {@code out} as a whole (a dissection, a report). */
    static OutputLock output(Path out, JdissectCommand root) {
        return OutputLock.acquire(out, String.join(" ", root.invocation().command()));
    }

    /**
     * The command writes {@code out}, which may lie in a dissection whose report it then rewrites: that dissection is
     * locked, or {@code out} itself when it lies in none.
     */
    static OutputLock within(Path out, JdissectCommand root) {
        return output(DissectionOutput.find(out).orElse(out), root);
    }
}

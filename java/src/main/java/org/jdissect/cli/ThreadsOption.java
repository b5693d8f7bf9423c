package org.jdissect.cli;

import picocli.CommandLine.Option;

import org.jdissect.JdissectException;
import org.jdissect.io.Threads;

/** --threads, shared by every command that computes. */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    /** The number given, checked, or every core. */
    int threads() {
        if (threads == null) {
            return Threads.cores();
        }
        if (threads < 1) {
            throw JdissectException.usage("--threads must be >= 1, got " + threads);
        }
        return threads;
    }
}

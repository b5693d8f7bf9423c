package org.jdissect.cli;

import picocli.CommandLine.Option;

import org.jdissect.JdissectException;
import org.jdissect.io.Threads;

/** --threads, shared by every command that computes. */
final class ThreadsOption {
    private static final System.Logger LOG = System.getLogger(ThreadsOption.class.getName());

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    /**
     * The number given, checked, or every core. More threads than cores only slow the work down (ONNX Runtime with
     * 500 threads on 2 cores ran inference 25 times slower than with 2): they are capped at the cores, with a line.
     */
    int threads() {
        if (threads == null) {
            return Threads.cores();
        }
        if (threads < 1) {
            throw new JdissectException("--threads must be >= 1, got " + threads);
        }
        if (threads > Threads.cores()) {
            LOG.log(System.Logger.Level.INFO, "--threads " + threads + ": this machine gives Java "
                    + Threads.cores() + " cores; using " + Threads.cores() + " (more would only slow it down)");
            threads = Threads.cores();
        }
        return threads;
    }
}

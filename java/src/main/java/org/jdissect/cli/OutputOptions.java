package org.jdissect.cli;

import picocli.CommandLine.Option;

import org.jdissect.io.ProgressListener;

/** -q and -v, shared by every command that runs long. */
final class OutputOptions {
    @Option(names = {"-q", "--quiet"}, description = "No progress bars.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Also the details: why a GPU was not used, what was read from "
            + "where, each skipped file.")
    void verbose(boolean v) {
        if (v) {
            CliLogging.verbose();
        }
    }

    ProgressListener progress() {
        return new ConsoleProgress(quiet);
    }
}

package org.jdissect.cli;

import picocli.CommandLine.Option;

import org.jdissect.dissect.DissectionOptions;
import org.jdissect.io.Sizes;
import org.jdissect.stats.Precision;

/** How a dissection runs: batches, memory, resuming. Shared by dissect and gan-dissect. */
final class RunOptions {
    @Option(names = "--batch", defaultValue = DissectionOptions.BATCH, paramLabel = "N",
            description = "Images per inference batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--memory", defaultValue = DissectionOptions.MEMORY, paramLabel = "SIZE",
            description = "A layer's cached activations up to this size are held in memory, larger ones are read "
                    + "from the cache file; e.g. 512m, 4g (default: ${DEFAULT-VALUE}).")
    String memory;

    @Option(names = "--fresh", description = "Ignore an existing activation cache in OUT instead of resuming.")
    boolean fresh;

    @Option(names = "--precision", defaultValue = DissectionOptions.PRECISION, paramLabel = "fp16|fp32",
            description = "How the activation cache holds values: fp16 (half the disk and memory; thresholds and "
                    + "counts exact for the half-rounded values, statistics on the CPU or GPU) or fp32 (exact for "
                    + "the model's own values, as a float64 reference; twice the cache, statistics on the CPU) "
                    + "(default: ${DEFAULT-VALUE}).")
    String precision;

    DissectionOptions options(ScoringOptions scoring, int threads, boolean skipBad) {
        return new DissectionOptions(scoring.quantile, scoring.iouThreshold, scoring.topk, batch,
                Sizes.parse(memory, "--memory"), threads, fresh, skipBad, Precision.parse("--precision", precision))
                .validate();
    }
}

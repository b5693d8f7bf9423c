package org.jdissect.cli;

import picocli.CommandLine.Option;

/** NetDissect's two settings, shared by dissect and gan-dissect: the mask's top quantile and the IoU cut-off. */
final class ScoringOptions {
    @Option(names = "--quantile", defaultValue = "0.005", paramLabel = "Q",
            description = "Top quantile of each unit's activations that forms its mask (default: ${DEFAULT-VALUE}).")
    double quantile;

    @Option(names = "--iou-threshold", defaultValue = "0.04", paramLabel = "T",
            description = "IoU at which a unit counts as interpretable (default: ${DEFAULT-VALUE}).")
    double iouThreshold;
}

package org.jdissect.cli;

import picocli.CommandLine.Option;

import org.jdissect.dissect.DissectionOptions;

/** NetDissect's settings, shared by dissect and gan-dissect: the mask's top quantile, the IoU cut-off, top images. */
final class ScoringOptions {
    @Option(names = "--quantile", defaultValue = DissectionOptions.QUANTILE, paramLabel = "Q",
            description = "Top quantile of each unit's activations that forms its mask (default: ${DEFAULT-VALUE}).")
    double quantile;

    @Option(names = "--iou-threshold", defaultValue = DissectionOptions.IOU_THRESHOLD, paramLabel = "T",
            description = "IoU at which a unit counts as interpretable (default: ${DEFAULT-VALUE}).")
    double iouThreshold;

    @Option(names = "--topk", defaultValue = DissectionOptions.TOPK, paramLabel = "K",
            description = "Top images kept per unit (default: ${DEFAULT-VALUE}).")
    int topk;
}

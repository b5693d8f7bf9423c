package org.jdissect.dissect;

import java.nio.file.Path;
import java.util.List;

import org.jdissect.data.BrodenDataset;
import org.jdissect.model.Preprocessing;

/** What a dissection ran on and with: recorded in every output so a result can be traced and reproduced. */
public record DissectionInfo(Path model, String modelFingerprint, Path data, String dataFingerprint,
                             List<String> categories, BrodenDataset dataset, List<Integer> rows,
                             Preprocessing preprocessing, double quantile, double iouThreshold, int topk,
                             String backend, int skippedImages) {
}

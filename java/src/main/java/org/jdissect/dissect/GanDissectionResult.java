package org.jdissect.dissect;

import org.jdissect.model.SegmenterLabels;
import org.jdissect.report.ReportContext;

/** The result of a GAN dissection: how its files name things, the layer's result, the segmenter's classes. */
public record GanDissectionResult(ReportContext context, LayerResult layer, SegmenterLabels labels) {
    public Summary summary() {
        return Summary.of(layer.scores(), context.categories(), context.iouThreshold());
    }
}

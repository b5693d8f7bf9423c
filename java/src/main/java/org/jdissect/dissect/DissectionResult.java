package org.jdissect.dissect;

import java.util.List;

/** The result of a dissection: its settings and one result per layer, in the order asked. */
public record DissectionResult(DissectionInfo info, List<LayerResult> layers) {
    public Summary summary(LayerResult layer) {
        return Summary.of(layer.scores(), info.categories(), info.iouThreshold());
    }
}

package org.jdissect.dissect;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jdissect.data.BrodenDataset;
import org.jdissect.model.Preprocessing;
import org.jdissect.report.ReportContext;

/** What a dissection ran on and with: recorded in every output so a result can be traced and reproduced. */
public record DissectionInfo(Path model, String modelFingerprint, Path data, String dataFingerprint,
                             List<String> categories, BrodenDataset dataset, List<Integer> rows,
                             Preprocessing preprocessing, double quantile, double iouThreshold, int topk,
                             String backend, int skippedImages) {

    /** How the layer files name labels and images, and the settings they record. */
    public ReportContext reportContext() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("model", model.toString());
        settings.put("model_sha256", modelFingerprint);
        settings.put("dataset", data.toString());
        settings.put("dataset_fingerprint", dataFingerprint);
        settings.put("categories", categories);
        settings.put("images", rows.size());
        settings.put("skipped_images", skippedImages);
        settings.put("preprocessing", preprocessing.describe());
        settings.put("quantile", quantile);
        settings.put("threshold_method", "exact linear-interpolation percentile over fp16-cached activations");
        settings.put("upsampling", "PIL bilinear: half-pixel centres, fp32 fma (growing), double sums (shrinking)");
        settings.put("iou_threshold", iouThreshold);
        settings.put("topk", topk);
        settings.put("backend", backend);
        return new ReportContext(categories, dataset::labelName, i -> dataset.row(rows.get(i)).image(),
                i -> dataset.row(rows.get(i)).line(), settings, iouThreshold);
    }
}

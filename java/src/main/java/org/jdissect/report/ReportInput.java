package org.jdissect.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jdissect.dissect.DissectionOutput;
import org.jdissect.dissect.LayerRecord;

/**
 * What a dissection output holds for its report, as the pages read it: the run's record (provenance, source,
 * settings), its categories, and per layer the units with their labels, scores and top images, and the timings.
 */
final class ReportInput {
    private final DissectionOutput output;
    private final List<ReportLayer> layers;
    private final Map<ReportLayer, Map<String, Double>> timings;

    private ReportInput(DissectionOutput output, List<ReportLayer> layers, Map<ReportLayer, Map<String, Double>> timings) {
        this.output = output;
        this.layers = List.copyOf(layers);
        this.timings = Map.copyOf(timings);
    }

    static ReportInput of(DissectionOutput output) {
        List<ReportLayer> layers = new ArrayList<>();
        Map<ReportLayer, Map<String, Double>> timings = new LinkedHashMap<>();
        for (DissectionOutput.Layer l : output.layers()) {
            ReportLayer view = view(output, l);
            layers.add(view);
            timings.put(view, l.record().timingsSeconds());
        }
        return new ReportInput(output, layers, timings);
    }

    private static ReportLayer view(DissectionOutput output, DissectionOutput.Layer l) {
        LayerRecord r = l.record();
        List<ReportLayer.Unit> units = new ArrayList<>(r.units().size());
        for (LayerRecord.Unit u : r.units()) {
            List<ReportLayer.TopImage> top = new ArrayList<>(u.topImages().size());
            for (LayerRecord.TopImage t : u.topImages()) {
                top.add(new ReportLayer.TopImage(t.image(), t.maxActivation()));
            }
            units.add(new ReportLayer.Unit(u.unit(), u.label(), u.category(), u.iou(), u.interpretable(),
                    u.threshold(), u.maskPixels(), List.copyOf(top)));
        }
        var layer = r.layer();
        var sum = r.summary();
        return new ReportLayer(output.out().resolve(l.dir()).resolve(LayerRecord.FILE), l.dir(), layer.name(),
                layer.op(), layer.units(), layer.height(), layer.width(), sum.headline(), sum.interpretable(),
                sum.uniqueConcepts(), new LinkedHashMap<>(sum.unitsPerCategory()), List.copyOf(units));
    }

    DissectionOutput output() {
        return output;
    }

    /** What every layer shares: provenance, source, settings. */
    LayerRecord first() {
        return output.first();
    }

    List<String> categories() {
        return first().settings().categories();
    }

    List<ReportLayer> layers() {
        return layers;
    }

    /** Each layer's timings. */
    Map<ReportLayer, Map<String, Double>> timings() {
        return timings;
    }

    /** A generator's output: top-sample strips instead of dataset images and masks. */
    boolean gan() {
        return output.generated();
    }

    double dissectionSeconds() {
        return output.dissectionSeconds();
    }
}

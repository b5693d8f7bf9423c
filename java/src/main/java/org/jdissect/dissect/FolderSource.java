package org.jdissect.dissect;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jdissect.data.ImageFolder;
import org.jdissect.io.Provenance;
import org.jdissect.model.LayerInfo;
import org.jdissect.model.LayerRunner;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Preprocessing;
import org.jdissect.stats.LabelSource;

/**
 * A network on any folder of images, each labelled pixel by pixel by a segmentation model: every image goes through
 * the network and, prepared for it, through the segmenter; the segmentation is cached beside the layers.
 */
final class FolderSource implements Source {
    private final Probe.SegmentedImages probe;
    private final DissectionOptions options;
    private final ImageFolder folder;
    private final OnnxModel model;
    private LayerRunner runner;
    private final List<LayerInfo> layers;
    private final Segmenting segmenting;

    private FolderSource(Probe.SegmentedImages probe, DissectionOptions options, ImageFolder folder,
                         OnnxModel model, LayerRunner runner, Segmenting segmenting) {
        this.probe = probe;
        this.options = options;
        this.folder = folder;
        this.model = model;
        this.runner = runner;
        this.layers = runner.layers();
        this.segmenting = segmenting;
    }

    static FolderSource open(Probe.SegmentedImages probe, DissectionOptions options, OnnxModel.Inference inference) {
        ImageFolder folder = ImageFolder.open(probe.images());
        OnnxModel model = OnnxModel.load(probe.model(), inference);
        LayerRunner runner = null;
        try {
            runner = model.runner(probe.layers(), probe.preprocessing(), options.threads());
            Preprocessing pre = probe.preprocessing();
            Segmenting seg = Segmenting.open(probe.segmentation(), pre.height(), pre.width(), options.threads(),
                    inference);
            return new FolderSource(probe, options, folder, model, runner, seg);
        } catch (RuntimeException e) {
            if (runner != null) {
                runner.close();
            }
            model.close();
            throw e;
        }
    }

    ImageFolder folder() {
        return folder;
    }

    @Override
    public List<LayerInfo> layers() {
        return layers;
    }

    @Override
    public List<LayerInfo> cachedLayers() {
        List<LayerInfo> all = new ArrayList<>(layers);
        all.add(segmenting.layer());
        return all;
    }

    @Override
    public Map<String, Object> cacheKey() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("model", model.fingerprint());
        key.put("model_external", model.provenance("model", null).externalData());
        key.put("dataset", folder.fingerprint());
        key.put("layers", probe.layers());
        key.put("preprocessing", probe.preprocessing().describe());
        segmenting.key(key);
        key.put("skipBad", options.skipBad());
        key.put("format", "segmented images v1: layers fp16, segmentation label numbers as fp16");
        return key;
    }

    @Override
    public int candidates() {
        return folder.size();
    }

    @Override
    public java.util.function.IntFunction<long[]> stamper() {
        return row -> Source.stamp(folder.file(row));
    }

    @Override
    public String noun() {
        return "images";
    }

    @Override
    public String task() {
        return "inference and segmentation";
    }

    @Override
    public Producer producer(int first) {
        Preprocessing pre = probe.preprocessing();
        Preprocessing segPre = segmenting.preprocessing();
        return new DecodingProducer(folder.size(), options.threads(), options.skipBad(),
                (candidate, decoder, arrays) -> {
                    BufferedImage image = folder.read(candidate, decoder);
                    float[] pixels = arrays.floats(pre.valuesPerImage());
                    pre.apply(image, pixels, 0);
                    float[] segPixels = arrays.floats(segPre.valuesPerImage());
                    segPre.apply(image, segPixels, 0);
                    return new DecodingProducer.Prepared(candidate, pixels, segPixels, null);
                }, batch -> {
                    List<float[]> out = new ArrayList<>(runner.run(batch.images()));
                    out.add(Segmenting.asValues(segmenting.segmenter().segmentPrepared(batch.segmenter(),
                            batch.size())));
                    return out;
                });
    }

    @Override
    public void release() {
        if (runner != null) {
            runner.close();
            runner = null;
        }
    }

    @Override
    public LabelSource labels(List<Integer> rows,
                              java.util.function.IntFunction<org.jdissect.stats.ActivationSource> cached) {
        return segmenting.cachedLabels(cached.apply(cachedLayers().size() - 1));
    }

    @Override
    public List<String> categories() {
        return segmenting.categories();
    }

    @Override
    public String labelName(int label) {
        return segmenting.labels().labelName(label);
    }

    @Override
    public int[] primaryCategory() {
        return segmenting.labels().primaryCategory();
    }

    @Override
    public String imageName(int row) {
        return folder.name(row);
    }

    @Override
    public int imageLine(int row) {
        return row;
    }

    @Override
    public LayerRecord.Source record(int images, int skipped) {
        return new LayerRecord.Source.SegmentedImages(probe.images().toString(), folder.fingerprint(), images,
                skipped, segmenting.labelsFile());
    }

    @Override
    public List<Provenance.Model> models() {
        return List.of(model.provenance("model", probe.preprocessing()), segmenting.provenance());
    }

    @Override
    public Provenance.Dataset dataset() {
        return new Provenance.Dataset("image-folder", probe.images().toString(), folder.fingerprint());
    }

    @Override
    public void close() {
        release();
        segmenting.close();
        model.close();
    }
}

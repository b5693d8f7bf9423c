package org.jdissect.dissect;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jdissect.JdissectException;
import org.jdissect.data.BrodenDataset;
import org.jdissect.data.ImageDecoder;
import org.jdissect.io.Provenance;
import org.jdissect.model.LayerInfo;
import org.jdissect.model.LayerRunner;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Preprocessing;
import org.jdissect.stats.LabelSource;

/**
 * A network on a Broden dataset: every index row with a label in the chosen categories is a candidate; its image
 * goes through the model and its label maps are checked meanwhile, and kept as runs for the tally while they fit
 * ({@link LabelRuns}: an eighth of the Java heap's maximum, at most a quarter of {@code --memory}); the tally reads
 * the others from the dataset again.
 */
final class BrodenSource implements Source {
    private static final System.Logger LOG = System.getLogger(BrodenSource.class.getName());
    private final Probe.Broden probe;
    private final DissectionOptions options;
    private final BrodenDataset dataset;
    private final List<Integer> candidates;
    private final OnnxModel model;
    private LayerRunner runner;
    private final List<LayerInfo> layers;
    /** Where the dataset is, as records name it: the folder, or the URI a local copy was made from. */
    private String location;
    private final LabelRuns runs;

    private BrodenSource(Probe.Broden probe, DissectionOptions options, BrodenDataset dataset,
                         List<Integer> candidates, OnnxModel model, LayerRunner runner) {
        this.probe = probe;
        this.options = options;
        this.dataset = dataset;
        this.candidates = candidates;
        this.model = model;
        this.runner = runner;
        this.layers = runner.layers();
        this.location = probe.data().toString();
        this.runs = new LabelRuns(dataset.size(), Math.min(Runtime.getRuntime().maxMemory() / 8, options.memory() / 4));
    }

    /** Records name the dataset so (a URI that {@code probe.data()} is a local copy of). */
    void location(String v) {
        location = v;
    }

    @Override
    public int candidateRow(int candidate) {
        return candidates.get(candidate);
    }

    static BrodenSource open(Probe.Broden probe, DissectionOptions options, OnnxModel.Inference inference) {
        BrodenDataset dataset = BrodenDataset.open(probe.data(), probe.categories(), options.skipBad());
        for (String why : dataset.skippedReasons()) {
            LOG.log(System.Logger.Level.WARNING, "skipped: " + why);
        }
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < dataset.size(); i++) {
            if (dataset.hasLabels(i)) {
                candidates.add(i);
            }
        }
        if (candidates.isEmpty()) {
            throw new JdissectException("no image in " + probe.data().resolve("index.csv") + " has labels in the "
                    + "categories " + dataset.categories());
        }
        OnnxModel model = OnnxModel.load(probe.model(), inference);
        try {
            LayerRunner runner = model.runner(probe.layers(), probe.preprocessing(), options.threads());
            return new BrodenSource(probe, options, dataset, List.copyOf(candidates), model, runner);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    BrodenDataset brodenDataset() {
        return dataset;
    }

    @Override
    public List<LayerInfo> layers() {
        return layers;
    }

    @Override
    public List<LayerInfo> cachedLayers() {
        return layers;
    }

    @Override
    public Map<String, Object> cacheKey() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("model", model.fingerprint());
        key.put("model_external", model.provenance("model", null).externalData());
        key.put("dataset", dataset.fingerprint());
        key.put("categories", dataset.categories());
        key.put("layers", probe.layers());
        key.put("preprocessing", probe.preprocessing().describe());
        key.put("skipBad", options.skipBad());
        key.put("format", "fp16 [image][unit][y][x] little-endian, v1");
        return key;
    }

    @Override
    public int candidates() {
        return candidates.size();
    }

    @Override
    public int rowCount() {
        return dataset.size();
    }

    @Override
    public java.util.function.IntFunction<long[]> stamper() {
        return row -> {
            try {
                return Source.stamp(dataset.imagePath(row));
            } catch (RuntimeException e) {
                return new long[] {-1, -1}; // gone or moved out: a changed image
            }
        };
    }

    @Override
    public String noun() {
        return "images";
    }

    @Override
    public Producer producer(int first) {
        Preprocessing pre = probe.preprocessing();
        int per = pre.valuesPerImage();
        ImageDecoder.Planes planes = pre.jpegPlanes();
        return new DecodingProducer(candidates.size(), options.threads(), options.skipBad(),
                (candidate, decoder, arrays) -> {
                    int row = candidates.get(candidate);
                    float[] pixels = arrays.floats(per);
                    // a colour JPEG of the input's size is decoded straight into the model's input
                    BufferedImage image = dataset.readImage(row, decoder, planes, pixels, 0);
                    if (image != null) {
                        pre.apply(image, pixels, 0);
                    }
                    // a corrupt label map fails here, not after the whole inference; the maps this check decodes
                    // are kept as runs for the tally, which then decodes no PNG again (LabelRuns)
                    LabelRuns.Recorder recorder = runs.start(row);
                    dataset.checkLabels(row, recorder);
                    recorder.keep();
                    return new DecodingProducer.Prepared(row, pixels, null, null);
                }, batch -> runner.run(batch.images()));
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
        LOG.log(System.Logger.Level.DEBUG, () -> "label maps of " + runs.rows() + " images kept as runs for the tally ("
                + org.jdissect.io.Sizes.format(runs.bytes()) + "); the others are read from the dataset");
        return new DatasetLabels(dataset, rows, runs);
    }

    @Override
    public List<String> categories() {
        return dataset.categories();
    }

    @Override
    public String labelName(int label) {
        return dataset.labelName(label);
    }

    @Override
    public int[] primaryCategory() {
        return dataset.primaryCategory();
    }

    @Override
    public String imageName(int row) {
        return dataset.row(row).image();
    }

    @Override
    public int imageLine(int row) {
        return dataset.row(row).line();
    }

    @Override
    public int skippedBefore() {
        return dataset.skipped();
    }

    @Override
    public LayerRecord.Source record(int images, int skipped) {
        return new LayerRecord.Source.Broden(location, dataset.fingerprint(), images, skipped,
                options.skipBad());
    }

    @Override
    public List<Provenance.Model> models() {
        return List.of(model.provenance("model", probe.preprocessing()));
    }

    @Override
    public Provenance.Dataset dataset() {
        return new Provenance.Dataset("broden", location, dataset.fingerprint());
    }

    @Override
    public void close() {
        release();
        model.close();
    }
}

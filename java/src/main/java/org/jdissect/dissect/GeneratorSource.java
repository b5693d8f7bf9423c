package org.jdissect.dissect;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jdissect.io.AtomicFiles;
import org.jdissect.io.Provenance;
import org.jdissect.model.GeneratedImages;
import org.jdissect.model.Generator;
import org.jdissect.model.LayerInfo;
import org.jdissect.model.OnnxModel;
import org.jdissect.stats.LabelSource;

/**
 * A generator's layer on seeded samples: each batch of latents runs through the head (the layer's activations,
 * cached) and the tail (the image), and the image, as the 8-bit RGB it would be saved as, through the segmenter.
 * Sample {@code i} of a seed is always the same image, so the top samples are drawn again from their seeds.
 */
final class GeneratorSource implements Source {
    private final Probe.Generated probe;
    private final OnnxModel model;
    private final Generator generator;
    private final Segmenting segmenting;

    private GeneratorSource(Probe.Generated probe, OnnxModel model, Generator generator, Segmenting segmenting) {
        this.probe = probe;
        this.model = model;
        this.generator = generator;
        this.segmenting = segmenting;
    }

    static GeneratorSource open(Probe.Generated probe, DissectionOptions options, OnnxModel.Inference inference) {
        OnnxModel model = OnnxModel.load(probe.generator(), inference);
        Generator gen = null;
        try {
            gen = Generator.open(model, probe.layer(), options.threads());
            int[] shape = gen.imageShape();
            Segmenting seg = Segmenting.open(probe.segmentation(), shape[1], shape[2], options.threads(), inference);
            return new GeneratorSource(probe, model, gen, seg);
        } catch (RuntimeException e) {
            if (gen != null) {
                gen.close();
            }
            model.close();
            throw e;
        }
    }

    @Override
    public List<LayerInfo> layers() {
        return List.of(generator.layer());
    }

    @Override
    public List<LayerInfo> cachedLayers() {
        return List.of(generator.layer(), segmenting.layer());
    }

    @Override
    public Map<String, Object> cacheKey() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("generator", model.fingerprint());
        key.put("model_external", model.provenance("generator", null).externalData());
        key.put("layer", probe.layer());
        segmenting.key(key);
        key.put("range", List.of(probe.rangeLow(), probe.rangeHigh()));
        key.put("seed", probe.seed());
        key.put("samples", probe.samples());
        key.put("format", "gan v1: layer fp16, segmentation label numbers as fp16");
        return key;
    }

    @Override
    public int candidates() {
        return probe.samples();
    }

    @Override
    public String noun() {
        return "samples";
    }

    @Override
    public String task() {
        return "generation and segmentation";
    }

    @Override
    public Producer producer(int first) {
        int[] shape = generator.imageShape();
        return new Producer() {
            @Override
            public Batch next(int from, int to) {
                int n = to - from;
                Generator.Head head = generator.head(generator.latents(probe.seed(), from, n), n);
                float[] images = generator.tail(head, n);
                List<BufferedImage> rgb = GeneratedImages.toRgb(images, n, shape[1], shape[2], probe.rangeLow(),
                        probe.rangeHigh());
                int[] rows = new int[n];
                for (int i = 0; i < n; i++) {
                    rows[i] = from + i;
                }
                return new Batch(rows, List.of(head.values(),
                        Segmenting.asValues(segmenting.segmenter().segment(rgb))), List.of());
            }

            @Override
            public void close() {
            }
        };
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
        return Probe.Generated.sampleName(row, probe.seed());
    }

    @Override
    public int imageLine(int row) {
        return row;
    }

    @Override
    public LayerRecord.Source record(int images, int skipped) {
        return new LayerRecord.Source.Generated(images, probe.seed(), List.of(probe.rangeLow(), probe.rangeHigh()),
                segmenting.labelsFile());
    }

    @Override
    public List<Provenance.Model> models() {
        return List.of(model.provenance("generator", null), segmenting.provenance());
    }

    @Override
    public Provenance.Dataset dataset() {
        return null;
    }

    @Override
    public Map<String, Long> seeds() {
        return Map.of("latents", probe.seed());
    }

    /** {@code dir/top/unit_0001.png}: each unit's top samples side by side, drawn again from their seeds. */
    @Override
    public void writeExtras(LayerResult result, List<Integer> rows, Path dir) {
        int[] shape = generator.imageShape();
        int[][] top = result.stats().topImages();
        for (int u = 0; u < top.length; u++) {
            if (top[u].length == 0) {
                continue;
            }
            BufferedImage strip = new BufferedImage(top[u].length * shape[2], shape[1], BufferedImage.TYPE_INT_RGB);
            Graphics2D g = strip.createGraphics();
            for (int r = 0; r < top[u].length; r++) {
                int sample = rows.get(top[u][r]);
                Generator.Head head = generator.head(generator.latents(probe.seed(), sample, 1), 1);
                BufferedImage img = GeneratedImages.toRgb(generator.tail(head, 1), 1, shape[1], shape[2],
                        probe.rangeLow(), probe.rangeHigh()).get(0);
                g.drawImage(img, r * shape[2], 0, null);
            }
            g.dispose();
            AtomicFiles.writePng(DissectionOutput.topSamples(dir, u + 1), strip);
        }
    }



    @Override
    public void close() {
        segmenting.close();
        generator.close();
        model.close();
    }
}

package org.jdissect.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.jdissect.dissect.Dissection;
import org.jdissect.dissect.DissectionResult;
import org.jdissect.dissect.Probe;
import org.jdissect.dissect.Segmentation;
import org.jdissect.dissect.Summary;
import org.jdissect.model.Generator;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Preprocessing;
import org.jdissect.cuda.Devices;
import org.jdissect.stats.Backend;

/**
 * Generator dissection and edits on the demo models (models-onnx/scene_gan.onnx, scene_seg.onnx): samples/s of
 * gan-dissect (generate, segment, tally), and of edits with the head cached (masked ablation, tail only) against
 * running the whole generator per edit. CPU backend; the figures are whole-pipeline wall times.
 *
 * <p>Usage: {@code GanBench [models=models-onnx] [layer=layer3] [samples=400] [edits=20] [repeats=3]}
 */
public final class GanBench {
    private GanBench() {
    }

    public static void main(String[] args) throws Exception {
        Path models = Path.of(args.length > 0 ? args[0] : "models-onnx");
        String layer = args.length > 1 ? args[1] : "layer3";
        int samples = args.length > 2 ? Integer.parseInt(args[2]) : 400;
        int edits = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        int repeats = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        String device = args.length > 5 ? args[5] : "cpu";
        int threads = Runtime.getRuntime().availableProcessors();
        Preprocessing seg = new Preprocessing(64, 64, Preprocessing.ChannelOrder.RGB, 255f,
                new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f});
        System.out.printf("generator %s at %s, segmenter %s; %d samples, %d threads, --device %s%n",
                models.resolve("scene_gan.onnx"), layer, models.resolve("scene_seg.onnx"), samples, threads, device);
        double[] dissect = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            Path out = Files.createTempDirectory("jdissect-ganbench");
            long t0 = System.nanoTime();
            DissectionResult result;
            try (Backend backend = Devices.open(device, threads)) {
                result = Dissection.builder().probe(new Probe.Generated(models.resolve("scene_gan.onnx"), layer, -1f,
                                1f, samples, 1, Segmentation.of(models.resolve("scene_seg.onnx"),
                                models.resolve("scene_seg_labels.csv"), seg)))
                        .quantile(0.02).out(out).fresh(true).threads(threads).backend(backend).run();
            }
            dissect[r] = samples / ((System.nanoTime() - t0) / 1e9);
            Summary summary = result.layers().get(0).record().summary();
            System.out.printf("gan-dissect run %d: %.0f samples/s (%d/%d units interpretable)%n", r + 1, dissect[r],
                    summary.interpretable(), summary.units());
        }
        try (OnnxModel gm = OnnxModel.load(models.resolve("scene_gan.onnx"));
             Generator gen = Generator.open(gm, layer, threads);
             Backend backend = Devices.open(device, threads)) {
            int batch = 16;
            Generator.Head head = gen.head(gen.latents(1, 0, batch), batch);
            int units = gen.layer().channels();
            int hw = gen.layer().height() * gen.layer().width();
            float[] alpha = new float[units];
            Arrays.fill(alpha, 0, Math.min(8, units), 1f);
            float[] zero = new float[units];
            double[] cached = new double[repeats];
            double[] whole = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                for (int e = 0; e < edits; e++) {
                    float[] x = head.values().clone();
                    backend.ablate(x, batch, units, hw, alpha, zero);
                    gen.tail(head, x, batch);
                }
                long t1 = System.nanoTime();
                for (int e = 0; e < edits; e++) {
                    Generator.Head h = gen.head(gen.latents(1, 0, batch), batch);
                    float[] x = h.values().clone();
                    backend.ablate(x, batch, units, hw, alpha, zero);
                    gen.tail(h, x, batch);
                }
                long t2 = System.nanoTime();
                cached[r] = edits * batch / ((t1 - t0) / 1e9);
                whole[r] = edits * batch / ((t2 - t1) / 1e9);
                System.out.printf("edits run %d: head cached %.0f samples/s, whole generator %.0f samples/s%n", r + 1,
                        cached[r], whole[r]);
            }
            System.out.printf("median: gan-dissect %.0f samples/s; edits %.0f samples/s with the head cached, %.0f "
                    + "re-running the whole generator (%.1fx)%n", TallyBench.median(dissect), TallyBench.median(cached),
                    TallyBench.median(whole), TallyBench.median(cached) / TallyBench.median(whole));
        }
    }
}

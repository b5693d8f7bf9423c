package org.jdissect.bench;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Random;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import org.jdissect.intervene.Ablator;
import org.jdissect.intervene.HeadCache;
import org.jdissect.model.GraphSplit;
import org.jdissect.model.LayerInfo;
import org.jdissect.model.OnnxBuilder;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Preprocessing;
import org.jdissect.model.SplitRunner;
import org.jdissect.cuda.Devices;
import org.jdissect.stats.Backend;
import org.jdissect.io.Progress;

/**
 * Ranking every unit of a classifier's top layer (each unit ablated alone, over every image) two ways: with the
 * head cached once and only the tail re-run per ablation (jdissect's way), and by re-running the whole model with
 * the layer edited inside the graph. The whole-model way is timed on a sample of units and extrapolated to all.
 *
 * <p>Default model: a VGG-like classifier built here (64x64 input; conv 32, pool, conv 64, pool, conv 128 = the
 * layer, pool, fc 256, fc 10; seeded random weights). Any classifier: {@code --model M --layer L --size S}.
 *
 * <p>Usage: {@code AblationBench [--images 1000] [--threads N] [--baseline-units 8] [--batch 50]
 * [--model M.onnx --layer L --size S]}
 */
public final class AblationBench {
    private AblationBench() {
    }

    public static void main(String[] args) throws Exception {
        int images = 1000;
        int threads = Runtime.getRuntime().availableProcessors();
        int sample = 8;
        int batch = 50;
        Path modelFile = null;
        String layer = "conv3_relu";
        int size = 64;
        String device = "cpu";
        Path data = null;
        float[] mean = new float[3];
        float[] std = {1, 1, 1};
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--images" -> images = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--baseline-units" -> sample = Integer.parseInt(args[i + 1]);
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--model" -> modelFile = Path.of(args[i + 1]);
                case "--layer" -> layer = args[i + 1];
                case "--size" -> size = Integer.parseInt(args[i + 1]);
                case "--device" -> device = args[i + 1];
                case "--data" -> data = Path.of(args[i + 1]);
                case "--mean" -> mean = floats(args[i + 1]);
                case "--std" -> std = floats(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (modelFile == null) {
            modelFile = vggLike(Files.createTempDirectory("jdissect-bench").resolve("vgg_like.onnx"), size);
        }
        Preprocessing pre = new Preprocessing(size, size, Preprocessing.ChannelOrder.RGB, 255f, mean, std);
        int per = pre.valuesPerImage();
        float[] pixels = new float[images * per];
        if (data == null) {
            // noise: enough for timing; the agreement of predictions means more on real images (--data)
            Random rnd = new Random(7);
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = rnd.nextFloat();
            }
        } else {
            org.jdissect.data.BrodenDataset ds = org.jdissect.data.BrodenDataset.open(data, List.of(), false);
            if (ds.size() < images) {
                throw new IllegalArgumentException(data + " has " + ds.size() + " images, fewer than --images "
                        + images);
            }
            for (int i = 0; i < images; i++) {
                pre.apply(ds.readImage(i), pixels, i * per);
            }
        }
        try (OnnxModel model = OnnxModel.load(modelFile);
             Backend backend = Devices.open(device, threads)) {
            LayerInfo info = model.layer(layer, pre);
            int units = info.channels();
            System.out.printf("model %s, layer %s (%d units, %dx%d), %d images of %dx%d, %d threads, batch %d, "
                    + "ablations on %s%n", modelFile.getFileName(), layer, units, info.height(), info.width(), images,
                    size, size, threads, batch, backend.name());

            // jdissect: head once, then the masked tail per ablation (every unit, as rank does)
            int[] all = java.util.stream.IntStream.range(0, images).toArray();
            ModelProto edited = GraphSplit.withLayerEdit(model.proto(), layer, units);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            int[] sampleUnits = new int[Math.min(sample, units)];
            for (int k = 0; k < sampleUnits.length; k++) {
                sampleUnits[k] = (int) ((long) k * units / sampleUnits.length);
            }
            try (SplitRunner runner = SplitRunner.open(model, layer, threads);
                 OrtSession.SessionOptions opt = new OrtSession.SessionOptions()) {
                opt.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
                opt.setIntraOpNumThreads(threads);
                opt.setInterOpNumThreads(1);
                try (OrtSession session = env.createSession(edited.toByteArray(), opt)) {
                    String output = session.getOutputNames().iterator().next();
                    long t0 = System.nanoTime();
                    HeadCache cache = HeadCache.build(runner, info, model.inputName(), new long[] {3, size, size},
                            images, (i, dst, off) -> System.arraycopy(pixels, i * per, dst, off, per), batch, 0,
                            Progress.NONE);
                    long t1 = System.nanoTime();
                    Ablator ablator = new Ablator(runner, cache, backend, batch);
                    float[] zero = new float[units];
                    int[][] cachedPred = new int[units][];
                    ablator.predict(all, null, null);
                    for (int u = 0; u < units; u++) {
                        cachedPred[u] = ablator.predict(all, ablator.alphaFor(u), zero);
                    }
                    long t2 = System.nanoTime();
                    double headS = (t1 - t0) / 1e9;
                    double rankS = (t2 - t1) / 1e9;
                    System.out.printf("cached heads: head %.2f s (%.0f images/s); %d masked-tail passes over %d images "
                            + "in %.2f s: %.0f images/s; total %.2f s%n", headS, images / headS, units + 1, images,
                            rankS, ablator.tailImages() / rankS, headS + rankS);

                    // the two ways side by side on a sample of units, interleaved so that load from other
                    // processes falls on both alike
                    double[] cachedS = new double[sampleUnits.length];
                    double[] wholeS = new double[sampleUnits.length];
                    long agree = 0;
                    for (int k = 0; k < sampleUnits.length; k++) {
                        int u = sampleUnits[k];
                        long a0 = System.nanoTime();
                        ablator.predict(all, ablator.alphaFor(u), zero);
                        long a1 = System.nanoTime();
                        float[] alpha = new float[units];
                        alpha[u] = 1f;
                        int[] pred = wholeRun(env, session, output, pixels, images, per, size, batch, alpha);
                        long a2 = System.nanoTime();
                        cachedS[k] = (a1 - a0) / 1e9;
                        wholeS[k] = (a2 - a1) / 1e9;
                        for (int i = 0; i < images; i++) {
                            agree += pred[i] == cachedPred[u][i] ? 1 : 0;
                        }
                    }
                    double cachedMed = median(cachedS);
                    double wholeMed = median(wholeS);
                    System.out.printf("interleaved on %d units, median per ablation: masked tail %.3f s (%.0f images/s), "
                            + "whole model %.3f s (%.0f images/s): %.1fx per ablation%n", sampleUnits.length,
                            cachedMed, images / cachedMed, wholeMed, images / wholeMed, wholeMed / cachedMed);
                    System.out.printf("predictions agreeing between the two (fp16 cache vs fp32 graph): %.4f%n",
                            agree / (double) ((long) sampleUnits.length * images));
                    double wholeTotal = (units + 1) * wholeMed;
                    System.out.printf("SPEEDUP ranking all %d units: whole model %.1f s (extrapolated from the median) "
                            + "vs cached heads %.1f s measured (%.1f s with the median tail): %.1fx (%.1fx)%n", units,
                            wholeTotal, headS + rankS, headS + (units + 1) * cachedMed,
                            wholeTotal / (headS + rankS), wholeTotal / (headS + (units + 1) * cachedMed));
                }
            }
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static int[] wholeRun(OrtEnvironment env, OrtSession session, String output, float[] pixels, int images,
                                  int per, int size, int batch, float[] alpha) throws Exception {
        int[] pred = new int[images];
        int units = alpha.length;
        try (OnnxTensor a = OnnxTensor.createTensor(env, FloatBuffer.wrap(alpha), new long[] {1, units, 1, 1});
             OnnxTensor r = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[units]), new long[] {1, units, 1, 1})) {
            for (int start = 0; start < images; start += batch) {
                int n = Math.min(batch, images - start);
                try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels, start * per, n * per).slice(),
                        new long[] {n, 3, size, size})) {
                    Map<String, OnnxTensor> feeds = new HashMap<>();
                    feeds.put(session.getInputNames().stream().filter(s -> !s.startsWith("jdissect_")).findFirst()
                            .orElseThrow(), in);
                    feeds.put(GraphSplit.ALPHA, a);
                    feeds.put(GraphSplit.REPLACEMENT, r);
                    try (OrtSession.Result res = session.run(feeds)) {
                        OnnxTensor t = (OnnxTensor) res.get(output).orElseThrow();
                        FloatBuffer fb = t.getFloatBuffer();
                        int k = fb.remaining() / n;
                        for (int i = 0; i < n; i++) {
                            int best = 0;
                            for (int j = 1; j < k; j++) {
                                if (fb.get(i * k + j) > fb.get(i * k + best)) {
                                    best = j;
                                }
                            }
                            pred[start + i] = best;
                        }
                    }
                }
            }
        }
        return pred;
    }

    /** conv 3->32, pool, conv 32->64, pool, conv 64->128 (conv3_relu), pool, fc 256, fc 10; He-initialised. */
    static float[] floats(String text) {
        String[] p = text.split(",");
        if (p.length != 3) {
            throw new IllegalArgumentException("expected a,b,c, got " + text);
        }
        return new float[] {Float.parseFloat(p[0]), Float.parseFloat(p[1]), Float.parseFloat(p[2])};
    }

    static Path vggLike(Path file, int size) {
        Random rnd = new Random(11);
        int s = size / 8;
        return OnnxBuilder.imageInput(size, size)
                .conv("input", "conv1", 32, 3, 3, 1, 1, he(rnd, 32 * 3 * 9, 3 * 9), small(rnd, 32))
                .relu("conv1", "conv1_relu")
                .maxPool("conv1_relu", "pool1", 2, 2)
                .conv("pool1", "conv2", 64, 32, 3, 1, 1, he(rnd, 64 * 32 * 9, 32 * 9), small(rnd, 64))
                .relu("conv2", "conv2_relu")
                .maxPool("conv2_relu", "pool2", 2, 2)
                .conv("pool2", "conv3", 128, 64, 3, 1, 1, he(rnd, 128 * 64 * 9, 64 * 9), small(rnd, 128))
                .relu("conv3", "conv3_relu")
                .maxPool("conv3_relu", "pool3", 2, 2)
                .flatten("pool3", "flat")
                .gemm("flat", "fc1", 256, 128 * s * s, he(rnd, 256 * 128 * s * s, 128 * s * s), small(rnd, 256))
                .relu("fc1", "fc1_relu")
                .gemm("fc1_relu", "logits", 10, 256, he(rnd, 2560, 256), small(rnd, 10))
                .output("logits")
                .save(file);
    }

    private static float[] he(Random rnd, int n, int fanIn) {
        float[] w = new float[n];
        double sd = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < n; i++) {
            w[i] = (float) (rnd.nextGaussian() * sd);
        }
        return w;
    }

    private static float[] small(Random rnd, int n) {
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            b[i] = (float) (rnd.nextGaussian() * 0.01);
        }
        return b;
    }
}

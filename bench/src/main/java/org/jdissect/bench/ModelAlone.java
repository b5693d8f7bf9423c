package org.jdissect.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.jdissect.model.LayerRunner;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Preprocessing;

/**
 * The physical limit of a CPU dissection: the model alone in ONNX Runtime, through the runner a dissection uses (its
 * session options, its layers exposed, the same batch size and threads), on tensors already preprocessed (random
 * values: a convolution's cost does not depend on them), no decoding, no cache, no statistics. bench/library-run.sh
 * prints it beside the whole runs; what they take beyond it is the pipeline's overhead.
 * Usage: ModelAlone MODEL LAYER SIZE IMAGES [BATCH=32] [THREADS=0]
 */
public final class ModelAlone {
    private ModelAlone() {
    }

    public static void main(String[] args) {
        Path model = Path.of(args[0]);
        int size = Integer.parseInt(args[2]);
        int images = Integer.parseInt(args[3]);
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 32;
        int threads = args.length > 5 ? Integer.parseInt(args[5]) : 0;
        Preprocessing pre = new Preprocessing(size, size, Preprocessing.ChannelOrder.RGB, 255f, new float[3],
                new float[] {1, 1, 1});
        float[] input = new float[batch * pre.valuesPerImage()];
        Random random = new Random(1);
        for (int i = 0; i < input.length; i++) {
            input[i] = random.nextFloat();
        }
        try (OnnxModel m = OnnxModel.load(model); LayerRunner runner = m.runner(List.of(args[1]), pre, threads)) {
            runner.run(input, batch); // the first run allocates ONNX Runtime's arena: not the steady state
            long t0 = System.nanoTime();
            for (int done = 0; done < images; done += batch) {
                runner.run(input, Math.min(batch, images - done));
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("model alone: %d images in %.2f s (%.0f images/s), batches of %d%n", images, s,
                    images / s, batch);
        }
    }
}

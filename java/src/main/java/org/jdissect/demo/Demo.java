package org.jdissect.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.jdissect.dissect.Dissection;
import org.jdissect.dissect.DissectionResult;
import org.jdissect.dissect.ProgressListener;
import org.jdissect.model.Preprocessing;

/**
 * The embedded default: builds the starter world and its detector model under {@code OUT} (once; later runs reuse
 * them) and dissects the model at its convolution and pooled layers.
 */
public final class Demo {
    public static final int IMAGES = 400;
    public static final long SEED = 1;
    public static final List<String> LAYERS = List.of("detect_relu", "pool");
    public static final Preprocessing PREPROCESSING = new Preprocessing(ColourWorld.SIZE, ColourWorld.SIZE,
            Preprocessing.ChannelOrder.RGB, 255f, new float[] {0, 0, 0}, new float[] {1, 1, 1});

    private Demo() {
    }

    public static DissectionResult run(Path out, ProgressListener progress, Consumer<String> log) {
        Path world = out.resolve("world");
        if (!Files.exists(world.resolve("index.csv"))) {
            log.accept("building the starter world: " + IMAGES + " images in " + world);
            ColourWorld.writeDataset(world, IMAGES, SEED);
        } else {
            log.accept("using the starter world in " + world);
        }
        Path model = ColourWorld.writeModel(out.resolve("colour_detectors.onnx"));
        return Dissection.builder().model(model).data(world).out(out.resolve("dissection")).layers(LAYERS)
                .preprocessing(PREPROCESSING).quantile(0.02).progress(progress).log(log).run();
    }
}

package org.jdissect.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.lang.System.Logger.Level;

import org.jdissect.JdissectException;
import org.jdissect.dissect.Dissection;
import org.jdissect.dissect.DissectionResult;
import org.jdissect.io.Invocation;
import org.jdissect.io.ProgressListener;
import org.jdissect.model.Preprocessing;
import org.jdissect.world.SceneWorld;

/**
 * The embedded default: builds a SceneWorld under {@code OUT/world} (once; later runs reuse it) and dissects the demo
 * scene classifier (models-onnx/scene_cnn.onnx, trained on another SceneWorld's scene labels only) at a low, a
 * middle and a high layer.
 */
public final class Demo {
    private static final System.Logger LOG = System.getLogger(Demo.class.getName());
    public static final String MODEL = "scene_cnn.onnx";
    /** The demo world: a seed the classifier never saw (it was trained on seed 2026). */
    public static final int IMAGES = 1500;
    public static final int SIZE = 128;
    public static final long SEED = 1;
    public static final List<String> LAYERS = List.of("conv1", "conv3", "conv5");
    public static final double QUANTILE = 0.005;
    /** As the classifier was trained: 64 x 64 RGB, (x / 255 - 0.5) / 0.5. */
    public static final Preprocessing PREPROCESSING = new Preprocessing(64, 64, Preprocessing.ChannelOrder.RGB, 255f,
            new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f});

    private Demo() {
    }

    /** Runs the demo with the models found by {@link DemoModels#locate}. */
    public static DissectionResult run(Path out, ProgressListener progress, Invocation invocation) {
        return run(out, DemoModels.locate(MODEL), progress, invocation);
    }

    public static DissectionResult run(Path out, Path modelsDir, ProgressListener progress, Invocation invocation) {
        Path model = modelsDir.resolve(MODEL);
        if (!Files.isRegularFile(model)) {
            throw new JdissectException("demo model " + model + " not found (models-onnx/train/ rebuilds it)");
        }
        Path world = out.resolve("world");
        if (isCached(world)) {
            LOG.log(Level.INFO, "using the SceneWorld in " + world);
        } else {
            LOG.log(Level.INFO, "building SceneWorld: " + IMAGES + " images of " + SIZE + "x" + SIZE + " (seed " + SEED + ") in "
                    + world);
            long start = System.nanoTime();
            try (ProgressListener.Tracker t = progress.begin("world", IMAGES)) {
                SceneWorld.write(world, IMAGES, SIZE, SEED, Runtime.getRuntime().availableProcessors(), true, t);
            }
            LOG.log(Level.INFO, String.format("built SceneWorld in %.1f s", (System.nanoTime() - start) / 1e9));
        }
        LOG.log(Level.INFO, "dissecting " + model + " at " + String.join(", ", LAYERS));
        return Dissection.builder().model(model).data(world).out(out.resolve("dissection")).layers(LAYERS)
                .preprocessing(PREPROCESSING).quantile(QUANTILE).progress(progress).invocation(invocation).run();
    }

    /** A world from an earlier run is reused when it is complete and of the demo's size. */
    static boolean isCached(Path world) {
        Path index = world.resolve("index.csv");
        if (!Files.isRegularFile(index)) {
            return false;
        }
        try (var lines = Files.lines(index)) {
            return lines.count() == IMAGES + 1;
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }
}

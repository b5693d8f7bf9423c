package org.jdissect.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.jdissect.JdissectException;

/**
 * The runner of {@link OnnxModel#runner}: one ONNX Runtime session that returns the requested layers from one
 * inference per batch, splitting or padding batches to the model's fixed batch size when it has one, with its input
 * and output buffers kept for its life.
 */
final class OrtRunner implements LayerRunner {
    private final Path file;
    private final OrtSession session;
    private final String input;
    private final List<LayerInfo> layers;
    private final Preprocessing pre;
    private FloatBuffer inputBuffer;
    private FloatBuffer[] outputs;
    private float[] tokenScratch = new float[0];
    /** Images per inference: the model's fixed batch size, or 0 when the batch dimension is free. */
    private final int fixedBatch;
    private boolean closed;

    /** {@code fixedBatch}: the model's fixed batch size, or 0 when its batch dimension is free. */
    OrtRunner(Path file, OrtSession session, String input, List<LayerInfo> layers, Preprocessing pre,
              int fixedBatch) {
        this.file = file;
        this.session = session;
        this.input = input;
        this.layers = layers;
        this.pre = pre;
        this.fixedBatch = fixedBatch;
    }

    @Override
    public List<LayerInfo> layers() {
        return layers;
    }

    @Override
    public List<float[]> run(float[] batch, int n) {
        int per = pre.valuesPerImage();
        if (n <= 0 || (long) n * per > batch.length) {
            throw new IllegalArgumentException("batch of " + batch.length + " floats cannot hold " + n
                    + " images of " + per + " values");
        }
        return run(n, (data, start, count) -> data.put(batch, start * per, count * per));
    }

    /**
     * Each image straight into the input buffer: a batch array in between was one more copy of every input (600 KB
     * for a 224 x 224 image) on the inference thread.
     */
    @Override
    public List<float[]> run(List<float[]> images) {
        int per = pre.valuesPerImage();
        for (float[] image : images) {
            if (image.length < per) {
                throw new IllegalArgumentException("an image of " + image.length + " floats, the model needs " + per);
            }
        }
        return run(images.size(), (data, start, count) -> {
            for (int i = start; i < start + count; i++) {
                data.put(images.get(i), 0, per);
            }
        });
    }

    /** Puts images {@code start .. start + count - 1} of the batch into {@code data}. */
    @FunctionalInterface
    private interface Feed {
        void put(FloatBuffer data, int start, int count);
    }

    private List<float[]> run(int n, Feed feed) {
        if (closed) {
            throw new IllegalStateException("runner is closed");
        }
        if (n <= 0) {
            throw new IllegalArgumentException("an empty batch");
        }
        int per = pre.valuesPerImage();
        List<float[]> out = new ArrayList<>(layers.size());
        for (LayerInfo l : layers) {
            out.add(new float[n * l.valuesPerImage()]);
        }
        int step = fixedBatch > 0 ? fixedBatch : n;
        ensureBuffers(step);
        for (int start = 0; start < n; start += step) {
            int count = Math.min(step, n - start);
            int fed = fixedBatch > 0 ? step : count;
            FloatBuffer data = inputBuffer.clear();
            feed.put(data, start, count);
            for (int i = count * per; i < fed * per; i++) {
                data.put(0f); // a fixed batch size: the rest of the last batch is padding
            }
            runOnce(data.flip(), fed, start, count, out);
        }
        return out;
    }

    /**
     * The model's input and the layers' outputs live in direct buffers kept for the runner's life, so a batch is
     * one copy in and one copy out. Before, ONNX Runtime copied each batch's input into a direct buffer of its
     * own (19 MB for 32 images at 224 x 224) and each output into another, freed only when a garbage collection
     * found them: on a large default heap they piled up between collections (README, Performance).
     */
    private void ensureBuffers(int step) {
        if (inputBuffer != null && inputBuffer.capacity() >= (long) step * pre.valuesPerImage()) {
            return;
        }
        inputBuffer = direct((long) step * pre.valuesPerImage());
        outputs = new FloatBuffer[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            outputs[i] = direct((long) step * layers.get(i).producedPerImage());
        }
    }

    private static FloatBuffer direct(long floats) {
        if (floats > Integer.MAX_VALUE / 4) {
            throw new JdissectException("a batch's tensor of " + floats + " values is beyond a Java buffer's 2 GB;"
                    + " use a smaller --batch");
        }
        return ByteBuffer.allocateDirect((int) floats * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private void runOnce(FloatBuffer data, int fed, int start, int count, List<float[]> out) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> pinned = new LinkedHashMap<>();
        try (OnnxTensor in = OnnxTensor.createTensor(env, data, new long[] {fed, 3, pre.height(), pre.width()})) {
            for (int i = 0; i < layers.size(); i++) {
                LayerInfo l = layers.get(i);
                FloatBuffer slice = outputs[i].clear().limit(fed * l.producedPerImage()).slice();
                pinned.put(l.name(), OnnxTensor.createTensor(env, slice, l.shape(fed)));
            }
            try (OrtSession.Result result = session.run(Map.of(input, in), pinned)) {
                for (int i = 0; i < layers.size(); i++) {
                    LayerInfo l = layers.get(i);
                    int per = l.valuesPerImage();
                    if (l.tokens() == 0) {
                        outputs[i].clear().get(out.get(i), start * per, count * per);
                        continue;
                    }
                    // tokens: N x T x D as produced, laid out as N x D x H x W for the statistics
                    int produced = l.producedPerImage();
                    if (tokenScratch.length < count * produced) {
                        tokenScratch = new float[count * produced];
                    }
                    outputs[i].clear().get(tokenScratch, 0, count * produced);
                    for (int k = 0; k < count; k++) {
                        l.toMaps(tokenScratch, k * produced, out.get(i), (start + k) * per);
                    }
                }
            }
        } catch (OrtException e) {
            StringBuilder expected = new StringBuilder();
            for (LayerInfo l : layers) {
                expected.append(expected.length() == 0 ? "" : ", ").append(l.name()).append(' ')
                        .append(Arrays.toString(l.shape(fed)));
            }
            throw JdissectException.failure(file + ": inference failed on a batch of " + fed + "x3x" + pre.height()
                    + "x" + pre.width() + " (layers expected as " + expected + "): " + e.getMessage(), e);
        } finally {
            pinned.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing an ONNX Runtime session failed", e);
        }
    }
}

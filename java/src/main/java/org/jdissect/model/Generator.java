package org.jdissect.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import org.jdissect.JdissectException;

/**
 * A generator (latent z to image) split at a layer: {@link #head} gives the layer's activations for a batch of
 * latents, {@link #tail} the images for (edited) activations. Latents are drawn from a seeded normal distribution
 * sample by sample, so sample {@code i} of seed {@code s} is the same image whatever the batch. Not thread-safe.
 */
public final class Generator implements AutoCloseable {
    private final OnnxModel model;
    private final SplitRunner split;
    private final String latent;
    private final long[] latentShape; // per sample, without the batch dimension
    private final boolean fixedBatchOfOne;
    private final LayerInfo layer;
    private final int[] imageShape; // C, H, W

    private Generator(OnnxModel model, SplitRunner split, String latent, long[] latentShape, boolean fixedBatchOfOne) {
        this.model = model;
        this.split = split;
        this.latent = latent;
        this.latentShape = latentShape;
        this.fixedBatchOfOne = fixedBatchOfOne;
        Head probe = head(latents(0, 0, 1), 1);
        long[] s = probe.activations().shape();
        if (s.length != 4) {
            throw new JdissectException(model.file() + ": layer '" + split.split().layer() + "' has shape "
                    + java.util.Arrays.toString(s) + ", not N x C x H x W");
        }
        this.layer = new LayerInfo(split.split().layer(), "", (int) s[1], (int) s[2], (int) s[3]);
        TensorData image = tailTensor(probe, probe.values());
        List<String> outs = split.split().tailOutputs();
        long[] is = image.shape();
        if (is.length != 4 || is[1] != 3) {
            throw new JdissectException(model.file() + ": the generator's output '" + outs.get(0) + "' has shape "
                    + java.util.Arrays.toString(is) + ", not N x 3 x H x W");
        }
        this.imageShape = new int[] {3, (int) is[2], (int) is[3]};
    }

    /**
     * Opens {@code model}, whose only input is the latent (any shape N x ...), split at {@code layer}.
     *
     * @throws JdissectException naming the inputs when there is not exactly one float input
     */
    public static Generator open(OnnxModel model, String layer, int threads) {
        Set<String> initializers = new HashSet<>();
        for (TensorProto t : model.proto().getGraph().getInitializerList()) {
            initializers.add(t.getName());
        }
        List<ValueInfoProto> inputs = new ArrayList<>();
        for (ValueInfoProto v : model.proto().getGraph().getInputList()) {
            if (!initializers.contains(v.getName())) {
                inputs.add(v);
            }
        }
        if (inputs.size() != 1 || inputs.get(0).getType().getTensorType().getElemType() != 1) {
            throw new JdissectException(model.file() + ": a generator needs exactly one float input, the latent z; "
                    + "this model's inputs are " + inputs.stream().map(ValueInfoProto::getName).toList());
        }
        ValueInfoProto z = inputs.get(0);
        List<TensorShapeProto.Dimension> dims = z.getType().getTensorType().getShape().getDimList();
        if (dims.size() < 2) {
            throw new JdissectException(model.file() + ": latent '" + z.getName() + "' needs a batch dimension and "
                    + "at least one more; it has " + dims.size());
        }
        long[] shape = new long[dims.size() - 1];
        for (int i = 1; i < dims.size(); i++) {
            if (!dims.get(i).hasDimValue() || dims.get(i).getDimValue() <= 0) {
                throw new JdissectException(model.file() + ": latent '" + z.getName() + "' dimension " + i
                        + " is not fixed; jdissect samples z of a fixed size");
            }
            shape[i - 1] = dims.get(i).getDimValue();
        }
        boolean one = dims.get(0).hasDimValue() && dims.get(0).getDimValue() == 1;
        SplitRunner split = SplitRunner.open(model, layer, threads);
        try {
            return new Generator(model, split, z.getName(), shape, one);
        } catch (RuntimeException e) {
            split.close();
            throw e;
        }
    }

    public LayerInfo layer() {
        return layer;
    }

    /** The generated image's C (3), H, W. */
    public int[] imageShape() {
        return imageShape.clone();
    }

    public int latentSize() {
        long n = 1;
        for (long d : latentShape) {
            n *= d;
        }
        return (int) n;
    }

    public OnnxModel model() {
        return model;
    }

    /** Latents of samples {@code first .. first + n - 1} of {@code seed}: standard normal, one stream per sample. */
    public float[] latents(long seed, int first, int n) {
        int size = latentSize();
        float[] z = new float[n * size];
        for (int i = 0; i < n; i++) {
            Random rnd = new Random(seed * 0x9E3779B97F4A7C15L + first + i);
            for (int j = 0; j < size; j++) {
                z[i * size + j] = (float) rnd.nextGaussian();
            }
        }
        return z;
    }

    /** The layer's activations ({@code n x C x H x W}) and whatever else the tail needs, for {@code n} latents. */
    public record Head(TensorData activations, Map<String, TensorData> crossings) {
        public float[] values() {
            return activations.floats();
        }
    }

    public Head head(float[] z, int n) {
        if (fixedBatchOfOne && n > 1) {
            List<Head> parts = new ArrayList<>();
            int size = latentSize();
            for (int i = 0; i < n; i++) {
                parts.add(head(java.util.Arrays.copyOfRange(z, i * size, (i + 1) * size), 1));
            }
            return concat(parts);
        }
        long[] shape = new long[latentShape.length + 1];
        shape[0] = n;
        System.arraycopy(latentShape, 0, shape, 1, latentShape.length);
        Map<String, TensorData> out = split.head(Map.of(latent, TensorData.ofFloats(z, shape)));
        Map<String, TensorData> crossings = new LinkedHashMap<>(out);
        TensorData acts = crossings.remove(split.split().layer());
        return new Head(acts, crossings);
    }

    private static Head concat(List<Head> parts) {
        Head first = parts.get(0);
        Map<String, TensorData> crossings = new LinkedHashMap<>();
        for (String name : first.crossings().keySet()) {
            List<TensorData> list = parts.stream().map(h -> h.crossings().get(name)).toList();
            crossings.put(name, concatTensors(list));
        }
        return new Head(concatTensors(parts.stream().map(Head::activations).toList()), crossings);
    }

    /** Concatenates along the batch dimension; tensors without one (shapes, constants) pass through once. */
    private static TensorData concatTensors(List<TensorData> list) {
        TensorData first = list.get(0);
        if (first.shape().length == 0 || first.shape()[0] != 1 || !first.isFloat()) {
            return first;
        }
        long[] shape = first.shape().clone();
        shape[0] = list.size();
        int per = first.floats().length;
        float[] v = new float[per * list.size()];
        for (int i = 0; i < list.size(); i++) {
            System.arraycopy(list.get(i).floats(), 0, v, i * per, per);
        }
        return TensorData.ofFloats(v, shape);
    }

    /**
     * Images ({@code n x 3 x H x W}, the generator's own value range) from the head's outputs, with the layer's
     * activations replaced by {@code activations} (same shape; edited or not).
     */
    public float[] tail(Head head, float[] activations, int n) {
        if (fixedBatchOfOne && n > 1) {
            int per = activations.length / n;
            float[] images = null;
            for (int i = 0; i < n; i++) {
                Map<String, TensorData> one = new LinkedHashMap<>();
                for (Map.Entry<String, TensorData> e : head.crossings().entrySet()) {
                    one.put(e.getKey(), slice(e.getValue(), i));
                }
                float[] img = tail(new Head(slice(head.activations(), i), one),
                        java.util.Arrays.copyOfRange(activations, i * per, (i + 1) * per), 1);
                if (images == null) {
                    images = new float[img.length * n];
                }
                System.arraycopy(img, 0, images, i * img.length, img.length);
            }
            return images;
        }
        return tailTensor(head, activations).floats();
    }

    private TensorData tailTensor(Head head, float[] activations) {
        Map<String, TensorData> inputs = new LinkedHashMap<>(head.crossings());
        inputs.put(split.split().layer(), TensorData.ofFloats(activations, head.activations().shape()));
        return split.tail(inputs).values().iterator().next();
    }

    public float[] tail(Head head, int n) {
        return tail(head, head.values(), n);
    }

    private static TensorData slice(TensorData t, int i) {
        if (t.shape().length == 0 || !t.isFloat() || t.shape()[0] <= 1) {
            return t;
        }
        long[] shape = t.shape().clone();
        int per = (int) (t.floats().length / shape[0]);
        shape[0] = 1;
        return TensorData.ofFloats(java.util.Arrays.copyOfRange(t.floats(), i * per, (i + 1) * per), shape);
    }

    @Override
    public void close() {
        split.close();
    }
}

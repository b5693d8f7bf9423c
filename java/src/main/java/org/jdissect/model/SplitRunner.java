package org.jdissect.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import org.jdissect.JdissectException;

/**
 * ONNX Runtime sessions for the two halves of a {@link GraphSplit}: {@link #head} computes the layer and every
 * crossing tensor from the model's feeds, {@link #tail} computes the model's outputs from them. Not thread-safe.
 */
public final class SplitRunner implements AutoCloseable {
    private final OnnxModel model;
    private final GraphSplit split;
    private final OrtSession head;
    private final OrtSession tail;
    private final Map<String, FloatBuffer> buffers = new HashMap<>();

    private SplitRunner(OnnxModel model, GraphSplit split, OrtSession head, OrtSession tail) {
        this.model = model;
        this.split = split;
        this.head = head;
        this.tail = tail;
    }

    /** Splits {@code model} at {@code layer} and opens both sessions ({@code threads}: ORT intra-op threads). */
    public static SplitRunner open(OnnxModel model, String layer, int threads) {
        GraphSplit split = GraphSplit.at(model.proto(), layer);
        OrtSession head = model.session(split.head(), threads, "head of the split at '" + layer + "'");
        try {
            Map<String, TypeProto> types = new HashMap<>();
            for (Map.Entry<String, NodeInfo> e : head.getOutputInfo().entrySet()) {
                if (e.getValue().getInfo() instanceof TensorInfo ti && onnxElementType(ti.type) != 0) {
                    types.put(e.getKey(), TypeProto.newBuilder().setTensorType(
                            TypeProto.Tensor.newBuilder().setElemType(onnxElementType(ti.type))).build());
                }
            }
            OrtSession tail = model.session(split.tail(types), threads, "tail of the split at '" + layer + "'");
            return new SplitRunner(model, split, head, tail);
        } catch (OrtException | RuntimeException e) {
            try {
                head.close();
            } catch (OrtException ignored) {
                // the first error is the one to report
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new JdissectException(model.file() + ": cannot split at '" + layer + "': " + e.getMessage(), e);
        }
    }

    /** ONNX's TensorProto.DataType number for an ORT Java type (0 when there is none). */
    static int onnxElementType(OnnxJavaType type) {
        return switch (type) {
            case FLOAT -> 1;
            case UINT8 -> 2;
            case INT8 -> 3;
            case INT16 -> 5;
            case INT32 -> 6;
            case INT64 -> 7;
            case STRING -> 8;
            case BOOL -> 9;
            case FLOAT16 -> 10;
            case DOUBLE -> 11;
            case BFLOAT16 -> 16;
            default -> 0;
        };
    }

    public GraphSplit split() {
        return split;
    }

    /**
     * Runs the head. Returns every tail input ({@link GraphSplit#tailInputs()}, the layer first): head outputs,
     * and crossings that are feeds passed through.
     */
    public Map<String, TensorData> head(Map<String, TensorData> feeds) {
        Map<String, TensorData> out = new LinkedHashMap<>();
        Map<String, TensorData> produced = run(head, feeds, split.headOutputs(), "head");
        for (String name : split.tailInputs()) {
            TensorData v = produced.containsKey(name) ? produced.get(name) : feeds.get(name);
            if (v == null) {
                throw new IllegalArgumentException("feed '" + name + "' missing; the model's feeds are " + split.feeds());
            }
            out.put(name, v);
        }
        return out;
    }

    /** Runs the tail on the layer and the crossings; returns {@link GraphSplit#tailOutputs()}. */
    public Map<String, TensorData> tail(Map<String, TensorData> inputs) {
        return run(tail, inputs, split.tailOutputs(), "tail");
    }

    private Map<String, TensorData> run(OrtSession session, Map<String, TensorData> inputs, List<String> outputs,
                                        String what) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            for (String name : session.getInputNames()) {
                TensorData v = inputs.get(name);
                if (v == null) {
                    throw new IllegalArgumentException("input '" + name + "' of the " + what + " missing");
                }
                feeds.put(name, v.isFloat()
                        ? OnnxTensor.createTensor(env, direct(session == head ? "h:" + name : "t:" + name, v.floats()),
                                v.shape())
                        : OnnxTensor.createTensor(env, LongBuffer.wrap(v.longs()), v.shape()));
            }
            try (OrtSession.Result result = session.run(feeds)) {
                Map<String, TensorData> out = new LinkedHashMap<>();
                for (String name : outputs) {
                    OnnxValue value = result.get(name).orElseThrow();
                    if (!(value instanceof OnnxTensor t)) {
                        throw new JdissectException(model.file() + ": '" + name + "' is not a tensor");
                    }
                    out.put(name, read(t, name));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new JdissectException(model.file() + ": the " + what + " of the split at '" + split.layer()
                    + "' failed: " + e.getMessage(), e);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * The values in a direct buffer kept per input: ORT reads a direct buffer in place, where a heap buffer costs a
     * fresh direct copy per run, and a run per ablation would leave those to the garbage collector by the gigabyte.
     */
    private FloatBuffer direct(String key, float[] values) {
        FloatBuffer b = buffers.get(key);
        if (b == null || b.capacity() < values.length) {
            b = ByteBuffer.allocateDirect(values.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            buffers.put(key, b);
        }
        b.clear();
        b.put(values);
        b.flip();
        return b;
    }

    private TensorData read(OnnxTensor t, String name) {
        long[] shape = t.getInfo().getShape();
        int n = Math.toIntExact(TensorData.elements(shape));
        if (t.getInfo().type == OnnxJavaType.FLOAT) {
            float[] v = new float[n];
            t.getFloatBuffer().get(v);
            return TensorData.ofFloats(v, shape);
        }
        if (t.getInfo().type == OnnxJavaType.INT64) {
            long[] v = new long[n];
            t.getLongBuffer().get(v);
            return TensorData.ofLongs(v, shape);
        }
        throw new JdissectException(model.file() + ": tensor '" + name + "' crossing the split at '" + split.layer()
                + "' has type " + t.getInfo().type + "; jdissect carries float and int64 tensors across a split");
    }


    @Override
    public void close() {
        for (OrtSession s : new ArrayList<>(List.of(head, tail))) {
            try {
                s.close();
            } catch (OrtException e) {
                throw new IllegalStateException("closing an ONNX Runtime session failed", e);
            }
        }
    }
}

package org.jdissect.model;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;

/**
 * Builds small ONNX models for known-answer tests. Every op names its output tensor, so tests can ask for
 * layers by name. Weights are given as float arrays in ONNX layout (Conv: out x in x k x k; Gemm: out x in,
 * used with transB = 1). IR version 8, default-domain opset 13.
 *
 * <pre>{@code
 * ModelProto m = OnnxBuilder.imageInput(8, 8)
 *     .conv("input", "conv", 4, 3, 1, 1, 0, weights, bias)
 *     .relu("conv", "detect")
 *     .averagePool("detect", "pool", 4, 4)
 *     .output("pool")
 *     .build();
 * }</pre>
 */
public final class OnnxBuilder {
    public static final String INPUT = "input";
    public static final int IR_VERSION = 8;
    public static final int OPSET = 13;

    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("jdissect-test");
    private int nodeCount;

    private OnnxBuilder() {
    }

    /** An empty graph with no inputs; add them with {@link #input}. */
    public static OnnxBuilder empty() {
        return new OnnxBuilder();
    }

    /** Float input {@code input} of shape [N, 3, height, width] with a symbolic batch "N". */
    public static OnnxBuilder imageInput(int height, int width) {
        return new OnnxBuilder().input(INPUT, TensorProto.DataType.FLOAT, "N", 3, height, width);
    }

    /** Float input {@code input} of shape [N, 3, H, W], every dimension but the channels symbolic. */
    public static OnnxBuilder symbolicImageInput() {
        return new OnnxBuilder().input(INPUT, TensorProto.DataType.FLOAT, "N", 3, "H", "W");
    }

    /** Float input {@code input} of a fully fixed shape [batch, 3, height, width]. */
    public static OnnxBuilder fixedImageInput(int batch, int height, int width) {
        return new OnnxBuilder().input(INPUT, TensorProto.DataType.FLOAT, batch, 3, height, width);
    }

    /** A graph input; each dim is an Integer (fixed) or a String (symbolic). */
    public OnnxBuilder input(String name, TensorProto.DataType type, Object... dims) {
        graph.addInput(valueInfo(name, type, dims));
        return this;
    }

    /** A graph output of float type and unspecified shape. */
    public OnnxBuilder output(String name) {
        graph.addOutput(valueInfo(name, TensorProto.DataType.FLOAT, (Object[]) null));
        return this;
    }

    /** A graph output with a declared shape (Integer or String dims). */
    public OnnxBuilder output(String name, TensorProto.DataType type, Object... dims) {
        graph.addOutput(valueInfo(name, type, dims));
        return this;
    }

    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Object... dims) {
        TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(type.getNumber());
        if (dims != null) {
            TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
            for (Object d : dims) {
                if (d instanceof Integer i) {
                    shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(i));
                } else {
                    shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(d.toString()));
                }
            }
            t.setShape(shape);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(t)).build();
    }

    /** A float initializer stored as little-endian raw_data. */
    public OnnxBuilder initializer(String name, long[] dims, float[] values) {
        graph.addInitializer(floatTensor(name, dims, values));
        return this;
    }

    /** An int64 initializer (shapes, axes). */
    public OnnxBuilder initializerInt64(String name, long[] dims, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                .addAllDims(boxed(dims)).setRawData(ByteString.copyFrom(b.array())));
        return this;
    }

    static TensorProto floatTensor(String name, long[] dims, float[] values) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        if (count != values.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for dims " + java.util.Arrays.toString(dims));
        }
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addAllDims(boxed(dims)).setRawData(ByteString.copyFrom(b.array())).build();
    }

    private static List<Long> boxed(long[] dims) {
        List<Long> list = new ArrayList<>(dims.length);
        for (long d : dims) {
            list.add(d);
        }
        return list;
    }

    /** Any node: op type, inputs, one output, attributes made with {@link #ints}, {@link #floatAttr} and friends. */
    public OnnxBuilder node(String opType, List<String> inputs, String output, AttributeProto... attributes) {
        return node(opType, inputs, List.of(output), attributes);
    }

    public OnnxBuilder node(String opType, List<String> inputs, List<String> outputs, AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(opType + "_" + nodeCount++)
                .addAllInput(inputs).addAllOutput(outputs);
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return this;
    }

    public static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    public static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    public static AttributeProto floatAttr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    public static AttributeProto tensorAttr(String name, TensorProto value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(value).build();
    }

    /**
     * Conv with square kernel, equal stride and symmetric padding on both axes. Weights {@code out x in x k x k},
     * bias {@code out} (null for none). Its initializers are named {@code output + "_W"} and {@code output + "_B"}.
     */
    public OnnxBuilder conv(String in, String out, int outChannels, int inChannels, int kernel, int stride, int pad,
                            float[] weights, float[] bias) {
        initializer(out + "_W", new long[] {outChannels, inChannels, kernel, kernel}, weights);
        List<String> inputs = new ArrayList<>(List.of(in, out + "_W"));
        if (bias != null) {
            initializer(out + "_B", new long[] {outChannels}, bias);
            inputs.add(out + "_B");
        }
        return node("Conv", inputs, out, ints("kernel_shape", kernel, kernel), ints("strides", stride, stride),
                ints("pads", pad, pad, pad, pad));
    }

    public OnnxBuilder relu(String in, String out) {
        return node("Relu", List.of(in), out);
    }

    public OnnxBuilder identity(String in, String out) {
        return node("Identity", List.of(in), out);
    }

    public OnnxBuilder maxPool(String in, String out, int kernel, int stride) {
        return node("MaxPool", List.of(in), out, ints("kernel_shape", kernel, kernel), ints("strides", stride, stride));
    }

    public OnnxBuilder averagePool(String in, String out, int kernel, int stride) {
        return node("AveragePool", List.of(in), out, ints("kernel_shape", kernel, kernel), ints("strides", stride, stride));
    }

    /** Elementwise sum (with ONNX broadcasting) of two tensors. */
    public OnnxBuilder add(String a, String b, String out) {
        return node("Add", List.of(a, b), out);
    }

    /** Elementwise product (with ONNX broadcasting) of two tensors. */
    public OnnxBuilder mul(String a, String b, String out) {
        return node("Mul", List.of(a, b), out);
    }

    /** Adds a per-channel constant (initializer {@code out + "_C"}, shape C x 1 x 1) to an N x C x H x W tensor. */
    public OnnxBuilder addPerChannel(String in, String out, float[] perChannel) {
        initializer(out + "_C", new long[] {perChannel.length, 1, 1}, perChannel);
        return add(in, out + "_C", out);
    }

    /** Multiplies an N x C x H x W tensor by a per-channel constant (initializer {@code out + "_C"}). */
    public OnnxBuilder mulPerChannel(String in, String out, float[] perChannel) {
        initializer(out + "_C", new long[] {perChannel.length, 1, 1}, perChannel);
        return mul(in, out + "_C", out);
    }

    /** BatchNormalization (inference form) with the given per-channel parameters. */
    public OnnxBuilder batchNorm(String in, String out, float[] scale, float[] bias, float[] mean, float[] var, float epsilon) {
        long[] c = {scale.length};
        initializer(out + "_scale", c, scale);
        initializer(out + "_bias", c, bias);
        initializer(out + "_mean", c, mean);
        initializer(out + "_var", c, var);
        return node("BatchNormalization", List.of(in, out + "_scale", out + "_bias", out + "_mean", out + "_var"), out,
                floatAttr("epsilon", epsilon));
    }

    public OnnxBuilder sigmoid(String in, String out) {
        return node("Sigmoid", List.of(in), out);
    }

    /** Softmax over {@code axis} (opset 13 semantics). */
    public OnnxBuilder softmax(String in, String out, int axis) {
        return node("Softmax", List.of(in), out, intAttr("axis", axis));
    }

    public OnnxBuilder globalAveragePool(String in, String out) {
        return node("GlobalAveragePool", List.of(in), out);
    }

    public OnnxBuilder flatten(String in, String out) {
        return node("Flatten", List.of(in), out, intAttr("axis", 1));
    }

    /**
     * Gemm {@code out = in * W^T + b} with W {@code outFeatures x inFeatures}; initializers {@code out + "_W"},
     * {@code out + "_B"}.
     */
    public OnnxBuilder gemm(String in, String out, int outFeatures, int inFeatures, float[] weights, float[] bias) {
        initializer(out + "_W", new long[] {outFeatures, inFeatures}, weights);
        initializer(out + "_B", new long[] {outFeatures}, bias);
        return node("Gemm", List.of(in, out + "_W", out + "_B"), out, intAttr("transB", 1));
    }

    /** A Constant node producing a float tensor. */
    public OnnxBuilder constant(String out, long[] dims, float[] values) {
        return node("Constant", List.of(), out, tensorAttr("value", floatTensor(out, dims, values)));
    }

    public ModelProto build() {
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("jdissect-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph.clone())
                .build();
    }

    /** Writes the model with all data inside the file. */
    public Path save(Path model) {
        write(model, build().toByteArray());
        return model;
    }

    /**
     * Writes the model with every initializer's data in {@code dataFileName}, resolved against the model's
     * folder (so a test can also write a location such as "../escape.bin"), in ONNX's external-data form.
     */
    public Path saveWithExternalData(Path model, String dataFileName) {
        return saveWithExternalData(model, dataFileName, model.toAbsolutePath().getParent().resolve(dataFileName));
    }

    /**
     * Writes the initializers' bytes to {@code dataFile} and the model to {@code model}, with every initializer
     * pointing at {@code location} (which need not resolve to {@code dataFile}: tests of bad locations).
     */
    public Path saveWithExternalData(Path model, String location, Path dataFile) {
        ModelProto m = build();
        GraphProto.Builder g = m.getGraph().toBuilder();
        dataFile = dataFile.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataFile.getParent());
            try (OutputStream data = Files.newOutputStream(dataFile)) {
                long offset = 0;
                for (int i = 0; i < g.getInitializerCount(); i++) {
                    TensorProto t = g.getInitializer(i);
                    ByteString raw = t.getRawData();
                    // ONNX's writer aligns larger tensors; a 16-byte pad exercises offsets that are not 0
                    long pad = (16 - offset % 16) % 16;
                    data.write(new byte[(int) pad]);
                    offset += pad;
                    raw.writeTo(data);
                    g.setInitializer(i, t.toBuilder().clearRawData()
                            .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                            .addExternalData(entry("location", location))
                            .addExternalData(entry("offset", Long.toString(offset)))
                            .addExternalData(entry("length", Long.toString(raw.size()))));
                    offset += raw.size();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(model, m.toBuilder().setGraph(g).build().toByteArray());
        return model;
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

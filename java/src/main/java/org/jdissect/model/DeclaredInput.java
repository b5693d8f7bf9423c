package org.jdissect.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

/**
 * The image size a model declares for its one input (N x C x H x W with H and W fixed), read from the file without
 * parsing its weights: the graph's inputs and initializer names are read, every other field is skipped by its length,
 * so a 500 MB model costs a pass over its bytes, not a copy of them. What a command uses when no --size is given.
 */
public final class DeclaredInput {
    /** ModelProto.graph, GraphProto.input and GraphProto.initializer, TensorProto.name: ONNX's field numbers. */
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int TENSOR_NAME = 8;

    private DeclaredInput() {
    }

    /**
     * Height and width of the model's one image input when the file declares them as fixed numbers; null when it
     * does not (dynamic sizes, several inputs, or a file that does not read as a model: loading it says why).
     */
    public static int[] imageSize(Path model) {
        if (!Files.isRegularFile(model)) {
            return null;
        }
        List<ValueInfoProto> inputs = new ArrayList<>();
        Set<String> initializers = new HashSet<>();
        try (InputStream in = Files.newInputStream(model)) {
            CodedInputStream c = CodedInputStream.newInstance(in);
            c.setSizeLimit(Integer.MAX_VALUE);
            for (int tag; (tag = c.readTag()) != 0; ) {
                if (WireFormat.getTagFieldNumber(tag) == MODEL_GRAPH
                        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    int limit = c.pushLimit(c.readRawVarint32());
                    readGraph(c, inputs, initializers);
                    c.popLimit(limit);
                } else if (!c.skipField(tag)) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        List<ValueInfoProto> feeds = inputs.stream().filter(v -> !initializers.contains(v.getName())).toList();
        if (feeds.size() != 1) {
            return null;
        }
        List<TensorShapeProto.Dimension> dims = feeds.get(0).getType().getTensorType().getShape().getDimList();
        if (dims.size() != 4 || !dims.get(2).hasDimValue() || !dims.get(3).hasDimValue()
                || dims.get(2).getDimValue() <= 0 || dims.get(3).getDimValue() <= 0
                || dims.get(2).getDimValue() > 4096 || dims.get(3).getDimValue() > 4096) {
            return null;
        }
        return new int[] {(int) dims.get(2).getDimValue(), (int) dims.get(3).getDimValue()};
    }

    private static void readGraph(CodedInputStream c, List<ValueInfoProto> inputs, Set<String> initializers)
            throws IOException {
        while (!c.isAtEnd()) {
            int tag = c.readTag();
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == GRAPH_INPUT && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                inputs.add(ValueInfoProto.parseFrom(c.readBytes()));
            } else if (field == GRAPH_INITIALIZER
                    && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int limit = c.pushLimit(c.readRawVarint32());
                while (!c.isAtEnd()) {
                    int t = c.readTag();
                    if (WireFormat.getTagFieldNumber(t) == TENSOR_NAME) {
                        initializers.add(c.readString());
                    } else if (!c.skipField(t)) {
                        break;
                    }
                }
                c.popLimit(limit);
            } else if (!c.skipField(tag)) {
                return;
            }
        }
    }
}

package org.jdissect.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.SparseTensorProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.UnsafeByteOperations;

import org.jdissect.JdissectException;

/**
 * Tensors stored outside the model file (ONNX external data). Every location must name a file inside the
 * model's folder: absolute paths, paths that climb out with "..", and symbolic links that lead out are
 * refused, so a model file cannot make jdissect read arbitrary files.
 */
final class ExternalData {

    private ExternalData() {
    }

    /** Total bytes the model keeps in external files (0 when it has none). Checks every location. */
    static long externalBytes(ModelProto model, Path modelFile) {
        long[] total = {0};
        mapTensors(model.getGraph(), t -> {
            if (isExternal(t)) {
                Reference r = reference(t, modelFile);
                total[0] += r.length;
            }
            return t;
        });
        return total[0];
    }

    /** The distinct external files the model reads, in the order its tensors name them, locations checked. */
    static List<Path> files(ModelProto model, Path modelFile) {
        Set<Path> files = new LinkedHashSet<>();
        mapTensors(model.getGraph(), t -> {
            if (isExternal(t)) {
                files.add(reference(t, modelFile).file);
            }
            return t;
        });
        return List.copyOf(files);
    }

    /** The model with every external tensor read into raw_data, locations checked. */
    static ModelProto inline(ModelProto model, Path modelFile) {
        Map<Path, FileChannel> open = new HashMap<>();
        try {
            GraphProto g = mapTensors(model.getGraph(), t -> {
                if (!isExternal(t)) {
                    return t;
                }
                Reference r = reference(t, modelFile);
                ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(r.length));
                try {
                    FileChannel ch = open.get(r.file);
                    if (ch == null) {
                        ch = FileChannel.open(r.file, StandardOpenOption.READ);
                        open.put(r.file, ch);
                    }
                    long pos = r.offset;
                    while (data.hasRemaining()) {
                        int read = ch.read(data, pos);
                        if (read < 0) {
                            throw new JdissectException(modelFile + ": external data of tensor '" + t.getName()
                                    + "' ends early in " + r.file);
                        }
                        pos += read;
                    }
                } catch (IOException e) {
                    throw new JdissectException(modelFile + ": cannot read external data of tensor '" + t.getName()
                            + "' from " + r.file + ": " + e.getMessage(), e);
                }
                data.flip();
                return t.toBuilder()
                        .clearExternalData()
                        .setDataLocation(TensorProto.DataLocation.DEFAULT)
                        .setRawData(UnsafeByteOperations.unsafeWrap(data))
                        .build();
            });
            return model.toBuilder().setGraph(g).build();
        } finally {
            for (FileChannel ch : open.values()) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // read-only channel: nothing to lose
                }
            }
        }
    }

    static boolean isExternal(TensorProto t) {
        return t.getDataLocation() == TensorProto.DataLocation.EXTERNAL;
    }

    private record Reference(Path file, long offset, long length) {
    }

    private static Reference reference(TensorProto t, Path modelFile) {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            try {
                switch (e.getKey()) {
                    case "location" -> location = e.getValue();
                    case "offset" -> offset = Long.parseLong(e.getValue().trim());
                    case "length" -> length = Long.parseLong(e.getValue().trim());
                    default -> {
                        // "checksum" and future keys do not change where the bytes are
                    }
                }
            } catch (NumberFormatException ex) {
                throw new JdissectException(modelFile + ": tensor '" + t.getName() + "' has an invalid external data "
                        + e.getKey() + " '" + e.getValue() + "'");
            }
        }
        if (location == null || location.isEmpty()) {
            throw new JdissectException(modelFile + ": tensor '" + t.getName()
                    + "' is marked as external data but names no location");
        }
        Path file = confined(modelFile, location, t.getName());
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new JdissectException(modelFile + ": cannot read external data file " + file + " of tensor '"
                    + t.getName() + "': " + e.getMessage(), e);
        }
        if (length < 0) {
            length = size - offset;
        }
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new JdissectException(modelFile + ": external data of tensor '" + t.getName() + "' (offset " + offset
                    + ", length " + length + ") lies beyond the end of " + file + " (" + size + " bytes)");
        }
        return new Reference(file, offset, length);
    }

    /** The external file {@code location} names, after checking it stays inside the model's folder. */
    static Path confined(Path modelFile, String location, String tensor) {
        Path folder = modelFile.toAbsolutePath().normalize().getParent();
        String what = modelFile + ": external data location '" + location + "' of tensor '" + tensor + "'";
        Path relative;
        try {
            relative = Path.of(location);
        } catch (InvalidPathException e) {
            throw new JdissectException(what + " is not a valid path");
        }
        if (relative.isAbsolute() || location.startsWith("/") || location.startsWith("\\")
                || location.matches("^[A-Za-z]:.*")) {
            throw new JdissectException(what + " is an absolute path; external data must be a relative path inside "
                    + folder);
        }
        Path resolved = folder.resolve(relative).normalize();
        if (!resolved.startsWith(folder)) {
            throw new JdissectException(what + " points outside the model's folder " + folder
                    + "; external data must stay inside it");
        }
        if (!Files.isRegularFile(resolved)) {
            throw new JdissectException(what + ": file " + resolved + " does not exist");
        }
        try {
            Path real = resolved.toRealPath();
            if (!real.startsWith(folder.toRealPath())) {
                throw new JdissectException(what + " is a symbolic link to " + real
                        + ", outside the model's folder " + folder + "; external data must stay inside it");
            }
            return real;
        } catch (IOException e) {
            throw new JdissectException(what + ": cannot resolve " + resolved + ": " + e.getMessage(), e);
        }
    }

    /** Applies {@code f} to every tensor of the graph: initializers, sparse initializers, node attributes, subgraphs. */
    static GraphProto mapTensors(GraphProto g, UnaryOperator<TensorProto> f) {
        GraphProto.Builder b = g.toBuilder();
        for (int i = 0; i < b.getInitializerCount(); i++) {
            b.setInitializer(i, f.apply(b.getInitializer(i)));
        }
        for (int i = 0; i < b.getSparseInitializerCount(); i++) {
            SparseTensorProto s = b.getSparseInitializer(i);
            b.setSparseInitializer(i, s.toBuilder().setValues(f.apply(s.getValues())).setIndices(f.apply(s.getIndices())));
        }
        for (int i = 0; i < b.getNodeCount(); i++) {
            NodeProto n = b.getNode(i);
            if (n.getAttributeCount() == 0) {
                continue;
            }
            NodeProto.Builder nb = n.toBuilder();
            for (int a = 0; a < nb.getAttributeCount(); a++) {
                AttributeProto attr = nb.getAttribute(a);
                AttributeProto.Builder ab = attr.toBuilder();
                if (attr.hasT()) {
                    ab.setT(f.apply(attr.getT()));
                }
                for (int k = 0; k < ab.getTensorsCount(); k++) {
                    ab.setTensors(k, f.apply(ab.getTensors(k)));
                }
                if (attr.hasSparseTensor()) {
                    SparseTensorProto s = attr.getSparseTensor();
                    ab.setSparseTensor(s.toBuilder().setValues(f.apply(s.getValues())).setIndices(f.apply(s.getIndices())));
                }
                if (attr.hasG()) {
                    ab.setG(mapTensors(attr.getG(), f));
                }
                for (int k = 0; k < ab.getGraphsCount(); k++) {
                    ab.setGraphs(k, mapTensors(ab.getGraphs(k), f));
                }
                nb.setAttribute(a, ab);
            }
            b.setNode(i, nb);
        }
        return b.build();
    }
}

package org.jdissect.model;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.InvalidProtocolBufferException;

import org.jdissect.JdissectException;
import org.jdissect.io.Hashing;
import org.jdissect.io.Provenance;

/**
 * An ONNX model read from a file: its image input, its candidate layers, and sessions that expose chosen
 * layers as extra graph outputs. Sessions are built from an edited ModelProto handed to ONNX Runtime as bytes;
 * external tensor data is read into the proto at load time (confined to the model's folder), except for
 * models too large for one protobuf message, whose external files ONNX Runtime reads from that folder.
 */
public final class OnnxModel implements AutoCloseable {

    /** Above this, external data stays in its files: a serialized protobuf message cannot exceed 2 GiB. */
    static final long DEFAULT_INLINE_LIMIT = 1L << 30;

    /** Session config key (ORT >= 1.17) telling ORT where external files live when the model comes as bytes. */
    static final String EXTERNAL_FOLDER_KEY = "session.model_external_initializers_file_folder_path";

    private static final Set<OnnxJavaType> FLOAT_TYPES =
            Set.of(OnnxJavaType.FLOAT, OnnxJavaType.FLOAT16, OnnxJavaType.BFLOAT16);

    private final Path file;
    private final String fingerprint;
    private final ModelProto model;
    /** Folder ORT reads external data from, or null when all data is inside {@link #model}. */
    private final Path externalFolder;
    private final Map<List<Object>, Probe> probes = new HashMap<>();
    /** The external weight files, for the provenance; hashed when first asked for. */
    private final List<Path> externalFiles;
    private List<Provenance.DataFile> externalHashes;
    private final Inference inference;

    private OnnxModel(Path file, String fingerprint, ModelProto model, Path externalFolder, List<Path> externalFiles,
                      Inference inference) {
        this.file = file;
        this.fingerprint = fingerprint;
        this.model = model;
        this.externalFolder = externalFolder;
        this.externalFiles = externalFiles;
        this.inference = inference;
    }

    /** Reads and checks an ONNX file, to run on the CPU. Errors name the file and what is wrong with it. */
    public static OnnxModel load(Path file) {
        return load(file, Inference.CPU);
    }

    /** Reads and checks an ONNX file; its sessions run where {@code inference} says. */
    public static OnnxModel load(Path file, Inference inference) {
        return load(file, DEFAULT_INLINE_LIMIT, inference);
    }

    static OnnxModel load(Path file, long inlineLimit) {
        return load(file, inlineLimit, Inference.CPU);
    }

    static OnnxModel load(Path file, long inlineLimit, Inference inference) {
        if (!Files.exists(file)) {
            throw new JdissectException("model file " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new JdissectException("model file " + file + " is not a regular file (an .onnx file is needed)");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new JdissectException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new JdissectException(file + " is not an ONNX model (it does not parse as an ONNX ModelProto: "
                    + e.getMessage() + ")");
        }
        // random bytes sometimes parse as a protobuf message of unknown fields; a model has a graph of nodes
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0 || model.getIrVersion() <= 0) {
            throw new JdissectException(file + " is not an ONNX model (no graph of nodes"
                    + (model.getIrVersion() <= 0 ? ", no IR version" : "") + ")");
        }
        String fingerprint = Hashing.sha256(bytes);
        bytes = null;
        long external = ExternalData.externalBytes(model, file);
        List<Path> externalFiles = external > 0 ? ExternalData.files(model, file) : List.of();
        Path externalFolder = null;
        if (external > 0) {
            if (external + model.getSerializedSize() <= inlineLimit) {
                model = ExternalData.inline(model, file);
            } else {
                externalFolder = file.toAbsolutePath().normalize().getParent();
            }
        }
        return new OnnxModel(file, fingerprint, model, externalFolder, externalFiles, inference);
    }

    public Path file() {
        return file;
    }

    /** sha256 (hex) of the model file's bytes. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Where this model's sessions run. */
    public Inference inference() {
        return inference;
    }

    /**
     * The model as the provenance of an output records it: path, sha256, each external weight file with its sha256
     * (read once, when first asked for), and how images are prepared for it ({@code pre}, null for a generator).
     */
    public synchronized Provenance.Model provenance(String role, Preprocessing pre) {
        if (externalHashes == null) {
            List<Provenance.DataFile> files = new ArrayList<>();
            for (Path f : externalFiles) {
                files.add(new Provenance.DataFile(file.toAbsolutePath().normalize().getParent().relativize(f)
                        .toString(), Hashing.sha256(f), sizeOf(f)));
            }
            externalHashes = List.copyOf(files);
        }
        return new Provenance.Model(role, file.toString(), fingerprint, externalHashes,
                pre == null ? null : pre.describe());
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new JdissectException("cannot read external data file " + f + ": " + e.getMessage(), e);
        }
    }

    /** The ONNX Runtime version that runs the models, e.g. 1.23.2. */
    public static String runtimeVersion() {
        return OrtEnvironment.getEnvironment().getVersion();
    }

    /** The ModelProto as loaded (external data inlined unless the model is too large for that). */
    public ModelProto proto() {
        return model;
    }

    /** The single input the caller feeds (graph inputs that are initializers do not count). */
    public String inputName() {
        List<String> feeds = GraphSurgery.feedInputs(model.getGraph());
        if (feeds.isEmpty()) {
            throw new JdissectException(file + ": the model has no input to feed an image into");
        }
        if (feeds.size() > 1) {
            throw new JdissectException(file + ": the model has " + feeds.size() + " inputs (" + String.join(", ", feeds)
                    + "); jdissect feeds one image input, so the model must have exactly one");
        }
        return feeds.get(0);
    }

    /** The declared input shape as text, e.g. [N, 3, 224, 224] ("?" for an unnamed free dimension). */
    public String declaredInputShape() {
        return describeShape(inputInfo());
    }

    /**
     * Every candidate layer: each node output that depends on the image input and is a float tensor of shape
     * N x C x H x W at this input size, found by one inference of a zero image with all those outputs exposed.
     * Graph (topological) order.
     */
    public synchronized List<LayerInfo> layers(Preprocessing pre) {
        return probe(pre).layers;
    }

    /**
     * A session returning the requested layers from one inference per batch. Only the nodes those layers need
     * are kept, so a classifier's head does not run when only its convolutional layers are requested.
     */
    public LayerRunner runner(List<String> layers, Preprocessing pre, int intraOpThreads) {
        if (layers == null || layers.isEmpty()) {
            throw new JdissectException(file + ": no layer requested; valid layers: " + layerNames(pre));
        }
        if (intraOpThreads < 0) {
            throw new JdissectException("thread count must be 0 (ONNX Runtime's choice) or positive, got " + intraOpThreads);
        }
        Probe probe;
        synchronized (this) {
            probe = probe(pre);
        }
        Map<String, LayerInfo> byName = new LinkedHashMap<>();
        for (LayerInfo l : probe.layers) {
            byName.put(l.name(), l);
        }
        List<LayerInfo> chosen = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : layers) {
            if (!seen.add(name)) {
                throw new JdissectException(file + ": layer '" + name + "' is requested twice");
            }
            LayerInfo info = byName.get(name);
            if (info == null) {
                throw new JdissectException(whyNotALayer(name, probe, pre));
            }
            chosen.add(info);
        }
        ModelProto edited = GraphSurgery.withOutputs(model, layers);
        OrtSession session = createSession(edited, intraOpThreads, pre, probe.batch);
        return new OrtRunner(file, session, inputName(), List.copyOf(chosen), pre,
                fixedBatchDeclared() ? probe.batch : 0);
    }

    /**
     * The layer named {@code name} (N x C x H x W float at this input size), or an error naming the valid layers,
     * the same message {@link #runner} gives.
     */
    public LayerInfo layer(String name, Preprocessing pre) {
        Probe probe;
        synchronized (this) {
            probe = probe(pre);
        }
        for (LayerInfo l : probe.layers) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        throw new JdissectException(whyNotALayer(name, probe, pre));
    }

    /** A session for an edited copy of this model (same options and external-data folder as every other). */
    OrtSession session(ModelProto edited, int intraOpThreads, String what) {
        try (OrtSession.SessionOptions options = sessionOptions(intraOpThreads)) {
            return OrtEnvironment.getEnvironment().createSession(edited.toByteArray(), options);
        } catch (OrtException e) {
            throw new JdissectException(file + ": ONNX Runtime rejects the " + what + ": " + e.getMessage(), e);
        }
    }

    private String whyNotALayer(String name, Probe probe, Preprocessing pre) {
        String valid = "valid layers (N x C x H x W or N x C at " + pre.height() + "x" + pre.width() + "): "
                + layerNames(pre);
        long[] shape = probe.shapes.get(name);
        if (shape != null) {
            return file + ": layer '" + name + "' (" + probe.ops.get(name) + ") has shape " + Arrays.toString(shape)
                    + (shape.length == 3 && shape[0] != probe.batch ? ", not N x T x D tokens of " + probe.batch
                        + " image" + (probe.batch == 1 ? "" : "s") + " (its first axis is not the batch)"
                        : shape.length == 3 ? tokenLayerRefused(shape, pre)
                        : shape.length != 4 && shape.length != 2 ? ", not N x C x H x W, N x C or N x T x D"
                        : !FLOAT_TYPES.contains(probe.types.get(name)) ? " of type " + probe.types.get(name) + ", not float"
                        : ", not one C x H x W map per image")
                    + "; " + valid;
        }
        if (name.equals(inputName())) {
            return file + ": '" + name + "' is the model's input, not a layer; " + valid;
        }
        String op = GraphSurgery.producers(model.getGraph()).get(name);
        if (op != null) {
            return file + ": tensor '" + name + "' (" + op + ") does not depend on the image input"
                    + (probe.nonTensors.contains(name) ? " or is not a tensor" : "") + "; " + valid;
        }
        return file + ": the model has no layer '" + name + "'; " + valid;
    }

    /** Why an N x T x D tensor is not a token layer here, and the token layouts that would read it. */
    private String tokenLayerRefused(long[] shape, Preprocessing pre) {
        String choices = TokenLayout.squareChoices(shape[1], MAX_SPECIAL_TOKENS).stream().map(TokenLayout::toString)
                .collect(Collectors.joining(", "));
        String valid = "valid: --tokens S:HxW with S + H x W = " + shape[1] + " (S leading special tokens dropped, "
                + "the rest on an H x W grid), e.g. " + choices;
        if (pre.tokens() != null) {
            return ", N x " + shape[1] + " tokens x " + shape[2] + ", which --tokens " + pre.tokens() + " does not read ("
                    + pre.tokens().special() + " + " + pre.tokens().height() + " x " + pre.tokens().width() + " = "
                    + pre.tokens().tokens() + " tokens); " + valid;
        }
        int[] grid = patchGrid(pre);
        if (grid != null) {
            return ", N x " + shape[1] + " tokens x " + shape[2] + ", not the patch embedding's " + grid[0] + " x "
                    + grid[1] + " grid after at most " + MAX_SPECIAL_TOKENS + " special tokens; " + valid;
        }
        return ", tokens N x T x D whose patch grid is not known (jdissect reads a token layer on the grid of the "
                + "model's patch embedding, a convolution on the input with its kernel as its stride, with at most "
                + MAX_SPECIAL_TOKENS + " special tokens before the patch tokens, or as --tokens says); " + valid;
    }

    private String layerNames(Preprocessing pre) {
        List<LayerInfo> all;
        synchronized (this) {
            all = probe(pre).layers;
        }
        return all.isEmpty() ? "(none: no 4-D or 2-D float tensor depends on the input)"
                : all.stream().map(LayerInfo::name).collect(Collectors.joining(", "));
    }

    /** What one dry run found: every exposed tensor's shape, and the 4-D and 2-D float ones as layers. */
    private record Probe(int batch, List<LayerInfo> layers, Map<String, long[]> shapes, Map<String, String> ops,
                         Map<String, OnnxJavaType> types, Set<String> nonTensors) {
    }

    /** Tokens before the patch tokens a token layer may hold: a class token, a distillation token, registers. */
    static final int MAX_SPECIAL_TOKENS = 16;

    /**
     * The patch grid of a Vision Transformer: the output size of a convolution on the model's input whose kernel
     * equals its stride and that has no padding (the patch embedding), or null when the model has none. A token
     * layer is read on this grid; without it a tensor N x T x D is not a layer (the tokens' arrangement is unknown).
     */
    private int[] patchGrid(Preprocessing pre) {
        String input = inputName();
        for (NodeProto n : model.getGraph().getNodeList()) {
            if (!n.getOpType().equals("Conv") || n.getInputCount() == 0 || !n.getInput(0).equals(input)) {
                continue;
            }
            List<Long> kernel = List.of();
            List<Long> strides = List.of();
            boolean padded = false;
            for (var a : n.getAttributeList()) {
                switch (a.getName()) {
                    case "kernel_shape" -> kernel = a.getIntsList();
                    case "strides" -> strides = a.getIntsList();
                    case "pads" -> padded = a.getIntsList().stream().anyMatch(v -> v != 0);
                    case "auto_pad" -> padded = !a.getS().toStringUtf8().equals("NOTSET")
                            && !a.getS().toStringUtf8().equals("VALID");
                    default -> { }
                }
            }
            if (kernel.size() == 2 && kernel.equals(strides) && !padded && kernel.get(0) > 1
                    && pre.height() % kernel.get(0) == 0 && pre.width() % kernel.get(1) == 0) {
                return new int[] {(int) (pre.height() / kernel.get(0)), (int) (pre.width() / kernel.get(1))};
            }
        }
        return null;
    }

    private Probe probe(Preprocessing pre) {
        List<Object> key = pre.tokens() == null ? List.of(pre.height(), pre.width())
                : List.of(pre.height(), pre.width(), pre.tokens());
        Probe cached = probes.get(key);
        if (cached != null) {
            return cached;
        }
        int batch = checkInput(pre);
        String input = inputName();
        List<NodeProto> order = GraphSurgery.topologicalOrder(model.getGraph());
        Map<String, String> ops = GraphSurgery.outputsDependingOn(order, input);
        Map<String, long[]> shapes = new HashMap<>();
        Map<String, OnnxJavaType> types = new HashMap<>();
        Set<String> nonTensors = new HashSet<>();
        List<LayerInfo> layers = new ArrayList<>();
        TokenLayout layout = pre.tokens();
        int[] grid = layout == null ? patchGrid(pre) : null;
        Set<String> channelsLast = GraphSurgery.channelsLast(order);
        if (!ops.isEmpty()) {
            ModelProto exposed = GraphSurgery.withOutputs(model, ops.keySet());
            float[] zeros = new float[batch * pre.valuesPerImage()];
            try (OrtSession session = createSession(exposed, 1, pre, batch);
                 OnnxTensor in = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(zeros),
                         new long[] {batch, 3, pre.height(), pre.width()});
                 OrtSession.Result result = session.run(Map.of(input, in))) {
                for (Map.Entry<String, String> e : ops.entrySet()) {
                    OnnxValue v = result.get(e.getKey()).orElse(null);
                    if (!(v instanceof OnnxTensor t)) {
                        nonTensors.add(e.getKey());
                        continue;
                    }
                    long[] shape = t.getInfo().getShape();
                    shapes.put(e.getKey(), shape);
                    types.put(e.getKey(), t.getInfo().type);
                    if (shape.length == 4 && shape[0] == batch && FLOAT_TYPES.contains(t.getInfo().type)
                            && shape[1] > 0 && shape[2] > 0 && shape[3] > 0) {
                        layers.add(channelsLast.contains(e.getKey())
                                ? LayerInfo.channelsLast(e.getKey(), e.getValue(), Math.toIntExact(shape[3]),
                                        Math.toIntExact(shape[1]), Math.toIntExact(shape[2]))
                                : new LayerInfo(e.getKey(), e.getValue(), Math.toIntExact(shape[1]),
                                        Math.toIntExact(shape[2]), Math.toIntExact(shape[3])));
                    } else if (shape.length == 2 && shape[0] == batch && FLOAT_TYPES.contains(t.getInfo().type)
                            && shape[1] > 0) {
                        // a fully connected or pooled layer: one value per unit and image
                        layers.add(new LayerInfo(e.getKey(), e.getValue(), Math.toIntExact(shape[1]), 1, 1, true));
                    } else if (shape.length == 3 && shape[0] == batch && FLOAT_TYPES.contains(t.getInfo().type)
                            && shape[2] > 0 && (layout != null ? layout.fits(shape[1])
                                : grid != null && shape[1] >= (long) grid[0] * grid[1]
                                        && shape[1] - (long) grid[0] * grid[1] <= MAX_SPECIAL_TOKENS)) {
                        // tokens N x T x D on the patch grid, the special tokens leading (ViT, DeiT, DINO)
                        int tokens = Math.toIntExact(shape[1]);
                        int h = layout != null ? layout.height() : grid[0];
                        int w = layout != null ? layout.width() : grid[1];
                        layers.add(new LayerInfo(e.getKey(), e.getValue(), Math.toIntExact(shape[2]), h, w, false,
                                tokens, tokens - h * w));
                    }
                }
            } catch (OrtException e) {
                throw rejected(pre, batch, e);
            }
        }
        Probe probe = new Probe(batch, List.copyOf(layers), shapes, ops, types, nonTensors);
        probes.put(key, probe);
        return probe;
    }

    private JdissectException rejected(Preprocessing pre, int batch, OrtException e) {
        return new JdissectException(file + ": the model rejects input " + batch + "x3x" + pre.height() + "x" + pre.width()
                + " (its input '" + inputName() + "' declares " + declaredInputShape() + "): " + e.getMessage(), e);
    }

    private ValueInfoProto inputInfo() {
        String name = inputName();
        for (ValueInfoProto v : model.getGraph().getInputList()) {
            if (v.getName().equals(name)) {
                return v;
            }
        }
        throw new IllegalStateException("input " + name + " vanished");
    }

    private static String describeShape(ValueInfoProto v) {
        if (!v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
            return "(no declared shape)";
        }
        List<String> dims = new ArrayList<>();
        for (TensorShapeProto.Dimension d : v.getType().getTensorType().getShape().getDimList()) {
            dims.add(d.hasDimValue() ? Long.toString(d.getDimValue()) : d.hasDimParam() && !d.getDimParam().isEmpty()
                    ? d.getDimParam() : "?");
        }
        return "[" + String.join(", ", dims) + "]";
    }

    /** Checks the declared input against the preprocessing; returns the batch size the model fixes (or 1). */
    private int checkInput(Preprocessing pre) {
        ValueInfoProto v = inputInfo();
        TypeProto type = v.getType();
        String declared = describeShape(v);
        if (!type.hasTensorType()) {
            throw new JdissectException(file + ": input '" + v.getName() + "' is not a tensor; jdissect needs a float image input N x 3 x H x W");
        }
        int elem = type.getTensorType().getElemType();
        if (elem != TensorProto.DataType.FLOAT_VALUE) {
            throw new JdissectException(file + ": input '" + v.getName() + "' has element type "
                    + TensorProto.DataType.forNumber(elem) + "; jdissect feeds FLOAT images (N x 3 x H x W)");
        }
        if (!type.getTensorType().hasShape()) {
            return 1;
        }
        List<TensorShapeProto.Dimension> dims = type.getTensorType().getShape().getDimList();
        String tried = "3x" + pre.height() + "x" + pre.width();
        if (dims.size() != 4) {
            throw new JdissectException(file + ": input '" + v.getName() + "' declares shape " + declared
                    + "; jdissect feeds images N x 3 x H x W (here N x " + tried + ")");
        }
        long[] want = {0, 3, pre.height(), pre.width()};
        for (int i = 1; i < 4; i++) {
            TensorShapeProto.Dimension d = dims.get(i);
            if (d.hasDimValue() && d.getDimValue() > 0 && d.getDimValue() != want[i]) {
                String hint = i == 1 ? "jdissect feeds 3-channel images"
                        : "use size " + dimOr(dims.get(2), pre.height()) + "," + dimOr(dims.get(3), pre.width());
                throw new JdissectException(file + ": input '" + v.getName() + "' declares shape " + declared
                        + " but the preprocessing gives N x " + tried + "; " + hint);
            }
        }
        TensorShapeProto.Dimension n = dims.get(0);
        return n.hasDimValue() && n.getDimValue() > 0 ? Math.toIntExact(n.getDimValue()) : 1;
    }

    private static long dimOr(TensorShapeProto.Dimension d, long fallback) {
        return d.hasDimValue() && d.getDimValue() > 0 ? d.getDimValue() : fallback;
    }

    private OrtSession createSession(ModelProto edited, int intraOpThreads, Preprocessing pre, int batch) {
        try (OrtSession.SessionOptions options = sessionOptions(intraOpThreads)) {
            return OrtEnvironment.getEnvironment().createSession(edited.toByteArray(), options);
        } catch (OrtException e) {
            throw rejected(pre, batch, e);
        }
    }

    /** Where model inference runs: the CPU (default), or a CUDA GPU through ONNX Runtime's CUDA provider. */
    public enum Inference { CPU, CUDA }

    /** The options of every session of this model, whole or edited. */
    private OrtSession.SessionOptions sessionOptions(int intraOpThreads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        if (inference == Inference.CUDA) {
            try {
                options.addCUDA(0);
            } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
                options.close();
                throw new JdissectException("--inference cuda: ONNX Runtime cannot run on the GPU: " + e.getMessage()
                        + ". The CUDA execution provider needs the onnxruntime_gpu build of ONNX Runtime (build "
                        + "jdissect with 'mvn -Pgpu package') and the CUDA and cuDNN libraries it was built for; "
                        + "--inference cpu runs the model on the CPU", e);
            }
        }
        // BASIC keeps every exposed tensor (ORT does not fuse away a node whose output is a graph output)
        // while still folding constants; EXTENDED and above fuse activations into convolutions.
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
        options.setIntraOpNumThreads(intraOpThreads);
        options.setInterOpNumThreads(1);
        // ORT's pool threads spin-wait after each operator by default, on the cores the image decoding needs: off,
        // the 1,000-image dissection on 2 cores took 0.95 of the CPU time and 0.97 of the wall time (8 pairs, 2-core
        // VM, 2026-11-28)
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        // ORT's own error lines would duplicate the message of the exception that carries them
        options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        if (externalFolder != null) {
            options.addConfigEntry(EXTERNAL_FOLDER_KEY, externalFolder.toString());
        }
        return options;
    }

    @Override
    public synchronized void close() {
        probes.clear();
    }

    @Override
    public String toString() {
        return "OnnxModel[" + file + ", sha256 " + fingerprint + "]";
    }

    /** Whether the input declares a fixed batch size (a positive first dimension). */
    private boolean fixedBatchDeclared() {
        ValueInfoProto v = inputInfo();
        if (!v.getType().getTensorType().hasShape()) {
            return false;
        }
        TensorShapeProto.Dimension n = v.getType().getTensorType().getShape().getDim(0);
        return n.hasDimValue() && n.getDimValue() > 0;
    }
}

package org.jdissect.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import org.jdissect.JdissectException;

/**
 * A graph cut at one tensor (the layer) into a head and a tail, for any topology.
 *
 * <p>The tail is every node that depends on the layer (directly or through other tail nodes) and that some graph
 * output needs; the head is everything else the tail needs. Every other tensor the tail reads from outside itself
 * (a skip connection, a shape, a graph input such as a class label) is a <em>crossing</em>: the head outputs the
 * layer and its node-produced crossings, and the tail takes the layer and every crossing as graph inputs. Nothing
 * is rewritten but the list of inputs and outputs, so running the head and feeding its outputs to the tail gives
 * exactly the whole model's outputs (the split test holds this bit for bit); the edit of an intervention happens
 * on the layer alone, between the two.
 *
 * <p>The head keeps every input the caller feeds the whole model (a classifier's image, a generator's latent z),
 * so one feed map serves both. Graph outputs that do not depend on the layer are not the tail's.
 */
public final class GraphSplit {
    private final String layer;
    private final ModelProto head;
    private final ModelProto tailTemplate;
    private final List<String> feeds;
    private final List<String> crossings;
    private final List<String> headOutputs;
    private final List<String> tailOutputs;

    private GraphSplit(String layer, ModelProto head, ModelProto tailTemplate, List<String> feeds,
                       List<String> crossings, List<String> headOutputs, List<String> tailOutputs) {
        this.layer = layer;
        this.head = head;
        this.tailTemplate = tailTemplate;
        this.feeds = feeds;
        this.crossings = crossings;
        this.headOutputs = headOutputs;
        this.tailOutputs = tailOutputs;
    }

    /**
     * Cuts {@code model} at tensor {@code layer}.
     *
     * @throws JdissectException when the layer is no node output, or no graph output depends on it
     */
    public static GraphSplit at(ModelProto model, String layer) {
        GraphProto g = model.getGraph();
        List<NodeProto> order = GraphSurgery.topologicalOrder(g);
        Map<String, String> producers = GraphSurgery.producers(g);
        List<String> feeds = GraphSurgery.feedInputs(g);
        if (!producers.containsKey(layer)) {
            throw new JdissectException(feeds.contains(layer)
                    ? "'" + layer + "' is an input of the model, not a layer; a split needs a node output"
                    : "the model has no tensor '" + layer + "' produced by a node; cannot split there");
        }
        Set<String> initializers = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            initializers.add(t.getName());
        }
        for (var s : g.getSparseInitializerList()) {
            initializers.add(s.getValues().getName());
        }

        // forward: which nodes depend on the layer
        Set<String> downstream = new HashSet<>(Set.of(layer));
        boolean[] dependent = new boolean[order.size()];
        for (int i = 0; i < order.size(); i++) {
            NodeProto n = order.get(i);
            if (n.getOutputList().contains(layer)) {
                continue; // the layer's own producer is the head's
            }
            for (String in : GraphSurgery.reads(n)) {
                if (downstream.contains(in)) {
                    dependent[i] = true;
                    break;
                }
            }
            if (dependent[i]) {
                for (String out : n.getOutputList()) {
                    if (!out.isEmpty()) {
                        downstream.add(out);
                    }
                }
            }
        }
        List<String> tailOutputs = new ArrayList<>();
        List<ValueInfoProto> tailOutputInfo = new ArrayList<>();
        for (ValueInfoProto v : g.getOutputList()) {
            if (downstream.contains(v.getName()) && !v.getName().equals(layer)) {
                tailOutputs.add(v.getName());
                tailOutputInfo.add(v);
            }
        }
        if (tailOutputs.isEmpty()) {
            throw new JdissectException("no output of the model depends on '" + layer + "' (outputs: "
                    + g.getOutputList().stream().map(ValueInfoProto::getName).toList() + "); nothing to split");
        }

        // backward: the dependent nodes the tail outputs need
        Set<String> needed = new HashSet<>(tailOutputs);
        boolean[] keep = new boolean[order.size()];
        for (int i = order.size() - 1; i >= 0; i--) {
            if (!dependent[i]) {
                continue;
            }
            for (String out : order.get(i).getOutputList()) {
                if (needed.contains(out)) {
                    keep[i] = true;
                    break;
                }
            }
            if (keep[i]) {
                needed.addAll(GraphSurgery.reads(order.get(i)));
            }
        }
        Set<String> tailProduced = new HashSet<>();
        List<NodeProto> tailNodes = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            if (keep[i]) {
                tailNodes.add(order.get(i));
                tailProduced.addAll(order.get(i).getOutputList());
            }
        }
        // what the tail reads from outside itself, in the order the tail first reads it
        Set<String> feedSet = new HashSet<>(feeds);
        Set<String> crossing = new LinkedHashSet<>();
        Set<String> tailInitializers = new HashSet<>();
        for (NodeProto n : tailNodes) {
            for (String in : GraphSurgery.reads(n)) {
                if (in.equals(layer) || tailProduced.contains(in)) {
                    continue;
                }
                if (initializers.contains(in)) {
                    tailInitializers.add(in);
                } else if (feedSet.contains(in) || producers.containsKey(in)) {
                    crossing.add(in);
                }
                // anything else is a name a subgraph defines for itself
            }
        }
        List<String> crossings = List.copyOf(crossing);
        List<String> headOutputs = new ArrayList<>(List.of(layer));
        for (String c : crossings) {
            if (!feedSet.contains(c)) {
                headOutputs.add(c);
            }
        }
        ModelProto head = GraphSurgery.withOutputs(model, headOutputs);

        GraphProto.Builder t = g.toBuilder().clearNode().clearInput().clearOutput().clearInitializer()
                .clearSparseInitializer().clearValueInfo();
        t.setName(g.getName() + "-tail");
        tailNodes.forEach(t::addNode);
        for (TensorProto init : g.getInitializerList()) {
            if (tailInitializers.contains(init.getName())) {
                t.addInitializer(init);
            }
        }
        for (var s : g.getSparseInitializerList()) {
            if (tailInitializers.contains(s.getValues().getName())) {
                t.addSparseInitializer(s);
            }
        }
        for (ValueInfoProto v : g.getInputList()) {
            // initializer-backed inputs the tail uses stay declared, as in the whole model
            if (tailInitializers.contains(v.getName())) {
                t.addInput(v);
            }
        }
        for (ValueInfoProto v : g.getValueInfoList()) {
            if (tailProduced.contains(v.getName())) {
                t.addValueInfo(v);
            }
        }
        tailOutputInfo.forEach(t::addOutput);
        return new GraphSplit(layer, head, model.toBuilder().setGraph(t).build(), List.copyOf(feeds), crossings,
                List.copyOf(headOutputs), List.copyOf(tailOutputs));
    }

    /** The tensor the graph is cut at. */
    public String layer() {
        return layer;
    }

    /** The head: the whole model's feed inputs to {@link #headOutputs()}. */
    public ModelProto head() {
        return head;
    }

    /** The inputs the caller feeds (those of the whole model). */
    public List<String> feeds() {
        return feeds;
    }

    /** The layer, then every node output of the head the tail reads. */
    public List<String> headOutputs() {
        return headOutputs;
    }

    /** Tensors other than the layer that the tail reads from outside itself: head outputs or feed inputs. */
    public List<String> crossings() {
        return crossings;
    }

    /** The tail's inputs in order: the layer, then the crossings. */
    public List<String> tailInputs() {
        List<String> all = new ArrayList<>(List.of(layer));
        all.addAll(crossings);
        return all;
    }

    /** The graph outputs that depend on the layer, in the model's order. */
    public List<String> tailOutputs() {
        return tailOutputs;
    }

    /**
     * The tail, with its inputs declared with the given types (ONNX requires a type on every graph input; the
     * element types of intermediate tensors are known once the head has run, see {@link SplitRunner}). Names
     * missing from {@code types} fall back to a declared graph input or value_info type.
     */
    public ModelProto tail(Map<String, TypeProto> types) {
        GraphProto g = tailTemplate.getGraph();
        Map<String, TypeProto> declared = new HashMap<>();
        for (ValueInfoProto v : head.getGraph().getInputList()) {
            declared.put(v.getName(), v.getType());
        }
        for (ValueInfoProto v : head.getGraph().getValueInfoList()) {
            declared.putIfAbsent(v.getName(), v.getType());
        }
        for (ValueInfoProto v : head.getGraph().getOutputList()) {
            if (v.hasType() && v.getType().hasTensorType() && v.getType().getTensorType().getElemType() != 0) {
                declared.putIfAbsent(v.getName(), v.getType());
            }
        }
        GraphProto.Builder b = g.toBuilder();
        List<ValueInfoProto> initializerInputs = new ArrayList<>(b.getInputList());
        b.clearInput();
        for (String name : tailInputs()) {
            TypeProto type = types.containsKey(name) ? types.get(name) : declared.get(name);
            if (type == null) {
                throw new IllegalStateException("no type known for tail input '" + name + "'");
            }
            b.addInput(ValueInfoProto.newBuilder().setName(name).setType(type));
        }
        initializerInputs.forEach(b::addInput);
        return tailTemplate.toBuilder().setGraph(b).build();
    }

    /**
     * A copy of {@code model} whose layer passes through the masked edit {@code x + alpha * (r - x)}, with
     * {@code alpha} and {@code r} two new float inputs of shape [1, C, 1, 1] ({@link #ALPHA}, {@link #REPLACEMENT}):
     * the whole-model way to ablate, which re-runs the head for every edit (the benchmark's baseline).
     */
    public static ModelProto withLayerEdit(ModelProto model, String layer, int channels) {
        GraphProto g = model.getGraph();
        String raw = layer + "__jdissect_raw";
        GraphProto.Builder b = g.toBuilder().clearNode();
        boolean found = false;
        for (NodeProto n : GraphSurgery.topologicalOrder(g)) {
            int k = n.getOutputList().indexOf(layer);
            if (k < 0) {
                b.addNode(n);
                continue;
            }
            found = true;
            b.addNode(n.toBuilder().setOutput(k, raw));
            b.addNode(NodeProto.newBuilder().setOpType("Sub").setName(raw + "_sub")
                    .addInput(REPLACEMENT).addInput(raw).addOutput(raw + "_diff"));
            b.addNode(NodeProto.newBuilder().setOpType("Mul").setName(raw + "_mul")
                    .addInput(ALPHA).addInput(raw + "_diff").addOutput(raw + "_scaled"));
            b.addNode(NodeProto.newBuilder().setOpType("Add").setName(raw + "_add")
                    .addInput(raw).addInput(raw + "_scaled").addOutput(layer));
        }
        if (!found) {
            throw new JdissectException("the model has no tensor '" + layer + "' produced by a node");
        }
        for (String name : List.of(ALPHA, REPLACEMENT)) {
            b.addInput(ValueInfoProto.newBuilder().setName(name).setType(floatType(1, channels, 1, 1)));
        }
        return model.toBuilder().setGraph(b).build();
    }

    /** Input names of {@link #withLayerEdit}. */
    public static final String ALPHA = "jdissect_alpha";
    public static final String REPLACEMENT = "jdissect_replacement";

    static TypeProto floatType(long... dims) {
        var shape = ai.onnx.proto.OnnxMl.TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(ai.onnx.proto.OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)).build();
    }
}

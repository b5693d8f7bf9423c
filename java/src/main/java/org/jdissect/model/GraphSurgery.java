package org.jdissect.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

/** Reading and editing the top-level graph of a ModelProto: order, dependencies, exposed outputs. */
final class GraphSurgery {

    private GraphSurgery() {
    }

    /**
     * Names a node reads: its inputs plus every name read inside its subgraphs (If/Loop/Scan bodies may use
     * outer-scope values without listing them). Over-approximates for names the subgraph defines itself,
     * which is harmless for ordering and dependency questions.
     */
    static Set<String> reads(NodeProto node) {
        Set<String> names = new LinkedHashSet<>();
        for (String in : node.getInputList()) {
            if (!in.isEmpty()) {
                names.add(in);
            }
        }
        for (AttributeProto a : node.getAttributeList()) {
            if (a.hasG()) {
                collectReads(a.getG(), names);
            }
            for (GraphProto g : a.getGraphsList()) {
                collectReads(g, names);
            }
        }
        return names;
    }

    private static void collectReads(GraphProto g, Set<String> names) {
        for (NodeProto n : g.getNodeList()) {
            names.addAll(reads(n));
        }
    }

    /** Nodes in a topological order that keeps the file's order wherever the file is already valid. */
    static List<NodeProto> topologicalOrder(GraphProto g) {
        List<NodeProto> nodes = g.getNodeList();
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String out : nodes.get(i).getOutputList()) {
                if (!out.isEmpty()) {
                    producer.put(out, i);
                }
            }
        }
        int[] indegree = new int[nodes.size()];
        List<List<Integer>> consumers = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            consumers.add(new ArrayList<>());
        }
        for (int i = 0; i < nodes.size(); i++) {
            Set<Integer> deps = new HashSet<>();
            for (String in : reads(nodes.get(i))) {
                Integer p = producer.get(in);
                if (p != null && p != i) {
                    deps.add(p);
                }
            }
            indegree[i] = deps.size();
            for (int p : deps) {
                consumers.get(p).add(i);
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (indegree[i] == 0) {
                ready.add(i);
            }
        }
        List<NodeProto> order = new ArrayList<>(nodes.size());
        boolean[] placed = new boolean[nodes.size()];
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order.add(nodes.get(i));
            placed[i] = true;
            for (int c : consumers.get(i)) {
                if (--indegree[c] == 0) {
                    ready.add(c);
                }
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (!placed[i]) {
                order.add(nodes.get(i)); // a cycle: invalid ONNX, ORT will say so
            }
        }
        return order;
    }

    /** Names of graph inputs that are not initializers (the values a caller must feed). */
    static List<String> feedInputs(GraphProto g) {
        Set<String> initializers = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            initializers.add(t.getName());
        }
        for (var s : g.getSparseInitializerList()) {
            initializers.add(s.getValues().getName());
        }
        List<String> feeds = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) {
            if (!initializers.contains(v.getName())) {
                feeds.add(v.getName());
            }
        }
        return feeds;
    }

    /** Ops that keep a tensor's layout position by position (elementwise, with constants or same-layout tensors). */
    private static final Set<String> LAYOUT_KEEPING = Set.of("Relu", "LeakyRelu", "Gelu", "Sigmoid", "Tanh", "Erf",
            "Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Identity", "Clip", "HardSigmoid", "HardSwish", "Elu", "Softplus",
            "Dropout", "LayerNormalization", "Pad", "Slice", "Concat");

    /**
     * The 4-D tensors the graph holds channels-last: the output of a Transpose by (0, 2, 3, 1), and what follows it
     * through ops that keep the layout (elementwise ops, a LayerNorm written out of ReduceMean over the last axis,
     * Sub, Pow, Div, ..., MatMul with a matrix on the last axis, a Linear layer, and the Pad, Slice and Concat of a
     * Swin patch merging) until a Transpose by (0, 3, 1, 2) or anything else (a Reshape). A ReduceMean over the last axis keeps the layout too (its output is N x H x W x 1).
     */
    static Set<String> channelsLast(List<NodeProto> order) {
        Set<String> last = new java.util.HashSet<>();
        for (NodeProto n : order) {
            String op = n.getOpType();
            boolean fromLast = n.getInputList().stream().anyMatch(last::contains);
            boolean keeps;
            if (op.equals("Transpose")) {
                List<Long> perm = n.getAttributeList().stream().filter(a -> a.getName().equals("perm")).findFirst()
                        .map(a -> a.getIntsList()).orElse(List.of());
                keeps = perm.equals(List.of(0L, 2L, 3L, 1L)) && !fromLast;
            } else if (op.equals("ReduceMean") || op.equals("ReduceSum")) {
                List<Long> axes = n.getAttributeList().stream().filter(a -> a.getName().equals("axes")).findFirst()
                        .map(a -> a.getIntsList()).orElse(List.of());
                keeps = fromLast && (axes.equals(List.of(-1L)) || axes.equals(List.of(3L)));
            } else {
                keeps = fromLast && (LAYOUT_KEEPING.contains(op) || op.equals("MatMul"));
            }
            if (keeps) {
                last.addAll(n.getOutputList());
            }
        }
        return last;
    }

    /** Node outputs that depend on {@code input}, in topological order, with their producing op types. */
    static Map<String, String> outputsDependingOn(List<NodeProto> order, String input) {
        Set<String> reached = new HashSet<>();
        reached.add(input);
        Map<String, String> result = new java.util.LinkedHashMap<>();
        for (NodeProto n : order) {
            boolean depends = false;
            for (String in : reads(n)) {
                if (reached.contains(in)) {
                    depends = true;
                    break;
                }
            }
            if (depends) {
                for (String out : n.getOutputList()) {
                    if (!out.isEmpty()) {
                        reached.add(out);
                        result.put(out, n.getOpType());
                    }
                }
            }
        }
        return result;
    }

    /** Op type of every node output of the top-level graph. */
    static Map<String, String> producers(GraphProto g) {
        Map<String, String> ops = new HashMap<>();
        for (NodeProto n : g.getNodeList()) {
            for (String out : n.getOutputList()) {
                if (!out.isEmpty()) {
                    ops.put(out, n.getOpType());
                }
            }
        }
        return ops;
    }

    /**
     * A copy of {@code model} whose graph outputs are exactly {@code outputs} and whose graph keeps only the
     * nodes, initializers and inputs those outputs need, so nothing past the deepest requested layer runs.
     * An existing graph output keeps its declared type; other outputs get the element type recorded in
     * value_info when there is one, and no shape (the shape follows from the input size).
     */
    static ModelProto withOutputs(ModelProto model, Collection<String> outputs) {
        GraphProto g = model.getGraph();
        Map<String, ValueInfoProto> declared = new HashMap<>();
        for (ValueInfoProto v : g.getValueInfoList()) {
            declared.put(v.getName(), v);
        }
        Map<String, ValueInfoProto> graphOutputs = new HashMap<>();
        for (ValueInfoProto v : g.getOutputList()) {
            graphOutputs.put(v.getName(), v);
        }

        List<NodeProto> order = topologicalOrder(g);
        Set<String> needed = new HashSet<>(outputs);
        boolean[] keep = new boolean[order.size()];
        for (int i = order.size() - 1; i >= 0; i--) {
            NodeProto n = order.get(i);
            for (String out : n.getOutputList()) {
                if (needed.contains(out)) {
                    keep[i] = true;
                    break;
                }
            }
            if (keep[i]) {
                needed.addAll(reads(n));
            }
        }

        GraphProto.Builder b = g.toBuilder()
                .clearNode().clearOutput().clearInitializer().clearSparseInitializer().clearInput().clearValueInfo();
        Set<String> produced = new HashSet<>();
        for (int i = 0; i < order.size(); i++) {
            if (keep[i]) {
                b.addNode(order.get(i));
                produced.addAll(order.get(i).getOutputList());
            }
        }
        for (TensorProto t : g.getInitializerList()) {
            if (needed.contains(t.getName())) {
                b.addInitializer(t);
            }
        }
        for (var s : g.getSparseInitializerList()) {
            if (needed.contains(s.getValues().getName())) {
                b.addSparseInitializer(s);
            }
        }
        Set<String> feeds = new HashSet<>(feedInputs(g));
        for (ValueInfoProto v : g.getInputList()) {
            // inputs the caller feeds stay (the session signature must not change); initializer-backed ones
            // go with their initializer
            if (feeds.contains(v.getName()) || needed.contains(v.getName())) {
                b.addInput(v);
            }
        }
        for (ValueInfoProto v : g.getValueInfoList()) {
            if (produced.contains(v.getName())) {
                b.addValueInfo(v);
            }
        }
        for (String name : outputs) {
            ValueInfoProto existing = graphOutputs.get(name);
            if (existing != null) {
                b.addOutput(existing);
                continue;
            }
            ValueInfoProto.Builder out = ValueInfoProto.newBuilder().setName(name);
            ValueInfoProto info = declared.get(name);
            if (info != null && info.hasType() && info.getType().hasTensorType()
                    && info.getType().getTensorType().getElemType() != 0) {
                out.setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(info.getType().getTensorType().getElemType())));
            }
            b.addOutput(out);
        }
        return model.toBuilder().setGraph(b).build();
    }
}

package org.jdissect.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.jdissect.model.LayerInfo;
import org.jdissect.model.OnnxModel;

@Command(name = "layers", mixinStandardHelpOptions = true,
        description = "List every layer of a model that can be dissected: tensor name, producing op, C x H x W "
                + "(from a dry run at the given input size).")
final class LayersCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "M.onnx", description = "The ONNX model.")
    Path model;

    @Mixin
    PreprocessingOptions pre;

    @Mixin
    InferenceOption inference;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        try (OnnxModel m = OnnxModel.load(model, inference.inference())) {
            List<LayerInfo> layers = m.layers(pre.preprocessing(model));
            int width = Math.max(5, layers.stream().mapToInt(l -> l.name().length()).max().orElse(5));
            System.out.printf("%-" + width + "s  %-20s  %s%n", "layer", "op", "units x H x W");
            for (LayerInfo l : layers) {
                System.out.printf("%-" + width + "s  %-20s  %s%n", l.name(), l.op(), l.describe());
            }
            System.out.printf("%d layers; input '%s' at %dx%d%n", layers.size(), m.inputName(),
                    pre.preprocessing(model).height(), pre.preprocessing(model).width());
        }
        return 0;
    }
}

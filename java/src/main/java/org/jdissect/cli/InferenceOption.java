package org.jdissect.cli;

import java.util.Locale;

import picocli.CommandLine.Option;

import org.jdissect.JdissectException;
import org.jdissect.model.OnnxModel;

/** --inference, for the commands that run a model. */
final class InferenceOption {
    @Option(names = "--inference", paramLabel = "cpu|cuda", defaultValue = "cpu",
            description = "Where the models run (default: ${DEFAULT-VALUE}): cuda uses ONNX Runtime's CUDA execution "
                    + "provider, which needs a jar built with 'mvn -Pgpu package' (the onnxruntime_gpu artifact) and "
                    + "its CUDA libraries; without them it stops with the reason.")
    String where;

    OnnxModel.Inference inference() {
        return switch (where.trim().toLowerCase(Locale.ROOT)) {
            case "cpu" -> OnnxModel.Inference.CPU;
            case "cuda" -> OnnxModel.Inference.CUDA;
            default -> throw new JdissectException("--inference must be cpu or cuda, got '" + where + "'");
        };
    }
}

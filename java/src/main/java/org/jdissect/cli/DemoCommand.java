package org.jdissect.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import org.jdissect.io.OutputLock;
import org.jdissect.demo.Demo;
import org.jdissect.demo.DemoModels;
import org.jdissect.dissect.DissectionResult;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole method with nothing downloaded: build a SceneWorld (synthetic scenes with "
                + "per-pixel object, part, material, colour and texture labels), dissect the demo scene classifier "
                + "(models-onnx/scene_cnn.onnx) at a low, a middle and a high layer, and print what each layer's "
                + "units detect.",
                "Outputs go to OUT/dissection/<layer>/ (tally.csv, report.json, ...), the HTML report to "
                        + "OUT/dissection/report/index.html; the world is built once in OUT/world and reused."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR",
            description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--models", paramLabel = "DIR",
            description = "The demo models folder (default: models-onnx/ found beside the jar or the working "
                    + "directory, or -D" + DemoModels.PROPERTY + ", or $" + DemoModels.ENV + ").")
    Path models;

    @ParentCommand
    JdissectCommand root;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        try (OutputLock lock = Locks.output(out, root)) {
            DissectionResult result = models == null
                    ? Demo.run(out, output.progress(), root.invocation())
                    : Demo.run(out, models, output.progress(), root.invocation());
            SummaryTable.print(result);
            ReportCommand.write(result, result.options().threads(), output.quiet);
        }
        System.out.printf("demo took %.0f s%n", (System.nanoTime() - start) / 1e9);
        return 0;
    }
}

package org.jdissect.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

    @Option(names = {"-q", "--quiet"}, description = "No progress bars.")
    boolean quiet;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        ConsoleProgress progress = new ConsoleProgress(quiet);
        DissectionResult result = models == null
                ? Demo.run(out, progress, line -> System.err.println(line))
                : Demo.run(out, models, progress, line -> System.err.println(line));
        DissectCommand.printSummary(result);
        ReportCommand.write(out.resolve("dissection"), result, null, quiet);
        System.out.printf("demo took %.0f s%n", (System.nanoTime() - start) / 1e9);
        return 0;
    }
}

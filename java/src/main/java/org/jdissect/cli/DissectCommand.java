package org.jdissect.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.jdissect.dissect.Dissection;
import org.jdissect.dissect.DissectionResult;
import org.jdissect.stats.Backend;

@Command(name = "dissect", mixinStandardHelpOptions = true,
        description = {"Label every unit of the chosen layers with the concept it detects: IoU of the unit's "
                + "thresholded, upsampled activation against the dataset's concept masks (NetDissect-Lite's "
                + "definitions, exact thresholds).",
                "Writes OUT/<layer>/tally.csv, report.json, thresholds.csv and topk.csv, and the HTML report "
                        + "OUT/report/index.html. An interrupted run resumes from OUT/cache."})
final class DissectCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "M.onnx", description = "The ONNX model.")
    Path model;

    @Option(names = "--layer", required = true, paramLabel = "L",
            description = "A layer (tensor name) to dissect; repeat for several, all from one inference. "
                    + "'jdissect layers --model M' lists them.")
    List<String> layers;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "A Broden-format dataset.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "Output directory.")
    Path out;

    @Option(names = "--categories", split = ",", paramLabel = "a,b",
            description = "Categories to count (default: all of the dataset's).")
    List<String> categories = List.of();

    @Mixin
    ScoringOptions scoring;

    @Option(names = "--topk", defaultValue = "10", paramLabel = "K",
            description = "Top images kept per unit (default: ${DEFAULT-VALUE}).")
    int topk;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N",
            description = "Images per inference batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--memory", defaultValue = "2g", paramLabel = "SIZE",
            description = "A layer's cached activations up to this size are held in memory, larger ones are read "
                    + "from the cache file; e.g. 512m, 4g (default: ${DEFAULT-VALUE}).")
    String memory;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Mixin
    DeviceOption device;

    @Option(names = "--skip-bad", description = "Skip malformed index rows and unreadable images, and report how "
            + "many, instead of stopping at the first.")
    boolean skipBad;

    @Option(names = "--fresh", description = "Ignore an existing activation cache in OUT instead of resuming.")
    boolean fresh;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars.")
    boolean quiet;

    @Mixin
    PreprocessingOptions pre;

    @Override
    public Integer call() {
        Dissection.Builder builder = Dissection.builder()
                .model(model).layers(layers).data(data).out(out).categories(categories)
                .preprocessing(pre.preprocessing()).quantile(scoring.quantile).iouThreshold(scoring.iouThreshold).topk(topk)
                .batch(batch).memory(Sizes.parse(memory, "--memory")).skipBad(skipBad).fresh(fresh)
                .progress(new ConsoleProgress(quiet)).log(line -> System.err.println(line));
        if (threads != null) {
            builder.threads(threads);
        }
        int backendThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        try (Backend backend = device.open(backendThreads)) {
            DissectionResult result = builder.backend(backend).run();
            printSummary(result);
            ReportCommand.write(out, result, threads, quiet);
        }
        return 0;
    }

    static void printSummary(DissectionResult result) {
        SummaryTable.print(result.layers(), result.info().reportContext());
        System.out.printf("%d images (%d skipped); IoU >= %s counts as interpretable; results in %s%n",
                result.info().rows().size(), result.info().skippedImages(), result.info().iouThreshold(),
                result.layers().isEmpty() ? "-" : result.layers().get(0).directory().getParent());
    }
}

package org.jdissect.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.jdissect.dissect.Dissection;
import org.jdissect.dissect.DissectionResult;
import org.jdissect.dissect.LayerResult;
import org.jdissect.dissect.Summary;

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

    @Option(names = "--quantile", defaultValue = "0.005", paramLabel = "Q",
            description = "Top quantile of each unit's activations that forms its mask (default: ${DEFAULT-VALUE}).")
    double quantile;

    @Option(names = "--iou-threshold", defaultValue = "0.04", paramLabel = "T",
            description = "IoU at which a unit counts as interpretable (default: ${DEFAULT-VALUE}).")
    double iouThreshold;

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
                .preprocessing(pre.preprocessing()).quantile(quantile).iouThreshold(iouThreshold).topk(topk)
                .batch(batch).memory(Sizes.parse(memory, "--memory")).skipBad(skipBad).fresh(fresh)
                .progress(new ConsoleProgress(quiet)).log(line -> System.err.println(line));
        if (threads != null) {
            builder.threads(threads);
        }
        DissectionResult result = builder.run();
        printSummary(result);
        ReportCommand.write(out, result, threads, quiet);
        return 0;
    }

    /** The best units of a layer, one line each: what a reader wants to see first. */
    static void printUnits(DissectionResult result, LayerResult layer, int max) {
        List<org.jdissect.dissect.Scoring.UnitScore> ranked = org.jdissect.dissect.Scoring.ranked(layer.scores());
        System.out.println(layer.layer().name() + ": best units (of " + ranked.size() + ")");
        for (org.jdissect.dissect.Scoring.UnitScore s : ranked.subList(0, Math.min(max, ranked.size()))) {
            System.out.printf("  unit %4d  %-24s %-10s IoU %.3f%s%n", s.unit() + 1,
                    result.info().dataset().labelName(s.label()), result.info().categories().get(s.category()),
                    s.iou(), s.iou() >= result.info().iouThreshold() ? "" : "  (below the cut-off)");
        }
    }

    static void printSummary(DissectionResult result) {
        List<String> cats = result.info().categories();
        StringBuilder header = new StringBuilder(String.format("%-28s %6s %8s %8s", "layer", "units", "interp.",
                "concepts"));
        for (String c : cats) {
            header.append(String.format(" %9s", c.length() > 9 ? c.substring(0, 9) : c));
        }
        System.out.println(header);
        for (LayerResult layer : result.layers()) {
            Summary s = result.summary(layer);
            String name = layer.layer().name();
            StringBuilder line = new StringBuilder(String.format("%-28s %6d %8d %8d",
                    name.length() > 28 ? "..." + name.substring(name.length() - 25) : name, s.units(),
                    s.interpretable(), s.uniqueConcepts()));
            for (String c : cats) {
                line.append(String.format(" %9d", s.unitsPerCategory().get(c)));
            }
            System.out.println(line);
        }
        System.out.println();
        for (LayerResult layer : result.layers()) {
            printUnits(result, layer, 12);
        }
        System.out.printf("%d images (%d skipped); IoU >= %s counts as interpretable; results in %s%n",
                result.info().rows().size(), result.info().skippedImages(), result.info().iouThreshold(),
                result.layers().isEmpty() ? "-" : result.layers().get(0).directory().getParent());
    }
}

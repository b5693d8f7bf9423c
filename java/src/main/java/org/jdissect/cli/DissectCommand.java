package org.jdissect.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import org.jdissect.JdissectException;
import org.jdissect.io.OutputLock;
import org.jdissect.dissect.ClusterDissection;
import org.jdissect.dissect.DissectionOutput;
import org.jdissect.dissect.Dissection;
import org.jdissect.dissect.DissectionOptions;
import org.jdissect.dissect.DissectionResult;
import org.jdissect.dissect.Probe;

@Command(name = "dissect", mixinStandardHelpOptions = true,
        description = {"Label every unit of the chosen layers with the concept it detects: IoU of the unit's "
                + "thresholded, upsampled activation against concept masks (NetDissect-Lite's definitions, exact "
                + "thresholds).",
                "The concepts come from a Broden dataset's annotations (--data DIR), or from a segmentation model "
                        + "run on any folder of images (--images DIR --segmenter S.onnx --seg-labels F): no annotated "
                        + "dataset needed.",
                "Writes OUT/<layer>/tally.csv, report.json, thresholds.csv, topk.csv and iou.csv, and the HTML report "
                        + "OUT/report/index.html. An interrupted run resumes from OUT/cache."})
final class DissectCommand implements Callable<Integer> {
    @ParentCommand
    JdissectCommand root;

    @Option(names = "--model", paramLabel = "M.onnx", description = "The ONNX model.")
    Path model;

    @Option(names = "--models", paramLabel = "A.onnx,B.onnx|LIST",
            description = "Instead of --model, with --spark: a campaign over several models (comma-separated, or a "
                    + "file listing one per line), each into OUT/<model>/<layer>/, with OUT/campaign.csv and "
                    + "a report comparing them (OUT/report/index.html).")
    String models;

    @Option(names = "--layer", required = true, paramLabel = "L",
            description = "A layer (tensor name) to dissect; repeat for several, all from one inference. "
                    + "'jdissect layers --model M' lists them.")
    List<String> layers;

    @Option(names = "--data", paramLabel = "DIR", description = "A Broden-format dataset: a path or a file:// URI; "
            + "with --spark also any Hadoop file system's URI (hdfs://, s3a://).")
    String data;

    @Option(names = "--images", paramLabel = "DIR",
            description = "Instead of --data: a folder of images (searched recursively), labelled by --segmenter.")
    Path images;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "Output directory.")
    Path out;

    @Option(names = "--categories", split = ",", paramLabel = "a,b",
            description = "With --data: categories to count (default: all of the dataset's).")
    List<String> categories = List.of();

    @Mixin
    ScoringOptions scoring;

    @Mixin
    RunOptions run;

    @Option(names = "--skip-bad", description = "Skip malformed index rows and unreadable images, and report them, "
            + "instead of stopping at the first.")
    boolean skipBad;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Run the passes as a Spark job on this master: local[*] in this process, spark://host:7077, "
                    + "yarn, k8s://...; the same files as without it (needs the Spark module: README, Dissection on "
                    + "Spark). --data or --images with a segmenter, either --precision; the HTML report with local "
                    + "masters only.")
    String spark;

    @Mixin
    DeviceOption device;

    @Mixin
    PreprocessingOptions pre;

    @Mixin
    SegmenterOptions seg;

    @Mixin
    InferenceOption inference;

    @Mixin
    ThreadsOption threads;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        if ((model == null) == (models == null)) {
            throw new JdissectException("give the network: --model M.onnx, or --models A.onnx,B.onnx (or a file "
                    + "listing them) for a campaign");
        }
        if (models != null) {
            return campaign();
        }
        Probe probe;
        String dataUri = null;
        if ((data == null) == (images == null)) {
            throw new JdissectException("give the images to dissect on: --data DIR (a Broden dataset) or --images DIR "
                    + "(any images, labelled by --segmenter)");
        }
        if (data != null) {
            if (seg.segmenter != null) {
                throw new JdissectException("--segmenter labels --images; a Broden dataset (--data) has its own labels");
            }
            // with --spark a URI is read by the executors through Hadoop's file systems; without it, a file:// URI
            dataUri = spark != null && Locations.isUri(data) ? data : null;
            Path local = dataUri != null ? Path.of(".") : Locations.local("--data", data);
            if (dataUri == null && !java.nio.file.Files.isDirectory(local)) { // before a model or a Spark context
                throw new JdissectException("--data " + data + ": no such folder (a Broden dataset: index.csv, "
                        + "label.csv and the images)");
            }
            probe = new Probe.Broden(model, layers, pre.preprocessing(model), local, categories);
        } else {
            if (!categories.isEmpty()) {
                throw new JdissectException("--categories is for --data; with --images the categories are the "
                        + "segmenter's (its --seg-labels file)");
            }
            if (!java.nio.file.Files.isDirectory(images)) {
                throw new JdissectException("--images " + images + ": no such folder");
            }
            probe = new Probe.SegmentedImages(model, layers, pre.preprocessing(model), images,
                    seg.segmentation("--images"));
        }
        DissectionOptions options = run.options(scoring, threads.threads(), skipBad); // checked before OUT is made
        if (spark != null && "cuda".equalsIgnoreCase(device.device)) {
            throw new JdissectException("--device cuda: a --spark job computes its statistics on the executors' CPUs; "
                    + "leave out --device (or --spark for the CUDA backend on this machine)");
        }
        ClusterDissection cluster = spark == null ? null : ClusterDissection.find(); // so is the Spark module
        try (OutputLock lock = Locks.output(out, root)) {
            DissectionResult result = cluster != null
                    ? cluster.run(spark, probe, dataUri, out, options, inference.inference(),
                            output.progress(), root.invocation())
                    : Dissection.builder().probe(probe).out(out).options(options)
                            .inference(inference.inference()).backend(device::open).progress(output.progress())
                            .invocation(root.invocation()).run();
            SummaryTable.print(result);
            boolean cached = DissectionOutput.hasCache(out);
            if (cluster != null && !cached) {
                // the report's unit pictures are drawn from the activation cache, which a Spark job on a cluster
                // keeps on its executors for the job's length only (a local one writes it)
                System.out.println("report: not written (its unit pictures need the activation cache, which a "
                        + "--spark job on a cluster or on a URI's data leaves on the executors); the layers' files "
                        + "are in " + out);
            } else {
                ReportCommand.write(result, options.threads(), output.quiet);
            }
        }
        return 0;
    }

    /** --models: each model as --model would be, in one Spark job per model, then the campaign's summary. */
    private int campaign() {
        if (spark == null) {
            throw new JdissectException("--models runs a campaign as a Spark job: add --spark MASTER (local[*] runs "
                    + "it in this process)");
        }
        if (data == null || images != null) {
            throw new JdissectException("--models dissects a Broden dataset: give --data DIR");
        }
        List<Path> paths = Campaigns.models("--models", models);
        String dataUri = Locations.isUri(data) ? data : null;
        List<Probe> probes = new java.util.ArrayList<>();
        for (Path m : paths) {
            probes.add(new Probe.Broden(m, layers, pre.preprocessing(m),
                    dataUri != null ? Path.of(".") : Locations.local("--data", data), categories));
        }
        DissectionOptions options = run.options(scoring, threads.threads(), skipBad);
        ClusterDissection cluster = ClusterDissection.find();
        try (OutputLock lock = Locks.output(out, root)) {
            List<DissectionResult> results = cluster.campaign(spark, probes, Campaigns.names(paths), dataUri, out,
                    options, inference.inference(), output.progress(), root.invocation());
            for (DissectionResult r : results) {
                SummaryTable.print(r);
                // each model's own report where the job left its activation cache (a local master on a path), as
                // --model does; the campaign's page links to it
                if (DissectionOutput.hasCache(r.out())) {
                    ReportCommand.write(r, options.threads(), output.quiet);
                }
            }
            System.out.println("campaign: " + paths.size() + " models x " + layers.size() + " layers; "
                    + out.resolve("campaign.csv") + ", " + out.resolve("report").resolve("index.html"));
        }
        return 0;
    }
}

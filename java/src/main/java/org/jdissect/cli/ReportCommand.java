package org.jdissect.cli;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import org.jdissect.io.OutputLock;
import org.jdissect.dissect.DissectionResult;
import org.jdissect.report.HtmlReport;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write the HTML report of a dissection or a gan-dissect output: OUT/report/index.html and a "
                + "page per layer (headline, units per concept, a sortable table of units, a card per unit with its "
                + "top images and mask, or its top samples), a static site that works from file://.",
                "Reads OUT/<layer>/report.json, the activation cache in OUT/cache and the images report.json names; "
                        + "adds a page for every ablate, gan-edit and gan-effect output found under OUT. 'dissect', "
                        + "'demo' and 'gan-dissect' write it too, and ablate, gan-edit and gan-effect rewrite it when "
                        + "their --out lies in a dissection's OUT."})
final class ReportCommand implements Callable<Integer> {
    private static final System.Logger LOG = System.getLogger(ReportCommand.class.getName());

    @Parameters(index = "0", paramLabel = "OUT", description = "The output folder of a dissection.")
    Path out;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Where the dataset or image folder is now, if it moved since the dissection (default: "
                    + "where report.json says).")
    Path data;

    @Option(names = "--thumbnail", defaultValue = "96", paramLabel = "PX",
            description = "Longest side of a thumbnail in pixels (default: ${DEFAULT-VALUE}).")
    int thumbnail;

    @ParentCommand
    JdissectCommand root;

    @Mixin
    ThreadsOption threads;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        try (OutputLock lock = Locks.output(out, root)) {
            write(HtmlReport.builder(out).data(data).thumbnail(thumbnail).threads(threads.threads()), output.quiet);
        }
        return 0;
    }

    /** Writes the report of the dissection just run into {@code out}: what every command that dissects calls. */
    static HtmlReport.Result write(Path out, DissectionResult result, int threads, boolean quiet) {
        return write(HtmlReport.builder(out).dissection(result).threads(threads), quiet);
    }

    /**
     * Rewrites the report of the dissection output that {@code results} lies in, if any, so that the new results
     * appear in it; a report that cannot be written (a moved dataset) is a warning, the results stand.
     */
    static void refresh(Path results, int threads, boolean quiet) {
        var dissection = HtmlReport.dissectionAt(results);
        if (dissection.isEmpty()) {
            return;
        }
        try {
            write(HtmlReport.builder(dissection.get()).threads(threads), quiet);
        } catch (org.jdissect.JdissectException | java.io.UncheckedIOException e) {
            LOG.log(Level.WARNING, "report: not rewritten: " + e.getMessage() + " (jdissect report "
                    + dissection.get() + " writes it)");
        }
    }

    private static HtmlReport.Result write(HtmlReport.Builder builder, boolean quiet) {
        HtmlReport.Result r = builder.progress(new ConsoleProgress(quiet)).write();
        System.out.printf("report: %s (%d layers, %d units, %d images; %.1f s, the dissection took %.1f s)%n",
                r.index(), r.layers(), r.units(), r.images(), r.seconds(), r.dissectionSeconds());
        return r;
    }
}

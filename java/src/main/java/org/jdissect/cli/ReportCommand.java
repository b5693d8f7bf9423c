package org.jdissect.cli;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import org.jdissect.JdissectException;
import org.jdissect.dissect.DissectionOutput;
import org.jdissect.dissect.DissectionResult;
import org.jdissect.dissect.pages.DissectionPages;
import org.jdissect.attack.pages.AttackPages;
import org.jdissect.compose.pages.ComposePages;
import org.jdissect.intervene.pages.AblationPages;
import org.jdissect.intervene.pages.ExplainPages;
import org.jdissect.intervene.pages.GanPages;
import org.jdissect.io.OutputLock;
import org.jdissect.io.Words;
import org.jdissect.report.HtmlReport;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write the HTML report of a dissection or a gan-dissect output: OUT/report/index.html and a "
                + "page per layer (headline, units per concept, a sortable table of units, a card per unit with its "
                + "top images and mask, or its top samples), a static site that works from file://.",
                "Reads OUT/<layer>/report.json, the activation cache in OUT/cache and the images report.json names; "
                        + "adds a page for every ablate, explain, gan-edit and gan-effect output found under OUT. "
                        + "'dissect', 'demo' and 'gan-dissect' write it too, and ablate, explain, gan-edit and "
                        + "gan-effect rewrite it when their --out lies in a dissection's OUT."})
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
        if (!java.nio.file.Files.isDirectory(out)) {
            throw new JdissectException("no dissection output in " + out + " (not a folder)");
        }
        try (OutputLock lock = Locks.output(out, root)) {
            write(DissectionPages.of(out).data(data), HtmlReport.builder(out).thumbnail(thumbnail)
                    .threads(threads.threads()), output.quiet);
        }
        return 0;
    }

    /** Writes the report of the dissection just run into {@code out}: what every command that dissects calls. */
    static void write(DissectionResult result, int threads, boolean quiet) {
        write(DissectionPages.of(result), HtmlReport.builder(result.out()).threads(threads), quiet);
    }

    /**
     * Rewrites the report of the dissection output that {@code results} lies in, if any, so that the new results
     * appear in it; a report that cannot be written (a moved dataset) is a warning, the results stand.
     */
    static void refresh(Path results, int threads, boolean quiet) {
        var dissection = DissectionOutput.find(results);
        if (dissection.isEmpty()) {
            return;
        }
        try {
            write(DissectionPages.of(dissection.get()), HtmlReport.builder(dissection.get()).threads(threads), quiet);
        } catch (JdissectException | java.io.UncheckedIOException e) {
            LOG.log(Level.WARNING, "report: not rewritten: " + e.getMessage() + " (jdissect report "
                    + dissection.get() + " writes it)");
        }
    }

    /**
     * The report of a dissection with every experiment's pages: the dissection's own, then the ablations', the GAN
     * edits' and effects', and the explanations', each found under OUT. An experiment with pages of its own adds its extension here.
     */
    private static void write(DissectionPages dissection, HtmlReport.Builder report, boolean quiet) {
        if (!java.nio.file.Files.isDirectory(dissection.out())) {
            throw new JdissectException("no dissection output in " + dissection.out() + " (not a folder)");
        }
        HtmlReport.Result r = report.progress(new ConsoleProgress(quiet)).extension(dissection)
                .extension(new AblationPages()).extension(new GanPages()).extension(new ExplainPages())
                .extension(new ComposePages()).extension(new AttackPages()).write();
        DissectionPages.Summary s = dissection.summary();
        // the cards show units x top-k pictures, but an image among several units' top images is drawn once
        System.out.printf("report: %s (%s, %s, %s of %s; %.1f s, the dissection took %.1f s)%n", r.index(),
                Words.counted(s.layers(), "layer"), Words.counted(s.units(), "unit"),
                Words.counted(s.pictures(), "top-" + s.noun() + " picture"), Words.counted(s.images(), s.noun()),
                r.seconds(), s.dissectionSeconds());
    }
}

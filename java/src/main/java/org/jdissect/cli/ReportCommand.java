package org.jdissect.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.jdissect.dissect.DissectionResult;
import org.jdissect.report.HtmlReport;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write the HTML report of a dissection or a gan-dissect output: OUT/report/index.html and a "
                + "page per layer (headline, units per concept, a sortable table of units, a card per unit with its "
                + "top images and mask, or its top samples), a static site that works from file://.",
                "Reads OUT/<layer>/report.json, the activation cache in OUT/cache and the dataset report.json names; "
                        + "adds a page for every ablate, gan-edit and gan-effect output found under OUT. 'dissect', "
                        + "'demo' and 'gan-dissect' write it too, and ablate, gan-edit and gan-effect rewrite it when "
                        + "their --out lies in a dissection's OUT."})
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "OUT", description = "The output folder of a dissection.")
    Path out;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Where the dataset is now, if it moved since the dissection (default: where report.json says).")
    Path data;

    @Option(names = "--thumbnail", defaultValue = "96", paramLabel = "PX",
            description = "Longest side of a thumbnail in pixels (default: ${DEFAULT-VALUE}).")
    int thumbnail;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars.")
    boolean quiet;

    @Override
    public Integer call() {
        HtmlReport.Builder builder = HtmlReport.builder(out).data(data).thumbnail(thumbnail);
        if (threads != null) {
            builder.threads(threads);
        }
        write(builder, quiet);
        return 0;
    }

    /** Writes the report of the dissection just run into {@code out}: what every command that writes results calls. */
    static HtmlReport.Result write(Path out, DissectionResult result, Integer threads, boolean quiet) {
        HtmlReport.Builder builder = HtmlReport.builder(out).dissection(result);
        if (threads != null) {
            builder.threads(threads);
        }
        return write(builder, quiet);
    }

    /** Writes the report of the dissection output {@code out} from its files (a gan-dissect output included). */
    static HtmlReport.Result write(Path out, Integer threads, boolean quiet) {
        HtmlReport.Builder builder = HtmlReport.builder(out);
        if (threads != null) {
            builder.threads(threads);
        }
        return write(builder, quiet);
    }

    /**
     * Rewrites the report of the dissection output that {@code results} lies in, if any, so that the new results
     * appear in it; a report that cannot be written (a moved dataset) is a warning, the results stand.
     */
    static void refresh(Path results, Integer threads, boolean quiet) {
        var dissection = HtmlReport.dissectionAt(results);
        if (dissection.isEmpty()) {
            return;
        }
        try {
            write(dissection.get(), threads, quiet);
        } catch (org.jdissect.JdissectException | java.io.UncheckedIOException e) {
            System.err.println("report: not rewritten: " + e.getMessage() + " (jdissect report "
                    + dissection.get() + " writes it)");
        }
    }

    private static HtmlReport.Result write(HtmlReport.Builder builder, boolean quiet) {
        HtmlReport.Result r = builder.progress(new ConsoleProgress(quiet)).log(System.err::println).write();
        System.out.printf("report: %s (%d layers, %d units, %d images; %.1f s, the dissection took %.1f s)%n",
                r.index(), r.layers(), r.units(), r.images(), r.seconds(), r.dissectionSeconds());
        return r;
    }
}

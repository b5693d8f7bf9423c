package org.jdissect.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import org.jdissect.demo.Demo;
import org.jdissect.dissect.DissectionResult;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole method with nothing downloaded: build a small synthetic Broden world of "
                + "coloured shapes and a CNN whose units detect colours, dissect it, and print what each layer's "
                + "units detect.", "Outputs go to OUT/dissection/<layer>/ (tally.csv, report.json, ...), the HTML report to "
                + "OUT/dissection/report/index.html."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR",
            description = "Output directory; the world is built there once and reused (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars.")
    boolean quiet;

    @Override
    public Integer call() {
        DissectionResult result = Demo.run(out, new ConsoleProgress(quiet), line -> System.err.println(line));
        DissectCommand.printSummary(result);
        ReportCommand.write(out.resolve("dissection"), result, null, quiet);
        return 0;
    }
}

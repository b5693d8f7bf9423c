package org.jdissect.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import org.jdissect.JdissectException;
import org.jdissect.compose.ComposeRecord;
import org.jdissect.compose.Composition;
import org.jdissect.dissect.DissectionOutput;
import org.jdissect.io.OutputLock;

@Command(name = "compose", mixinStandardHelpOptions = true,
        description = {"Compositional explanations (Mu and Andreas, 2020): for each unit of a dissected layer, the "
                + "formula of concepts (C, F AND C, F OR C, F AND NOT C) whose mask matches the unit's mask best, "
                + "found by beam search, with IoU = |unit AND formula| / |unit OR formula| over every label pixel. "
                + "Reads the dissection's activation cache, thresholds and Broden dataset: no second inference.",
                "Writes OUT/<layer>/compose.csv (unit, formula, IoU, length, best single concept, its IoU, gain) and "
                        + "OUT/<layer>/compose.json (each formula's concepts and counts), and rewrites OUT's report, "
                        + "whose layer page then lists the formulas."})
final class ComposeCommand implements Callable<Integer> {
    @ParentCommand
    JdissectCommand root;

    @Option(names = "--dissection", required = true, paramLabel = "OUT",
            description = "A dissect output of a Broden dataset (its cache, report.json and dataset are read).")
    Path dissection;

    @Option(names = "--layer", required = true, paramLabel = "L", description = "The dissected layer.")
    String layer;

    @Option(names = "--length", defaultValue = "" + Composition.LENGTH, paramLabel = "N",
            description = "Formulas of at most N concepts (default: ${DEFAULT-VALUE}, as compexp).")
    int length;

    @Option(names = "--beam", defaultValue = "" + Composition.BEAM, paramLabel = "B",
            description = "Formulas kept at each step of the search (default: ${DEFAULT-VALUE}, as compexp).")
    int beam;

    @Option(names = "--units", split = ",", paramLabel = "u1,u2", description = "Units to explain (1-based; "
            + "default: all).")
    List<Integer> units = new ArrayList<>();

    @Option(names = "--categories", split = ",", paramLabel = "a,b",
            description = "Concepts from these categories only (default: every category of the dissection).")
    List<String> categories = new ArrayList<>();

    @Option(names = "--memory", defaultValue = "1g", paramLabel = "SIZE",
            description = "What the units' masks may take at once; units are explained in groups that fit, each "
                    + "reading the activation cache again; e.g. 512m, 4g (default: ${DEFAULT-VALUE}).")
    String memory;

    @Option(names = "--show", defaultValue = "10", paramLabel = "N",
            description = "Print the N units that gain most from a formula (default: ${DEFAULT-VALUE}).")
    int show;

    @Mixin
    ThreadsOption threads;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        Composition.Spec spec = new Composition.Spec(dissection, layer, length, beam,
                Units.zeroBased(units, "--units"), categories, threads.threads(),
                org.jdissect.io.Sizes.parse(memory, "--memory"));
        if (!DissectionOutput.isAt(dissection)) { // before the lock, which would make the folder
            throw new JdissectException("--dissection: no dissection in " + dissection + " (no activation cache "
                    + "there); run jdissect dissect --out " + dissection + " first");
        }
        Composition.Composed done;
        try (OutputLock lock = Locks.output(dissection, root)) {
            done = Composition.run(spec, output.progress(), root.invocation());
            ReportCommand.refresh(done.dir(), threads.threads(), output.quiet);
        }
        ComposeRecord r = done.record();
        List<ComposeRecord.Unit> gainers = r.byGain();
        long gaining = r.gaining();
        System.out.printf("%s: %d of %d units gain >= %.2f IoU from a formula (length <= %d, beam %d, %d concepts, "
                        + "%.1f s)%n", layer, gaining, r.units().size(), Composition.GAIN, length, beam,
                r.settings().concepts(), r.settings().seconds());
        for (ComposeRecord.Unit u : gainers.subList(0, Math.min(Math.max(0, show), gainers.size()))) {
            System.out.printf("  unit %4d  %-50s IoU %.3f  (%s %.3f, +%.3f)%n", u.unit(), u.formula().text(),
                    u.formula().iou(), u.single().text(), u.single().iou(), u.gain());
        }
        System.out.println("results in " + done.dir().resolve(ComposeRecord.CSV));
        return 0;
    }
}

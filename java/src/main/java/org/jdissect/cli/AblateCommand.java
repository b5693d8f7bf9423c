package org.jdissect.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import org.jdissect.JdissectException;
import org.jdissect.intervene.AblationSettings;
import org.jdissect.io.OutputLock;
import org.jdissect.intervene.ClassScores;
import org.jdissect.intervene.ClassifierIntervention;
import org.jdissect.intervene.ClassifierIntervention.Curve;
import org.jdissect.intervene.ClassifierIntervention.Part;
import org.jdissect.intervene.ClassifierIntervention.Replace;
import org.jdissect.intervene.CurveRecord;
import org.jdissect.intervene.LabelledImages;
import org.jdissect.intervene.RankRecord;
import org.jdissect.intervene.Rate;
import org.jdissect.intervene.UnitsRecord;
import org.jdissect.stats.Backend;

@Command(name = "ablate", mixinStandardHelpOptions = true,
        description = {"Switch units of a classifier's layer off and measure what the classifier loses. The model "
                + "is split at the layer; the head runs once per image, only the tail is re-run per ablation.",
                "Modes: units (ablate --units together: accuracy and balanced accuracy, overall and per class, and "
                        + "their change); rank (every unit ablated alone on the training part, units ranked per class "
                        + "by the drop of the class's balanced accuracy); curve (rank, then on the held-out part "
                        + "ablate each class's top-N units and, separately, all but its top-N: decision-sparsity "
                        + "curves).",
                "Every rate has a 95%% Wilson interval; a change is significant when the intervals are disjoint. "
                        + "Writes OUT/<mode>.csv and OUT/<mode>.json (curve also writes rank.*). When OUT is a "
                        + "dissection's output folder or lies in one (e.g. DISSECTION/interventions/NAME), that "
                        + "dissection's HTML report is rewritten with pages for the curves and rankings."})
final class AblateCommand implements Callable<Integer> {
    enum Mode { units, rank, curve }

    enum ReplaceWith { zero, mean }

    enum Split { all, train, val }

    @Option(names = "--model", required = true, paramLabel = "M.onnx", description = "The classifier (ONNX).")
    Path model;

    @Option(names = "--layer", required = true, paramLabel = "L", description = "The layer whose units are ablated.")
    String layer;

    @Mixin
    ClassifierData data;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "Output directory.")
    Path out;

    @Option(names = "--mode", required = true, paramLabel = "units|rank|curve",
            description = "units, rank or curve (see above).")
    Mode mode;

    @Option(names = "--units", split = ",", paramLabel = "u,v",
            description = "Units to ablate together (1-based), for --mode units.")
    List<Integer> units = List.of();

    @Option(names = "--split", paramLabel = "all|train|val", defaultValue = "all",
            description = "Images --mode units scores on (default: ${DEFAULT-VALUE}).")
    Split split;

    @Option(names = "--class", paramLabel = "NAME", description = "For --mode curve: one class (default: all).")
    String className;

    @Option(names = "--n", split = ",", paramLabel = "1,2,4",
            description = "For --mode curve: the numbers of top units (default: 1, 2, 4, ... and the unit count).")
    List<Integer> ns = List.of();

    @Option(names = "--replace", defaultValue = "zero", paramLabel = "zero|mean",
            description = "Ablated units are replaced by zero or by their mean over the images (default: ${DEFAULT-VALUE}).")
    ReplaceWith replace;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N", description = "Images per inference (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    ThreadsOption threads;

    @Mixin
    OutputOptions output;

    @Mixin
    InferenceOption inference;

    @ParentCommand
    JdissectCommand root;

    @Mixin
    PreprocessingOptions pre;

    @Mixin
    DeviceOption.Ablation device;

    @Override
    public Integer call() {
        if (mode == Mode.units && units.isEmpty()) {
            throw new JdissectException("--mode units needs --units u,v,... (1-based unit numbers)");
        }
        if (mode != Mode.units && !units.isEmpty()) {
            throw new JdissectException("--units is for --mode units; rank and curve try every unit");
        }
        if (className != null && mode != Mode.curve) {
            throw new JdissectException("--class is for --mode curve");
        }
        int nThreads = threads.threads();
        LabelledImages images = data.open();
        if (className != null && !images.classes().contains(className)) {
            throw new JdissectException("unknown class '" + className + "'; valid classes: "
                    + String.join(", ", images.classes()));
        }
        try (OutputLock lock = Locks.within(out, root)) {
            Replace r = replace == ReplaceWith.mean ? Replace.MEAN : Replace.ZERO;
            String replaceName = replace.name();
            try (Backend backend = device.open(nThreads);
                 ClassifierIntervention ci = ClassifierIntervention.open(model, layer, images, data.classes,
                         pre.preprocessing(model), batch, nThreads, backend, inference.inference(), output.progress(),
                         this::check)) {
                var provenance = ci.provenance(root.invocation());
                int cls = className == null ? -1 : ci.mapping().classNamed(className);
                switch (mode) {
                    case units -> {
                        int[] u = Units.zeroBased(units, "--units");
                        Part part = switch (split) {
                            case all -> Part.ALL;
                            case train -> Part.TRAIN;
                            case val -> Part.HELD_OUT;
                        };
                        var result = ci.units(u, part, r);
                        UnitsRecord.of(result, ci, AblationSettings.of(ci, "units", replaceName), provenance).write(out);
                        printUnits(ci, result.base(), result.ablated());
                    }
                    case rank -> {
                        var rank = ci.rank(r);
                        RankRecord.of(rank, ci, AblationSettings.of(ci, "rank", replaceName), provenance).write(out);
                        printRank(ci, rank);
                    }
                    case curve -> {
                        var rank = ci.rank(r);
                        RankRecord.of(rank, ci, AblationSettings.of(ci, "rank", replaceName), provenance).write(out);
                        List<Integer> list = ns.isEmpty() ? ClassifierIntervention.defaultNs(ci.layer().channels()) : ns;
                        var curves = ci.curve(rank, list, cls, r);
                        CurveRecord.of(curves, ci, AblationSettings.of(ci, "curve", replaceName), provenance)
                                .write(out);
                        printCurves(ci, curves);
                    }
                    default -> throw new IllegalStateException();
                }
                System.out.println("results in " + out);
            }
            ReportCommand.refresh(out, nThreads, output.quiet);
        }
        return 0;
    }

    /** Units and N within the layer, checked before any image is read. */
    private void check(org.jdissect.model.LayerInfo layer) {
        for (int u : units) {
            if (u < 1 || u > layer.channels()) {
                throw new JdissectException("--units: unit " + u + " is not a unit of layer '" + layer.name()
                        + "' (units 1.." + layer.channels() + ")");
            }
        }
        for (int n : ns) {
            if (n < 0 || n > layer.channels()) {
                throw new JdissectException("--n: " + n + " is outside 0.." + layer.channels() + " (the units of "
                        + "layer '" + layer.name() + "')");
            }
        }
    }

    private static String rate(Rate r) {
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", r.value(), r.lo(), r.hi());
    }

    private static void printUnits(ClassifierIntervention ci, ClassScores base, ClassScores ablated) {
        System.out.printf("%-20s %6s %-24s %-24s %7s%n", "class", "images", "balanced acc. before", "after", "change");
        System.out.printf("%-20s %6d %-24s %-24s %+7.3f%s%n", "(accuracy, all)", base.accuracy().n(),
                rate(base.accuracy()), rate(ablated.accuracy()), ablated.accuracy().value() - base.accuracy().value(),
                ablated.accuracy().differsFrom(base.accuracy()) ? " *" : "");
        List<String> names = ci.mapping().classes();
        for (int c = 0; c < names.size(); c++) {
            Rate b = base.classes().get(c).balancedAccuracy();
            Rate a = ablated.classes().get(c).balancedAccuracy();
            System.out.printf("%-20s %6d %-24s %-24s %+7.3f%s%n", names.get(c), base.classes().get(c).images(),
                    rate(b), rate(a), a.value() - b.value(), a.differsFrom(b) ? " *" : "");
        }
        System.out.println("* significant: the 95% intervals are disjoint");
    }

    private static void printRank(ClassifierIntervention ci, ClassifierIntervention.RankResult rank) {
        List<String> names = ci.mapping().classes();
        for (int c = 0; c < names.size(); c++) {
            StringBuilder line = new StringBuilder(String.format("%-20s top units:", names.get(c)));
            for (int k = 0; k < Math.min(8, rank.order()[c].length); k++) {
                int u = rank.order()[c][k];
                line.append(String.format(Locale.ROOT, " %d (%+.3f)", u + 1, -rank.drop(c, u)));
            }
            System.out.println(line);
        }
    }

    private static void printCurves(ClassifierIntervention ci, ClassifierIntervention.CurveResult curves) {
        for (Curve c : curves.curves()) {
            System.out.printf("%s (held out: balanced accuracy %s)%n", ci.mapping().classes().get(c.cls()),
                    rate(c.baseBalancedAccuracy()));
            System.out.printf("  %5s  %-26s %-26s%n", "N", "top-N removed", "all but top-N removed");
            for (int k = 0; k < c.removed().size(); k++) {
                var rm = c.removed().get(k);
                var kp = c.kept().get(k);
                System.out.printf("  %5d  %-26s %-26s%n", rm.n(), rate(rm.balancedAccuracy()) + (rm.significant() ? " *" : ""),
                        rate(kp.balancedAccuracy()) + (kp.significant() ? " *" : ""));
            }
        }
    }

}

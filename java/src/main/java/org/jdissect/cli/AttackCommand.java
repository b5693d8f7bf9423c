package org.jdissect.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import org.jdissect.attack.Attack;
import org.jdissect.attack.AttackRecord;
import org.jdissect.io.OutputLock;
import org.jdissect.stats.Backend;

@Command(name = "attack", mixinStandardHelpOptions = true,
        description = {"Attack a classifier and see in concepts what the attack changed: images of class --from are "
                + "attacked (Square Attack: black box, model outputs only, an L-infinity budget in the image's 0..255 "
                + "pixels) towards class --to or any other class; each adversarial image is saved as PNG and scored "
                + "again from the file.",
                "Then the layer's units are compared on the clean and the adversarial images: the units that fell and "
                        + "rose most (with their concepts from --dissection), and the source class's and the reached "
                        + "class's top units (from --ranking, a folder of ablate --mode rank; computed into "
                        + "OUT/ranking when not given) against all other units, with paired tests. Finally the "
                        + "successful attacks are re-run with the source's top units held at their clean values, a "
                        + "control of as many random units, and the most-raised units ablated: how many attacks fail "
                        + "then.",
                "Writes OUT/attack.json, attack.csv (per image), units.csv (per unit), activations.csv (per image and "
                        + "unit) and OUT/images/NNNN.png (with NNNN-clean.png beside it). An "
                        + "interrupted run resumes: finished attacks in OUT/images are kept when the settings match. "
                        + "When OUT lies in a dissection's folder (e.g. DISSECTION/attacks/NAME) its report gets a "
                        + "page for the attack."})
final class AttackCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "M.onnx", description = "The classifier (ONNX).")
    Path model;

    @Option(names = "--layer", required = true, paramLabel = "L", description = "The layer whose units are watched.")
    String layer;

    @Mixin
    ClassifierData data;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "Output directory.")
    Path out;

    @Option(names = "--from", required = true, paramLabel = "CLASS",
            description = "The class whose images are attacked.")
    String from;

    @Option(names = "--to", defaultValue = "any", paramLabel = "CLASS|any",
            description = "The class to reach, or any class but --from (default: ${DEFAULT-VALUE}).")
    String to;

    @Option(names = "--epsilon", defaultValue = "8/255", paramLabel = "E",
            description = "L-infinity budget as a fraction of 255, e.g. 8/255 or 0.03; whole 8-bit levels inside it "
                    + "are used (default: ${DEFAULT-VALUE}).")
    String epsilon;

    @Option(names = "--queries", defaultValue = "1000", paramLabel = "N",
            description = "Most model outputs asked per image (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--images", defaultValue = "50", paramLabel = "K",
            description = "Correctly classified images of --from to attack, held-out images first "
                    + "(default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
            description = "Seed of the attack (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--top", defaultValue = "8", paramLabel = "N",
            description = "How many of a class's ranked units are its top units (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--dissection", paramLabel = "OUT",
            description = "The --out of a dissection of this model's layer: its concepts label the units.")
    Path dissection;

    @Option(names = "--ranking", paramLabel = "DIR",
            description = "A folder with rank.json of jdissect ablate --mode rank on this model and layer.")
    Path ranking;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N",
            description = "Images per inference (default: ${DEFAULT-VALUE}).")
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
        int n = threads.threads();
        Attack.Settings settings = new Attack.Settings(model, layer, data.data, data.category, data.skipBad,
                data.classes, from, to, Attack.parseEpsilon(epsilon), queries, images, seed, top, ranking, dissection,
                pre.preprocessing(model), batch, n, inference.inference());
        AttackRecord r;
        try (OutputLock lock = Locks.within(out, root); Backend backend = device.open(n)) {
            r = Attack.run(settings, out, backend, output.progress(), root.invocation());
        }
        print(r);
        System.out.println("results in " + out);
        ReportCommand.refresh(out, n, output.quiet);
        return 0;
    }

    private static void print(AttackRecord r) {
        AttackRecord.Summary s = r.summary();
        AttackRecord.Settings t = r.settings();
        System.out.printf(Locale.ROOT, "%s -> %s, epsilon %d/255: %d of %d attacks succeed (%.1f%% [%.1f, %.1f]), "
                        + "median %.0f queries; %d images skipped (already misclassified)%n", t.from(), t.to(),
                t.epsilonLevels(), s.succeeded(), s.attacked(), 100 * s.successRate(), 100 * s.successLo(),
                100 * s.successHi(), s.medianQueries(), s.misclassified());
        if (s.queriesThisRun() == s.queries()) {
            System.out.printf(Locale.ROOT, "%d queries in %.1f s: %.0f queries/s%n", s.queries(), s.seconds(),
                    s.queriesPerSecond());
        } else {
            System.out.printf(Locale.ROOT, "%d queries in all, %d of them in this run (the other attacks were found "
                    + "finished in OUT)%n", s.queries(), s.queriesThisRun());
        }
        AttackRecord.Groups g = r.groups();
        if (g.attacks() > 0) {
            System.out.printf(Locale.ROOT, "mean change per successful attack: source's top %d units %+.4f, "
                            + "reached class's top %d %+.4f, all other units %+.4f%n", t.top(), g.sourceChange(),
                    t.top(), g.targetChange(), g.restChange());
            if (g.attacks() < 2) {
                System.out.println("  (one successful attack: too few for a paired test)");
            } else {
                System.out.printf(Locale.ROOT, "  source vs rest: %+.4f (paired t p = %.3g, Wilcoxon p = %.3g); "
                                + "reached vs rest: %+.4f (p = %.3g, %.3g)%n", g.sourceVsRest().meanDifference(),
                        g.sourceVsRest().pT(), g.sourceVsRest().pWilcoxon(), g.targetVsRest().meanDifference(),
                        g.targetVsRest().pT(), g.targetVsRest().pWilcoxon());
            }
        }
        if (g.attacks() == 0) {
            System.out.println("no successful attack: no unit changes to report (a larger --epsilon or more "
                    + "--queries may succeed)");
            return;
        }
        int shown = Math.min(5, r.units().size());
        System.out.println("units that fell most:");
        for (int i = 0; i < shown; i++) {
            unit(r.units().get(i), t.top());
        }
        System.out.println("units that rose most:");
        for (int i = r.units().size() - 1; i >= r.units().size() - shown; i--) {
            unit(r.units().get(i), t.top());
        }
        for (AttackRecord.Defence d : r.defences()) {
            System.out.printf(Locale.ROOT, "defence %s: %d of %d successful attacks undone (%d back to %s)%n",
                    d.name(), d.undone(), d.attacks(), d.toSource(), t.from());
        }
    }

    private static void unit(AttackRecord.UnitChange u, int top) {
        System.out.printf(Locale.ROOT, "  unit %4d  %-22s %+.4f (max %+.4f)%s%s%n", u.unit(),
                u.label() == null ? "" : u.label() + " (" + u.category() + ")", u.change(), u.maxChange(),
                u.sourceRank() != null && u.sourceRank() <= top ? "  source rank " + u.sourceRank() : "",
                u.targetRank() != null && u.targetRank() <= top ? "  target rank " + u.targetRank() : "");
    }
}

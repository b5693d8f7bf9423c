package org.jdissect.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import org.jdissect.intervene.Explanation;
import org.jdissect.io.OutputLock;
import org.jdissect.stats.Backend;

@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Explain one decision in concepts: the predicted class, the units of the layer that fire on "
                + "the image (their map's maximum exceeds their dissection threshold), their concept labels from a "
                + "dissection's report.json, and what ablating each (to zero) does to the prediction.",
                "The image is prepared as the dissection recorded (the units' thresholds were found so), a token "
                        + "layer read as it recorded (--tokens); --size, --channels, --scale, --mean, --std and "
                        + "--tokens override that field by field. A dissection of another "
                        + "model (its recorded sha256 differs) is refused.",
                "With --out in the dissection's OUT the explanation also gets a page in its HTML report."})
final class ExplainCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "M.onnx", description = "The classifier (ONNX).")
    Path model;

    @Option(names = "--layer", required = true, paramLabel = "L", description = "A dissected layer.")
    String layer;

    @Option(names = "--image", required = true, paramLabel = "IMG", description = "The image (PNG, JPEG).")
    Path image;

    @Option(names = "--dissection", required = true, paramLabel = "OUT",
            description = "The --out of a jdissect dissect run that includes the layer.")
    Path dissection;

    @Option(names = "--classes", paramLabel = "FILE", description = "Output names: lines class,index.")
    Path classes;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Also write explain.json and explain.csv here; in a dissection's OUT (e.g. OUT/explain/NAME) "
                    + "the explanation gets a page in its report, which is rewritten.")
    Path out;

    @Mixin
    ThreadsOption threads;

    @Mixin
    InferenceOption inference;

    @Mixin
    OutputOptions output;

    @ParentCommand
    JdissectCommand root;

    @Mixin
    PreprocessingOptions pre;

    @Mixin
    DeviceOption.Ablation device;

    @Override
    public Integer call() {
        int n = threads.threads();
        // only a run that writes holds a lock: one that prints alone may run beside anything
        try (OutputLock lock = out == null ? null : Locks.within(out, root)) {
            explain(n);
        }
        return 0;
    }

    private void explain(int n) {
        Explanation e;
        try (Backend backend = device.open(n)) {
            e = Explanation.explain(model, layer, image, dissection, classes, pre::over, n, backend,
                    inference.inference(), root.invocation());
        }
        System.out.printf(Locale.ROOT, "%s: predicted %s (p = %.3f)%n", image, e.predictedName(), e.probability());
        System.out.printf("%d units of %s fire:%n", e.units().size(), layer);
        table(e, e.units());
        System.out.printf(Locale.ROOT, "all firing units ablated: predicted %s (p of %s = %.3f)%n", e.withoutAllName(),
                e.predictedName(), e.withoutAllProbability());
        System.out.printf("the decision rests most on (each unit of %s ablated alone, firing or not):%n", layer);
        if (e.decisive().isEmpty()) {
            System.out.println("  no unit alone lowers the probability of " + e.predictedName());
        } else {
            table(e, e.decisive());
        }
        if (out != null) {
            e.write(out);
            System.out.println("written to " + out);
            ReportCommand.refresh(out, n, output.quiet);
        }
    }

    private static void table(Explanation e, List<Explanation.UnitEffect> units) {
        System.out.printf("  %5s  %-20s %-10s %6s  %-5s  %8s  %s%n", "unit", "concept", "category", "IoU", "fires",
                "p after", "prediction after");
        for (Explanation.UnitEffect f : units) {
            System.out.printf(Locale.ROOT, "  %5d  %-20s %-10s %6.3f  %-5s  %8.3f  %s%n", f.unit(),
                    f.label() + (f.interpretable() ? "" : " (weak)"), f.category(), f.iou(), f.fires() ? "yes" : "no",
                    f.probability(), f.predicted() == e.predicted() ? "unchanged" : f.predictedName());
        }
    }
}

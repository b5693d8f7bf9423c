package org.jdissect.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

import org.jdissect.intervene.LabelledImages;

/** The options of commands that score a classifier on labelled images (ablate, attack): the data and its classes. */
final class ClassifierData {
    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "A Broden dataset (classes from an image-level category, see --category) or an image "
                    + "folder DIR/<class>/<image> (or DIR/train/<class>, DIR/val/<class>).")
    Path data;

    @Option(names = "--classes", paramLabel = "FILE",
            description = "Class-to-output mapping, lines class,index (0-based). Default: the classes sorted by "
                    + "name are outputs 0, 1, 2, ...")
    Path classes;

    @Option(names = "--category", defaultValue = "scene", paramLabel = "CAT",
            description = "Broden image-level category giving the classes (default: ${DEFAULT-VALUE}).")
    String category;

    @Option(names = "--skip-bad", description = "Skip malformed index rows of a Broden dataset.")
    boolean skipBad;

    LabelledImages open() {
        return LabelledImages.open(data, category, skipBad);
    }
}

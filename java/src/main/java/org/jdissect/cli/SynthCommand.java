package org.jdissect.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.jdissect.JdissectException;
import org.jdissect.data.BrodenWriter;
import org.jdissect.io.ProgressListener;
import org.jdissect.world.SceneWorld;

@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Write a SceneWorld dataset in Broden format: seeded procedural scenes (11 scene classes) "
                + "with exact per-pixel object, part, material, colour and texture labels.",
                "Images are JPEG, label maps PNG at half the image size; every fifth image is in the val split. "
                        + "The same seed, size and count give the same bytes."})
final class SynthCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (must not exist "
            + "or be empty, unless --force).")
    Path out;

    @Option(names = "--images", required = true, paramLabel = "N", description = "Number of images.")
    int images;

    @Option(names = "--size", defaultValue = "128", paramLabel = "PX",
            description = "Image size in pixels, even (default: ${DEFAULT-VALUE}); label maps are half of it.")
    int size;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--world-version", defaultValue = "2", paramLabel = "V",
            description = "Version of the world's generator (default: ${DEFAULT-VALUE}, the latest): 1 draws the "
                    + "world the demo models were trained on (colours and textures tied to kinds of things), 2 "
                    + "spreads colours and textures over many kinds of things.")
    int version;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--force", description = "Replace an existing dataset that jdissect wrote (never any other "
            + "folder).")
    boolean force;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(out)) {
            try (var entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    if (!force) {
                        throw new JdissectException("output directory " + out + " exists and is not empty; "
                                + "choose another or add --force to replace a dataset jdissect wrote");
                    }
                    if (!BrodenWriter.wroteIt(out)) {
                        throw new JdissectException("refusing to replace " + out + ": it is not a dataset written "
                                + "by jdissect (it has no " + BrodenWriter.MARKER + " file); choose another folder, "
                                + "or remove it yourself");
                    }
                }
            }
        } else if (Files.exists(out)) {
            throw new JdissectException("output " + out + " exists and is not a directory");
        }
        long start = System.nanoTime();
        ProgressListener progress = output.progress();
        try (ProgressListener.Tracker t = progress.begin("synth", images)) {
            SceneWorld.write(out, images, size, seed, version, threads.threads(), force, t);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("wrote %d SceneWorld images (%dx%d, labels %dx%d, seed %d, world version %d) to %s in %.1f s "
                + "(%.0f images/s)%n", images, size, size, size / 2, size / 2, seed, version, out, seconds,
                images / seconds);
        return 0;
    }
}

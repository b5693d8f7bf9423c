package org.jdissect.bench;

import java.nio.file.Path;
import java.util.List;

import org.jdissect.dissect.Dissection;
import org.jdissect.dissect.DissectionResult;
import org.jdissect.model.Preprocessing;

/**
 * A dissection as a library user runs it: the {@code Dissection} builder in a JVM the user started, with the JVM's
 * defaults, and nothing of the command line (no launcher, no report). bench/library-run.sh times it beside the
 * command line on the same workload.
 * Usage: LibraryRun MODEL DATA LAYER SIZE OUT
 */
public final class LibraryRun {
    private LibraryRun() {
    }

    public static void main(String[] args) {
        int size = Integer.parseInt(args[3]);
        Preprocessing pre = new Preprocessing(size, size, Preprocessing.ChannelOrder.RGB, 255f, new float[3],
                new float[] {1, 1, 1});
        long t0 = System.nanoTime();
        DissectionResult r = Dissection.builder().model(Path.of(args[0])).data(Path.of(args[1]))
                .layers(List.of(args[2])).preprocessing(pre).out(Path.of(args[4])).fresh(true).run();
        System.out.printf("library: %d images, %d units, %.2f s in the dissection%n", r.rows().size(),
                r.layers().get(0).layer().channels(), (System.nanoTime() - t0) / 1e9);
    }
}

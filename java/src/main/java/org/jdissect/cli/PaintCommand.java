package org.jdissect.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import org.jdissect.JdissectException;
import org.jdissect.paint.PaintServer;
import org.jdissect.paint.Painter;
import org.jdissect.stats.Backend;
import org.jdissect.stats.CpuBackend;

@Command(name = "paint", mixinStandardHelpOptions = true,
        description = {"Paint with a generator's units: a local web editor (served from the jar, nothing fetched) in "
                + "which a brush stroke removes or adds a concept's units where it is drawn, the picture updating "
                + "as you paint. Edits are x = x * (1 - a) + r * a at the stroke's feature locations, as gan-edit's.",
                "Prints the editor's URL and serves until Ctrl-C. Bound to 127.0.0.1 unless --host says otherwise; "
                        + "requests from other origins are refused. The API the page uses (also for scripts): "
                        + "README, \"Painting with units\". An exported recipe replays with gan-edit --recipe."})
final class PaintCommand implements Callable<Integer> {
    @ParentCommand
    JdissectCommand root;

    @Mixin
    GanOptions gan;

    @Option(names = "--dissection", required = true, paramLabel = "DIR",
            description = "A gan-dissect output of this generator and layer: its concepts are the brushes, its "
                    + "activations give the values units are added with.")
    Path dissection;

    @Mixin
    SegmenterOptions seg;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "H",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every "
                    + "interface, where the editor answers to any of the machine's IP addresses).")
    String host;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "P",
            description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--workers", paramLabel = "N",
            description = "Pictures rendered at once (default: the threads, at most 4).")
    Integer workers;

    @Mixin
    ThreadsOption threads;

    @Mixin
    InferenceOption inference;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new JdissectException("--port must be 0..65535, got " + port);
        }
        if ((seg.segmenter == null) != (seg.labels == null)) {
            throw new JdissectException("--segmenter and --seg-labels go together");
        }
        int n = workers != null ? workers : Math.min(4, threads.threads());
        float[] range = gan.range();
        Painter painter;
        try (Backend backend = new CpuBackend(threads.threads())) {
            // the segmenter's input is the generated image's size unless --seg-size says otherwise
            Painter.SegmenterSpec segSpec = seg.segmenter == null ? null
                    : new Painter.SegmenterSpec(seg.segmenter, seg.labels, seg::preprocessing);
            painter = Painter.open(gan.generator, gan.layer, gan.seed, range[0], range[1], dissection, segSpec, n,
                    backend, inference.inference());
        }
        PaintServer server;
        try {
            server = PaintServer.start(painter, host, port, 2 * n);
        } catch (RuntimeException e) {
            painter.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            painter.close();
            stopped.countDown();
        }, "paint-stop"));
        var info = painter.info();
        System.out.printf("paint: %s (layer %s, %d units, %d concepts; Ctrl-C stops)%n", server.url(), info.layer(),
                info.units(), info.concepts().size());
        System.out.flush();
        stopped.await();
        return 0;
    }

}

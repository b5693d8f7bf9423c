package org.jdissect.dissect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jdissect.demo.ColourWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jdissect's tally.csv against an independent tally in NetDissect-Lite's style (bench/peer/netdissect_tally.py:
 * PIL's bilinear resize, numpy's bincount, NetDissect-Lite's IoU and CSV writing), given the same activations and
 * thresholds: the files must agree line by line. Needs python3 with numpy and PIL (CI installs them).
 */
class NetDissectCompatibilityTest {
    @TempDir
    Path tmp;

    @Test
    void tallyCsvAgreesLineByLine() throws Exception {
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        assumeTrue(run(List.of(python, "-c", "import numpy, PIL"), tmp.resolve("probe.txt")) == 0,
                "python3 with numpy and PIL is not installed: the NetDissect-style reference cannot run");
        Path script = Path.of("..", "bench", "peer", "netdissect_tally.py").toAbsolutePath().normalize();
        assertThat(script).exists();

        Path data = ColourWorld.writeDataset(tmp.resolve("world"), 40, 3);
        Path model = ColourWorld.writeModel(tmp.resolve("m.onnx"));
        Path out = tmp.resolve("out");
        DissectionResult result = Dissection.builder().model(model).data(data).out(out)
                .layers(List.of("pool", "detect_relu")).preprocessing(DissectionTest.PRE).quantile(0.02).run();
        for (LayerResult layer : result.layers()) {
            String dir = layer.directory().getFileName().toString();
            Path reference = tmp.resolve(dir + "-reference.csv");
            int code = run(List.of(python, script.toString(), data.toString(), out.toString(), dir, dir + ".f16",
                    Integer.toString(layer.layer().channels()), Integer.toString(layer.layer().height()),
                    Integer.toString(layer.layer().width()), reference.toString()), tmp.resolve(dir + ".log"));
            assertThat(code).as(Files.readString(tmp.resolve(dir + ".log"))).isZero();
            assertThat(Files.readAllLines(layer.directory().resolve("tally.csv")))
                    .as(dir).containsExactlyElementsOf(Files.readAllLines(reference));
        }
    }

    private static int run(List<String> command, Path log) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}

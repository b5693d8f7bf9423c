package org.jdissect.dissect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jdissect.PythonPeer;
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
        String python = PythonPeer.python(tmp.resolve("probe.txt"));
        Path script = PythonPeer.script("netdissect_tally.py");
        assertThat(script).exists();

        Path data = ColourWorld.writeDataset(tmp.resolve("world"), 40, 3);
        Path model = ColourWorld.writeModel(tmp.resolve("m.onnx"));
        Path out = tmp.resolve("out");
        DissectionResult result = Dissection.builder().model(model).data(data).out(out)
                .layers(List.of("pool", "detect_relu")).preprocessing(DissectionTest.PRE).quantile(0.02).run();
        for (LayerResult layer : result.layers()) {
            String dir = layer.directory().getFileName().toString();
            Path reference = tmp.resolve(dir + "-reference.csv");
            int code = PythonPeer.run(List.of(python, script.toString(), data.toString(), out.toString(), dir, dir + ".f16",
                    Integer.toString(layer.layer().channels()), Integer.toString(layer.layer().height()),
                    Integer.toString(layer.layer().width()), reference.toString()), tmp.resolve(dir + ".log"));
            assertThat(code).as(Files.readString(tmp.resolve(dir + ".log"))).isZero();
            assertThat(Files.readAllLines(layer.directory().resolve("tally.csv")))
                    .as(dir).containsExactlyElementsOf(Files.readAllLines(reference));
        }
    }
}

package org.jdissect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.jdissect.cuda.Devices;
import org.jdissect.demo.ColourWorld;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dissect --device}: the fall-back line of auto, the error of cuda without a GPU, bad values; and
 * {@code --inference}, where the model runs.
 */
class DeviceOptionTest {
    @TempDir
    static Path tmp;

    static Path data;
    static Path model;

    @BeforeAll
    static void world() {
        data = ColourWorld.writeDataset(tmp.resolve("world"), 12, 7);
        model = ColourWorld.writeModel(tmp.resolve("colour.onnx"));
    }

    static String[] dissect(String out, String device) {
        return new String[] {"dissect", "--model", model.toString(), "--data", data.toString(), "--out",
                tmp.resolve(out).toString(), "--size", "32", "--mean", "0", "--std", "1", "--quantile", "0.02", "-q",
                "--layer", "pool", "--device", device};
    }

    static String[] withInference(String[] args, String where) {
        String[] with = java.util.Arrays.copyOf(args, args.length + 2);
        with[args.length] = "--inference";
        with[args.length + 1] = where;
        return with;
    }

    @Test
    void cudaWithoutAGpuFailsWithOneLine() {
        String problem = Devices.cudaProblem();
        Assumptions.assumeTrue(problem != null, "a GPU is usable here");
        CliTest.Run r = CliTest.run(dissect("cuda", "cuda"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--device cuda: no usable GPU: " + problem).doesNotContain("\tat ");
    }

    @Test
    void autoRunsOnTheCpuAndSaysWhyOnce() {
        String problem = Devices.cudaProblem();
        Assumptions.assumeTrue(problem != null, "a GPU is usable here");
        CliTest.Run r = CliTest.run(dissect("auto", "auto"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err().lines().filter(l -> l.contains("no usable GPU"))).hasSize(1);
    }

    @Test
    void cpuSaysNothingAboutGpus() {
        CliTest.Run r = CliTest.run(dissect("cpu", "cpu"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("GPU");
    }

    @Test
    void unknownDeviceIsBadUsage() {
        CliTest.Run r = CliTest.run(dissect("tpu", "tpu"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--device must be auto, cpu or cuda, got 'tpu'");
    }

    @Test
    void inferenceOnCudaWithoutTheGpuBuildSaysWhatItNeeds() {
        Assumptions.assumeFalse(ai.onnxruntime.OrtEnvironment.getAvailableProviders()
                .contains(ai.onnxruntime.OrtProvider.CUDA), "this ONNX Runtime build has the CUDA provider (-Pgpu)");
        CliTest.Run r = CliTest.run(withInference(dissect("inference-cuda", "cpu"), "cuda"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--inference cuda: ONNX Runtime cannot run on the GPU", "mvn -Pgpu package")
                .doesNotContain("\tat ");
    }

    @Test
    void unknownInferenceIsBadUsage() {
        CliTest.Run r = CliTest.run(withInference(dissect("inference-tpu", "cpu"), "tpu"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--inference must be cpu or cuda, got 'tpu'");
    }
}

package org.jdissect.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.util.List;

import org.jdissect.JdissectException;
import org.jdissect.io.LogCapture;
import org.jdissect.stats.Backend;
import org.jdissect.stats.CpuBackend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Device selection and the native library's presence: these run on every machine, GPU or not. */
class DevicesTest {
    private static final String JNI = "org/jdissect/cuda/linux-x86_64/libjniCudaLib.so";

    private static boolean libraryBuilt() {
        URL url = DevicesTest.class.getClassLoader().getResource(JNI);
        return url != null;
    }

    @Test
    void cpuIsTheCpuBackend() {
        try (LogCapture log = LogCapture.start(); Backend b = Devices.open("cpu", 2)) {
            assertThat(b).isInstanceOf(CpuBackend.class);
            assertThat(b.name()).isEqualTo("cpu (2 threads)");
            assertThat(log.lines()).isEmpty();
        }
    }

    @Test
    void autoFallsBackToTheCpuWithOneLineSayingWhy() {
        String problem = Devices.cudaProblem();
        Assumptions.assumeTrue(problem != null, "a GPU is usable here: the fall-back is not taken");
        List<String> lines;
        try (LogCapture log = LogCapture.start(); Backend b = Devices.open("auto", 2)) {
            assertThat(b).isInstanceOf(CpuBackend.class);
            lines = log.lines();
        }
        // one short line; the reason only in the details (-v)
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("INFO statistics on the CPU (2 threads): no usable GPU (-v says why)");
        assertThat(lines.get(1)).startsWith("FINE no usable GPU: ").contains(problem).doesNotContain("\n");
        if (libraryBuilt()) {
            // The library is in this build, so the reason is the machine's: no driver (or no device).
            assertThat(problem).containsAnyOf("no CUDA driver (libcuda.so.1 not found", "no CUDA device");
        } else {
            assertThat(problem).startsWith("the CUDA library is not in this build");
        }
    }

    @Test
    void cudaWithoutAGpuIsAClearError() {
        String problem = Devices.cudaProblem();
        Assumptions.assumeTrue(problem != null, "a GPU is usable here");
        assertThatThrownBy(() -> Devices.open("cuda", 2))
                .isInstanceOf(JdissectException.class)
                .hasMessageStartingWith("--device cuda: no usable GPU: " + problem)
                .hasMessageContaining("use --device auto or cpu");
    }

    @Test
    void unknownDeviceIsBadUsage() {
        assertThatThrownBy(() -> Devices.open("tpu", 2))
                .isInstanceOfSatisfying(JdissectException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessage("--device must be auto, cpu or cuda, got 'tpu'");
    }

    @Test
    void theJavaCppBridgeLoadsWhereItWasBuiltAndTheCallsReportNoDriver() {
        Assumptions.assumeTrue(libraryBuilt(), "the native library is not in this build (no nvcc here)");
        assertThat(NativeCuda.loadProblem()).isNull();
        byte[] err = NativeCuda.errBuffer();
        int[] api = new int[1];
        int[] runtime = new int[1];
        assertThat(CudaLib.jd_version(api, runtime, err, err.length)).isEqualTo(CudaLib.JD_OK);
        assertThat(api[0]).isEqualTo(NativeCuda.API_VERSION).isEqualTo(3);
        assertThat(runtime[0]).isGreaterThanOrEqualTo(12000);
        assertThat(CudaLib.jd_status_name(CudaLib.JD_ERR_OUT_OF_MEMORY)).isEqualTo("JD_ERR_OUT_OF_MEMORY");
        // Argument errors come back as statuses, before any driver is needed (on every machine).
        float[] x = new float[4];
        int status = CudaLib.jd_ablate(null, x, 1, 2, 2, new float[3], 3, new float[2], err, err.length);
        assertThat(status).isEqualTo(CudaLib.JD_ERR_INVALID_ARGUMENT);
        assertThat(NativeCuda.message(err)).contains("alpha needs 2 (per unit) or 4 (per unit and location)");
        int[] count = {-1};
        status = CudaLib.jd_device_count(count, err, err.length);
        if (status == CudaLib.JD_OK) {
            // a GPU machine: a device is counted, and a context opens on it and closes (CudaBackendTest does the rest)
            assertThat(count[0]).isPositive();
            CudaLib.Context ctx = new CudaLib.Context();
            assertThat(CudaLib.jd_context_create(0, ctx, err, err.length)).as(NativeCuda.message(err))
                    .isEqualTo(CudaLib.JD_OK);
            assertThat(ctx.isNull()).isFalse();
            assertThat(CudaLib.jd_context_destroy(ctx, err, err.length)).isEqualTo(CudaLib.JD_OK);
            return;
        }
        assertThat(status).isIn(CudaLib.JD_ERR_NO_DRIVER, CudaLib.JD_ERR_NO_DEVICE);
        assertThat(count[0]).isZero();
        assertThat(NativeCuda.message(err)).startsWith("jd_device_count: ");
        // An output context stays null, and the status becomes an exception with the C message.
        CudaLib.Context ctx = new CudaLib.Context();
        status = CudaLib.jd_context_create(0, ctx, err, err.length);
        assertThat(status).isEqualTo(CudaLib.JD_ERR_NO_DRIVER);
        assertThat(ctx.isNull()).isTrue();
        byte[] err2 = err;
        int s = status;
        assertThatThrownBy(() -> NativeCuda.check(s, err2)).isInstanceOf(JdissectException.class)
                .hasMessageContaining("jd_context_create: no CUDA driver");
    }

    @Test
    void withoutTheLibraryTheReasonSaysSo() {
        Assumptions.assumeFalse(libraryBuilt(), "the native library is in this build");
        assertThat(NativeCuda.loadProblem()).startsWith("the CUDA library is not in this build");
    }
}

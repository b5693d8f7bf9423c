package org.jdissect.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.jdissect.stats.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every CUDA operation against the CPU backend (CrossCheck's cases: random and structured inputs, ties at the
 * threshold, empty categories, odd map sizes, label sizes per image, chunks split on the device). Skipped, with the
 * reason, where no GPU is usable.
 */
class CudaBackendTest {
    private static CudaBackend cuda;
    private static CpuBackend cpu;

    private static final String PROBLEM = Devices.cudaProblem();

    /** Each test is reported as skipped, with the reason, where no GPU is usable. */
    @BeforeEach
    void open() {
        Assumptions.assumeTrue(PROBLEM == null, "no GPU for the CUDA-versus-CPU tests: " + PROBLEM);
        if (cuda == null) {
            cuda = CudaBackend.open(0, 3);
            cpu = new CpuBackend(3);
        }
    }

    @AfterAll
    static void close() {
        if (cuda != null) {
            cuda.close();
        }
        if (cpu != null) {
            cpu.close();
        }
    }

    @Test
    void everyOperationIdenticalToTheCpuBackend() {
        StringBuilder log = new StringBuilder();
        List<CrossCheck.Result> results = CrossCheck.all(cuda, cpu, line -> log.append(line).append('\n'));
        assertThat(results).isNotEmpty();
        assertThat(results).as(log.toString()).allMatch(CrossCheck.Result::ok);
    }

    @Test
    void nameSaysTheDevice() {
        assertThat(cuda.name()).startsWith("cuda (").contains("sm_");
    }

    @Test
    void closedBackendRefusesWork() {
        CudaBackend b = CudaBackend.open(0, 1);
        b.close();
        b.close(); // twice is fine
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.ablate(new float[1], 1, 1, 1, new float[1],
                new float[1])).hasMessageContaining("closed");
    }
}

package org.jdissect.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import org.jdissect.io.Progress;
import org.jdissect.stats.BruteForceTally;
import org.jdissect.stats.CpuBackend;
import org.jdissect.stats.TallyCounts;
import org.jdissect.stats.Upsampling;
import org.junit.jupiter.api.Test;

/**
 * CrossCheck's inputs for PIL's corners hold what the case is named for (3-tap axes, infinities, masks that are
 * neither empty nor full), and its reference side, the CPU backend, equals brute force on them: on a GPU machine the
 * kernel is then compared with a right answer.
 */
class CrossCheckCaseTest {
    @Test
    void pilCaseHasThreeTapAxesInfinitiesAndTheCpuAgreesWithBruteForce() {
        CrossCheck.PilCase c = CrossCheck.pilCase(24);
        assertThat(Upsampling.axis(3, 47).maxTaps()).isEqualTo(3);
        assertThat(Upsampling.axis(7, 55).maxTaps()).isEqualTo(3);
        boolean inf = false;
        for (short v : c.acts().values()) {
            inf |= (v & 0x7fff) == 0x7c00;
        }
        assertThat(inf).as("an infinity in the maps").isTrue();
        TallyCounts want = BruteForceTally.tally(c.acts(), c.thresholds(), c.labels());
        TallyCounts got;
        try (CpuBackend cpu = new CpuBackend(2)) {
            got = cpu.tally(c.acts(), c.thresholds(), c.labels(), Progress.NONE);
        }
        assertThat(got.intersection()).isEqualTo(want.intersection());
        assertThat(got.activation()).isEqualTo(want.activation());
        assertThat(got.maskPixels()).isEqualTo(want.maskPixels());
        assertThat(java.util.Arrays.stream(got.maskPixels()).filter(m -> m > 0).count()).isGreaterThan(5);
    }
}

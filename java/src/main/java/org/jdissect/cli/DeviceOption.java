package org.jdissect.cli;

import picocli.CommandLine.Option;

import org.jdissect.cuda.Devices;
import org.jdissect.stats.Backend;

/** --device for the commands that compute dissection statistics (quantiles, top-k, the tally): auto by default. */
final class DeviceOption {
    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda",
            description = "Where the statistics run (default: ${DEFAULT-VALUE}): auto uses a CUDA GPU when the "
                    + "library, a driver and a device are there and otherwise the CPU, saying why in one line; "
                    + "cuda without a usable GPU is an error. Where the models run is --inference.")
    String device;

    Backend open(int threads) {
        return open(device, threads);
    }

    /** The backend, with {@code threads} host threads; a fall-back to the CPU is said on stderr. */
    static Backend open(String device, int threads) {
        return Devices.open(device, Math.max(1, threads));
    }

    /**
     * --device for the intervention commands: cpu by default. Their activations come from model inference on the
     * CPU and go back to it, so the masked ablation (one fused multiply-add per value) is cheaper on the CPU than a
     * round trip to the GPU: on an H100 machine (16 cores) ranking 128 units took 8.9 s with CPU ablations and 19.1 s
     * with CUDA ones.
     */
    static final class Ablation {
        @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|cuda|auto",
                description = "Where the ablations (and any statistics) run (default: ${DEFAULT-VALUE}; the model "
                        + "runs on the CPU, so a GPU round trip per ablation costs more than it saves); cuda uses "
                        + "the CUDA masked-ablation kernel and is an error without a usable GPU.")
        String device;

        Backend open(int threads) {
            return DeviceOption.open(device, threads);
        }
    }
}

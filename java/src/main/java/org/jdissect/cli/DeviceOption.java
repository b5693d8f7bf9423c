package org.jdissect.cli;

import picocli.CommandLine.Option;

import org.jdissect.cuda.Devices;
import org.jdissect.stats.Backend;

/** --device, shared by every command that computes statistics or ablations: where the Backend runs. */
final class DeviceOption {
    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda",
            description = "Where the statistics and ablations run (default: ${DEFAULT-VALUE}): auto uses a CUDA GPU "
                    + "when the library, a driver and a device are there and otherwise the CPU, saying why in one "
                    + "line; cuda without a usable GPU is an error. Model inference runs on the CPU either way.")
    String device;

    /** The backend, with {@code threads} host threads; a fall-back to the CPU is said on stderr. */
    Backend open(int threads) {
        return Devices.open(device, Math.max(1, threads), line -> System.err.println(line));
    }
}

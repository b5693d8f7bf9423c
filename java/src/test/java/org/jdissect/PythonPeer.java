package org.jdissect;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The independent Python references the tests compare with (bench/peer: PIL's resize, NetDissect-Lite's tally): the
 * interpreter that has numpy and PIL (Debian's /usr/bin/python3; CI installs them), run with its output in a log.
 */
public final class PythonPeer {
    private PythonPeer() {
    }

    /** The interpreter, after skipping the test where it lacks numpy or PIL; {@code log} takes the probe's output. */
    public static String python(Path log) throws IOException, InterruptedException {
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        assumeTrue(run(List.of(python, "-c", "import numpy, PIL"), log) == 0,
                "python3 with numpy and PIL is not installed: the Python reference cannot run");
        return python;
    }

    /** A script of bench/peer, as an absolute path (the tests run in java/). */
    public static Path script(String name) {
        return Path.of("..", "bench", "peer", name).toAbsolutePath().normalize();
    }

    /** Runs {@code command} with stdout and stderr into {@code log}; its exit status, or -1 after 300 s. */
    public static int run(List<String> command, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}

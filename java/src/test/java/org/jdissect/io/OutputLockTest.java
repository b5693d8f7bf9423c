package org.jdissect.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jdissect.JdissectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per output folder, across processes; a lock of a process that has ended is taken over. */
class OutputLockTest {
    @TempDir
    Path tmp;

    /** Holds the lock of args[0] until its standard input closes (run as a second process by the test). */
    public static void main(String[] args) throws Exception {
        try (OutputLock lock = OutputLock.acquire(Path.of(args[0]), "holder")) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait
            }
        }
    }

    @Test
    void aSecondLockInThisProcessIsRefusedUntilTheFirstIsReleased() {
        Path out = tmp.resolve("out");
        try (OutputLock first = OutputLock.acquire(out, "jdissect dissect --out out")) {
            assertThatThrownBy(() -> OutputLock.acquire(out, "jdissect report out"))
                    .isInstanceOf(JdissectException.class).hasMessageContaining(out + " is in use by another "
                            + "jdissect run").hasMessageContaining("pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("'jdissect dissect --out out'");
        }
        try (LogCapture log = LogCapture.start(); OutputLock again = OutputLock.acquire(out, "again")) {
            assertThat(log.messages()).as("a released lock is no news").isEmpty();
        }
    }

    @Test
    void anotherProcessHoldsItAndWhenItIsKilledTheLockIsTakenOver() throws Exception {
        Path out = tmp.resolve("shared");
        Process holder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OutputLockTest.class.getName(), out.toString()))
                .redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(r.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> OutputLock.acquire(out, "second")).isInstanceOf(JdissectException.class)
                    .hasMessageContaining("in use by another jdissect run").hasMessageContaining("pid " + holder.pid());
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
        try (LogCapture log = LogCapture.start(); OutputLock taken = OutputLock.acquire(out, "third")) {
            assertThat(log.messages()).singleElement().asString().contains("taking over the lock of " + out)
                    .contains("pid " + holder.pid());
        }
    }
}

package org.jdissect.io;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.jdissect.JdissectException;

/**
 * One writer per output folder: a second run on the same folder stops at once with a line saying who holds it,
 * instead of the two interleaving their files. The lock is the operating system's lock on {@code .jdissect.lock} in
 * the folder, which it releases when the holding process ends however it ends, so a crashed run never leaves a lock
 * behind; the file's text says who holds it (pid, host, command, since when), for the message. The file stays (empty)
 * when the lock is released: deleting it would let two later runs lock two different files.
 */
public final class OutputLock implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OutputLock.class.getName());
    public static final String FILE = ".jdissect.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir} (created if missing) for {@code command}, or throws a JdissectException naming the holder.
     * A lock file left by a process that has ended is taken over with a line saying so.
     */
    public static OutputLock acquire(Path dir, String command) {
        Path file = dir.resolve(FILE);
        FileChannel ch = null;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this process holds it already
            }
            String holder = read(ch);
            if (lock == null) {
                ch.close();
                throw new JdissectException(dir + " is in use by another jdissect run"
                        + (holder.isBlank() ? "" : " (" + holder + ")") + "; wait for it to finish, or write to "
                        + "another folder");
            }
            if (!holder.isBlank()) {
                LOG.log(Level.INFO, "taking over the lock of " + dir + " from a run that has ended (" + holder + ")");
            }
            String me = "pid " + ProcessHandle.current().pid() + " on " + host() + ", '" + command + "' since "
                    + Instant.now().truncatedTo(ChronoUnit.SECONDS);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(false);
            return new OutputLock(ch, lock);
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // the error below says what matters
                }
            }
            throw JdissectException.failure("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    private static String read(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(4096, ch.size()));
        ch.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "this host";
        }
    }

    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the operating system releases the lock with the channel in any case
        }
    }
}

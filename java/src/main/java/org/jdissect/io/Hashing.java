package org.jdissect.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.jdissect.JdissectException;

/** SHA-256 of bytes, of files and of several byte arrays taken together: how models and datasets are identified. */
public final class Hashing {
    private Hashing() {
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /** Hex SHA-256 of a file's bytes, read as a stream (files of any size). */
    public static String sha256(Path file) {
        MessageDigest sha = sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new JdissectException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * Hex SHA-256 of several byte arrays taken together, each prefixed with its length, so that moving bytes from
     * one array to the next changes the hash.
     */
    public static String sha256Of(byte[]... parts) {
        MessageDigest sha = sha256();
        for (byte[] p : parts) {
            sha.update((p.length + ":").getBytes(StandardCharsets.US_ASCII));
            sha.update(p);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}

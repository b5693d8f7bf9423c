package org.jdissect.stats;

import java.util.Arrays;
import java.util.Locale;

import org.jdissect.JdissectException;

/**
 * How the activation cache stores a layer's values, and so what the statistics see.
 *
 * <p>{@link #FP16} (the default) halves the cache and lets the CUDA kernels read it; its thresholds and the tally are
 * exact for the half-rounded values, which moves a threshold by up to half a unit in the last of half's 11
 * significant bits (measured on the demo's conv3 and conv5: every threshold moves, by a few parts in 10,000, IoUs by
 * at most 0.00044). {@link #FP32} keeps the model's values as they come: thresholds and the tally are exact for them
 * (a float64 reference agrees to the last bit), at twice the cache and a third pass over it for the quantile; its
 * statistics run on the CPU backend.
 */
public enum Precision {
    FP16(2, ".f16"),
    FP32(4, ".f32");

    private final int bytes;
    private final String suffix;

    Precision(int bytes, String suffix) {
        this.bytes = bytes;
        this.suffix = suffix;
    }

    /** Bytes per cached value. */
    public int bytes() {
        return bytes;
    }

    /** The ending of a layer file of the cache. */
    public String suffix() {
        return suffix;
    }

    /** As written in options and files: {@code fp16}, {@code fp32}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The precision a layer file ending so holds, or null. */
    public static Precision ofFile(String name) {
        return Arrays.stream(values()).filter(p -> name.endsWith(p.suffix)).findFirst().orElse(null);
    }

    /** Parses {@code fp16} or {@code fp32} (any case); anything else is one line naming the option and the choices. */
    public static Precision parse(String option, String text) {
        for (Precision p : values()) {
            if (p.label().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return p;
            }
        }
        throw new JdissectException(option + " must be fp16 or fp32, got '" + text + "'");
    }
}

package org.jdissect.dissect;

import org.jdissect.JdissectException;
import org.jdissect.io.Threads;
import org.jdissect.stats.Precision;

/**
 * How a dissection computes and runs, the same for every probe (a Broden dataset, a folder of segmented images, a
 * generator's samples). The defaults are defined here once; the CLI's options show these constants.
 *
 * @param quantile     the top quantile of each unit's activations that forms its mask (NetDissect's 0.005)
 * @param iouThreshold the IoU at which a unit counts as interpretable (NetDissect's 0.04)
 * @param topk         top images kept per unit
 * @param batch        images per inference batch
 * @param memory       a layer's cached activations up to this many bytes are held in memory, larger ones are read
 *                     from the cache file chunk by chunk
 * @param threads      worker threads (decoding, inference, statistics)
 * @param fresh        ignore an existing activation cache instead of resuming from it
 * @param skipBad      skip malformed index rows and unreadable images (reporting them) instead of stopping
 * @param precision    how the activation cache holds values, and so what the statistics are exact for (see
 *                     {@link Precision}; fp32 runs the statistics on the CPU)
 */
public record DissectionOptions(double quantile, double iouThreshold, int topk, int batch, long memory, int threads,
                                boolean fresh, boolean skipBad, Precision precision) {
    public static final String QUANTILE = "0.005";
    public static final String IOU_THRESHOLD = "0.04";
    public static final String TOPK = "10";
    public static final String BATCH = "32";
    public static final String MEMORY = "2g";
    public static final long MEMORY_BYTES = 2L << 30;
    public static final String PRECISION = "fp16";

    /** The defaults, with every core. */
    public static DissectionOptions defaults() {
        return new DissectionOptions(Double.parseDouble(QUANTILE), Double.parseDouble(IOU_THRESHOLD),
                Integer.parseInt(TOPK), Integer.parseInt(BATCH), MEMORY_BYTES, Threads.cores(), false, false,
                Precision.parse("--precision", PRECISION));
    }

    /** Every value in range, or a usage error naming the option and its valid range. */
    public DissectionOptions validate() {
        if (!(quantile > 0 && quantile < 1)) {
            throw new JdissectException("--quantile must be between 0 and 1 (exclusive), got " + quantile);
        }
        if (!(iouThreshold >= 0 && iouThreshold <= 1)) {
            throw new JdissectException("--iou-threshold must be between 0 and 1, got " + iouThreshold);
        }
        if (topk < 0) {
            throw new JdissectException("--topk must be >= 0, got " + topk);
        }
        if (batch < 1) {
            throw new JdissectException("--batch must be >= 1, got " + batch);
        }
        if (threads < 1) {
            throw new JdissectException("--threads must be >= 1, got " + threads);
        }
        if (precision == null) {
            throw new JdissectException("--precision must be fp16 or fp32");
        }
        if (memory < 0) {
            throw new JdissectException("--memory must be >= 0, got " + memory);
        }
        return this;
    }

    public DissectionOptions withQuantile(double v) {
        return new DissectionOptions(v, iouThreshold, topk, batch, memory, threads, fresh, skipBad, precision);
    }

    public DissectionOptions withIouThreshold(double v) {
        return new DissectionOptions(quantile, v, topk, batch, memory, threads, fresh, skipBad, precision);
    }

    public DissectionOptions withTopk(int v) {
        return new DissectionOptions(quantile, iouThreshold, v, batch, memory, threads, fresh, skipBad, precision);
    }

    public DissectionOptions withBatch(int v) {
        return new DissectionOptions(quantile, iouThreshold, topk, v, memory, threads, fresh, skipBad, precision);
    }

    public DissectionOptions withMemory(long v) {
        return new DissectionOptions(quantile, iouThreshold, topk, batch, v, threads, fresh, skipBad, precision);
    }

    public DissectionOptions withThreads(int v) {
        return new DissectionOptions(quantile, iouThreshold, topk, batch, memory, v, fresh, skipBad, precision);
    }

    public DissectionOptions withFresh(boolean v) {
        return new DissectionOptions(quantile, iouThreshold, topk, batch, memory, threads, v, skipBad, precision);
    }

    public DissectionOptions withPrecision(Precision v) {
        return new DissectionOptions(quantile, iouThreshold, topk, batch, memory, threads, fresh, skipBad, v);
    }

    public DissectionOptions withSkipBad(boolean v) {
        return new DissectionOptions(quantile, iouThreshold, topk, batch, memory, threads, fresh, v, precision);
    }
}

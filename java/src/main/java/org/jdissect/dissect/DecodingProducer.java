package org.jdissect.dissect;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.jdissect.JdissectException;
import org.jdissect.data.ImageDecoder;
import org.jdissect.io.Threads;

/**
 * Images decoded and prepared on every core one batch ahead of inference: while batch k runs through the model, the
 * images of batch k + 1 are decoded. An image that cannot be read stops the run with its message, or is skipped and
 * reported under --skip-bad.
 */
final class DecodingProducer implements Source.Producer {
    /** One prepared image: its source row and its model inputs, or why it was skipped. */
    record Prepared(int row, float[] input, float[] segmenterInput, String error) {
    }

    /** Reads and prepares candidate {@code candidate} with this thread's decoder; a bad image throws. */
    @FunctionalInterface
    interface Preparer {
        Prepared prepare(int candidate, ImageDecoder decoder);
    }

    /** Runs the models on the prepared images of a batch: per cached layer, their values. */
    @FunctionalInterface
    interface Inference {
        List<float[]> run(List<Prepared> batch);
    }

    private final int total;
    private final boolean skipBad;
    private final Preparer preparer;
    private final Inference inference;
    private final ExecutorService pool;
    /** One decoder per decoding thread: each image is prepared before its thread decodes the next. */
    private final ThreadLocal<ImageDecoder> decoders = ThreadLocal.withInitial(ImageDecoder::new);
    private int pendingFrom = -1;
    private List<Future<Prepared>> pending = List.of();

    DecodingProducer(int total, int threads, boolean skipBad, Preparer preparer, Inference inference) {
        this.total = total;
        this.skipBad = skipBad;
        this.preparer = preparer;
        this.inference = inference;
        this.pool = Threads.pool("decode", threads);
    }

    @Override
    public Source.Batch next(int from, int to) {
        List<Future<Prepared>> current = pendingFrom == from ? pending : submit(from, to);
        int ahead = Math.min(total, to + (to - from));
        pending = to < total ? submit(to, ahead) : List.of();
        pendingFrom = to < total ? to : -1;
        List<Prepared> ok = new ArrayList<>(current.size());
        List<String> skipped = new ArrayList<>();
        for (Future<Prepared> f : current) {
            Prepared p = Threads.await(f);
            if (p.error() != null) {
                skipped.add(p.error());
            } else {
                ok.add(p);
            }
        }
        int[] rows = ok.stream().mapToInt(Prepared::row).toArray();
        return new Source.Batch(rows, ok.isEmpty() ? null : inference.run(ok), skipped);
    }

    private List<Future<Prepared>> submit(int from, int to) {
        List<Future<Prepared>> futures = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            int candidate = i;
            futures.add(pool.submit(() -> {
                try {
                    return preparer.prepare(candidate, decoders.get());
                } catch (JdissectException e) {
                    if (!skipBad) {
                        throw e;
                    }
                    return new Prepared(-1, null, null, e.getMessage());
                }
            }));
        }
        return futures;
    }

    /** The inputs of {@code batch} laid out one image after another, as one model input. */
    static float[] concat(List<Prepared> batch, boolean segmenter) {
        int per = (segmenter ? batch.get(0).segmenterInput() : batch.get(0).input()).length;
        float[] out = new float[batch.size() * per];
        for (int i = 0; i < batch.size(); i++) {
            System.arraycopy(segmenter ? batch.get(i).segmenterInput() : batch.get(i).input(), 0, out, i * per, per);
        }
        return out;
    }

    @Override
    public void close() {
        for (Future<Prepared> f : pending) {
            f.cancel(true);
        }
        pool.shutdownNow();
    }
}

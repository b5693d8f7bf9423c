package org.jdissect.dissect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
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

    /**
     * Reads and prepares candidate {@code candidate} with this thread's decoder, its inputs in arrays from
     * {@code arrays} (recycled once the batch has been run); a bad image throws.
     */
    @FunctionalInterface
    interface Preparer {
        Prepared prepare(int candidate, ImageDecoder decoder, Recycler arrays);
    }

    /** Runs the models on the prepared images of a batch: per cached layer, their values. */
    @FunctionalInterface
    interface Inference {
        List<float[]> run(Inputs batch);
    }

    /**
     * A batch's prepared images: the model's inputs as prepared, the segmenter's laid out one image after another in
     * an array the producer keeps from batch to batch (it may be longer than the batch needs).
     */
    final class Inputs {
        private final List<Prepared> prepared;

        private Inputs(List<Prepared> prepared) {
            this.prepared = prepared;
        }

        int size() {
            return prepared.size();
        }

        /** The model's inputs, one array per image (as prepared: no copy). */
        List<float[]> images() {
            List<float[]> images = new ArrayList<>(prepared.size());
            for (Prepared p : prepared) {
                images.add(p.input());
            }
            return images;
        }

        /** The segmenter's inputs, one image after another in one array. */
        float[] segmenter() {
            return batchSegmenter = concat(prepared, batchSegmenter);
        }
    }

    /**
     * Float arrays by length, handed out to the decoding threads and given back when their batch has been run: at
     * most two batches are in flight, so at most two batches' arrays exist. Per image, a 224 x 224 input was a fresh
     * 600 KB array and a second copy in the batch (see {@code Preprocessing}'s scratch for why that costs).
     */
    static final class Recycler {
        private final Map<Integer, Queue<float[]>> free = new ConcurrentHashMap<>();

        float[] floats(int n) {
            float[] a = queue(n).poll();
            return a != null ? a : new float[n];
        }

        void recycle(float[] a) {
            if (a != null) {
                queue(a.length).offer(a);
            }
        }

        private Queue<float[]> queue(int n) {
            return free.computeIfAbsent(n, k -> new ConcurrentLinkedQueue<>());
        }
    }

    private final int total;
    private final boolean skipBad;
    private final Preparer preparer;
    private final Inference inference;
    private final ExecutorService pool;
    /** One decoder per decoding thread: each image is prepared before its thread decodes the next. */
    private final ThreadLocal<ImageDecoder> decoders = ThreadLocal.withInitial(ImageDecoder::new);
    private final Recycler arrays = new Recycler();
    private float[] batchSegmenter;
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
        List<float[]> values = ok.isEmpty() ? null : inference.run(new Inputs(ok));
        for (Prepared p : ok) {
            arrays.recycle(p.input());
            arrays.recycle(p.segmenterInput());
        }
        return new Source.Batch(rows, values, skipped);
    }

    private List<Future<Prepared>> submit(int from, int to) {
        List<Future<Prepared>> futures = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            int candidate = i;
            futures.add(pool.submit(() -> {
                try {
                    return preparer.prepare(candidate, decoders.get(), arrays);
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

    /** The segmenter inputs of {@code batch} laid out one image after another, in {@code reuse} if it fits. */
    private static float[] concat(List<Prepared> batch, float[] reuse) {
        int per = batch.get(0).segmenterInput().length;
        float[] out = reuse != null && reuse.length >= batch.size() * per ? reuse : new float[batch.size() * per];
        for (int i = 0; i < batch.size(); i++) {
            System.arraycopy(batch.get(i).segmenterInput(), 0, out, i * per, per);
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

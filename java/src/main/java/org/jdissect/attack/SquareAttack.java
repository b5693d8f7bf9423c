package org.jdissect.attack;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.jdissect.stats.Outputs;

/**
 * Square Attack under an L-infinity budget (Andriushchenko, Croce, Flammarion and Hein, ECCV 2020): a score-based
 * black-box attack that needs the model's outputs only, no gradients, which is all ONNX Runtime gives.
 *
 * <p>Images are planar R, G, B values in 0..255, and the budget is a whole number of 8-bit levels: every candidate is
 * the clean image plus a perturbation of whole levels, clipped to 0..255, so the adversarial image is exactly an 8-bit
 * image and writing it as PNG loses nothing. The search follows the paper's Algorithm 1 and its reference code:
 * vertical stripes of +-epsilon per channel to start; then, per iteration, a square window at a random place whose
 * side shrinks with the iteration ({@link #squareFraction}) gets a fresh +-epsilon per channel, and the candidate is
 * kept when the loss falls. Untargeted, the loss is the margin of the true output over the best other one (success when it is
 * negative); targeted, the cross-entropy of the target output (success when the target is the largest output).
 *
 * <p>All images still being attacked are stepped together, one candidate each per iteration, and scored in batches;
 * each image draws its random numbers from its own generator, seeded from the run's seed and the image's number, so an
 * image's attack does not depend on which images it was batched with, and a resumed run repeats it exactly.
 */
public final class SquareAttack {
    /** The paper's initial fraction of the image a square covers, for L-infinity attacks. */
    public static final double P_INIT = 0.05;

    /** Scores candidate images: per image, the model's outputs (logits). */
    @FunctionalInterface
    public interface Model {
        float[][] outputs(List<Candidate> images);
    }

    /** An image to score: planar R, G, B values in 0..255. */
    public record Candidate(float[] pixels, int width, int height) {
    }

    /**
     * What happens to an image when its attack ends, in the order the images end.
     */
    @FunctionalInterface
    public interface Finished {
        void accept(int image, Result result);
    }

    /**
     * One image to attack.
     *
     * @param pixels planar R, G, B values in 0..255, whole numbers, {@code 3 * height * width}
     * @param source the output of the class the image is of
     * @param target the output to reach, or -1 for any output but the source
     * @param seed   the image's own seed
     * @param cellWidth  the perturbation's grain: it is constant over cells of this many pixels across ...
     * @param cellHeight ... and this many down (1 x 1: per pixel)
     */
    public record Start(float[] pixels, int width, int height, int source, int target, long seed, int cellWidth,
                        int cellHeight) {
        public Start {
            if (pixels.length != 3 * width * height) {
                throw new IllegalArgumentException("image of " + pixels.length + " values is not 3 x " + height + " x "
                        + width);
            }
            if (cellWidth < 1 || cellHeight < 1) {
                throw new IllegalArgumentException("cells of " + cellWidth + " x " + cellHeight);
            }
        }

        /** Cells across and down (the last ones may be cut by the image's edge). */
        int columns() {
            return (width + cellWidth - 1) / cellWidth;
        }

        int rows() {
            return (height + cellHeight - 1) / cellHeight;
        }

        /**
         * The cell of an image of {@code width x height} fed to a model whose input is {@code inputWidth x
         * inputHeight}: the resize averages away what varies within one input pixel's footprint, so the perturbation
         * is drawn at the model's resolution (a stripe one pixel wide on a 128-pixel image shrunk to 64 is averaged
         * out; one two pixels wide survives).
         */
        public static int cell(int size, int inputSize) {
            return Math.max(1, (int) Math.round((double) size / inputSize));
        }
    }

    /**
     * The end of one image's attack.
     *
     * @param success    the best candidate is classified as the target (or as any output but the source)
     * @param queries    model outputs asked for this image, the first candidate's included
     * @param adversarial the best candidate, planar 0..255 whole numbers
     * @param outputs    the model's outputs on it
     * @param loss       its loss (margin, or the target's cross-entropy)
     */
    public record Result(boolean success, int queries, float[] adversarial, float[] outputs, double loss) {
    }

    private final int epsilon;
    private final int maxQueries;
    private final int batch;

    /**
     * @param epsilon    the budget in 8-bit levels (8 for 8/255)
     * @param maxQueries the most outputs asked per image, the first candidate's included
     * @param batch      the most candidates scored in one call of the model
     */
    public SquareAttack(int epsilon, int maxQueries, int batch) {
        if (epsilon < 1 || epsilon > 255) {
            throw new IllegalArgumentException("epsilon of " + epsilon + " levels is outside 1..255");
        }
        if (maxQueries < 1 || batch < 1) {
            throw new IllegalArgumentException("queries and batch must be >= 1");
        }
        this.epsilon = epsilon;
        this.maxQueries = maxQueries;
        this.batch = batch;
    }

    /**
     * The fraction of the image's pixels the square of iteration {@code it} (from 1) of {@code maxIterations} covers:
     * {@link #P_INIT}, halved at the reference code's steps, which are given for 10,000 iterations and scaled to the
     * budget.
     */
    static double squareFraction(int it, int maxIterations) {
        int scaled = (int) ((long) it * 10_000 / Math.max(1, maxIterations));
        int[] steps = {10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000};
        double p = P_INIT;
        for (int step : steps) {
            if (scaled > step) {
                p /= 2;
            }
        }
        return p;
    }

    /** The side of the square for fraction {@code p} of an image: at least 1, less than its shorter side. */
    static int side(double p, int width, int height) {
        int s = (int) Math.round(Math.sqrt(p * width * height));
        return Math.max(1, Math.min(s, Math.min(width, height) - 1));
    }

    /**
     * The loss of outputs {@code o}: untargeted, the source's margin over the best other output; targeted, the
     * cross-entropy of the target.
     */
    static double loss(float[] o, int source, int target) {
        if (target < 0) {
            return o[source] - Outputs.largestOther(o, source);
        }
        return Outputs.logSumExp(o) - o[target];
    }

    /** Whether outputs {@code o} are what the attack wants: the target first, or anything but the source first. */
    static boolean succeeds(float[] o, int source, int target) {
        int best = Outputs.argmax(o);
        return target < 0 ? best != source : best == target && o[target] > Outputs.largestOther(o, target);
    }

    private static final class State {
        final int index;
        final Start start;
        final SplittableRandom random;
        float[] best;
        float[] bestOutputs;
        double bestLoss;
        float[] candidate;
        int queries;
        boolean done;

        State(int index, Start start) {
            this.index = index;
            this.start = start;
            this.random = new SplittableRandom(start.seed());
        }
    }

    /**
     * Attacks every image; {@code finished} hears of each as soon as its attack ends (success, or its queries spent).
     *
     * @param progress told the budget used up, in queries, as it goes: the queries asked, and the rest of an image's
     *                 budget when its attack ends early; {@code images x maxQueries} in all
     */
    public void run(List<Start> images, Model model, Finished finished, java.util.function.IntConsumer progress) {
        List<State> states = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            State s = new State(i, images.get(i));
            s.candidate = stripes(s);
            states.add(s);
        }
        score(states, model, finished, progress, true);
        int maxIterations = maxQueries - 1;
        for (int it = 1; it <= maxIterations; it++) {
            List<State> active = new ArrayList<>();
            for (State s : states) {
                if (!s.done) {
                    s.candidate = square(s, side(squareFraction(it, maxIterations), s.start.columns(), s.start.rows()));
                    active.add(s);
                }
            }
            if (active.isEmpty()) {
                return;
            }
            score(active, model, finished, progress, false);
        }
    }

    /** The first candidate: each channel's columns of cells shifted by +-epsilon, one draw per channel and column. */
    private float[] stripes(State s) {
        Start st = s.start;
        float[] x = st.pixels();
        float[] c = new float[x.length];
        int plane = st.width() * st.height();
        for (int ch = 0; ch < 3; ch++) {
            for (int col = 0; col < st.columns(); col++) {
                int d = s.random.nextBoolean() ? epsilon : -epsilon;
                int right = Math.min(st.width(), (col + 1) * st.cellWidth());
                for (int row = 0; row < st.height(); row++) {
                    for (int px = col * st.cellWidth(); px < right; px++) {
                        int i = ch * plane + row * st.width() + px;
                        c[i] = clip(x[i] + d);
                    }
                }
            }
        }
        return c;
    }

    /**
     * The best candidate with a square of {@code side} cells at a random place set to the clean image +-epsilon per
     * channel; drawn again (at most 100 times, as a guard) while that changes nothing, as the reference code does.
     */
    private float[] square(State s, int side) {
        Start st = s.start;
        float[] x = st.pixels();
        int w = st.width();
        int plane = w * st.height();
        float[] c = s.best.clone();
        for (int attempt = 0; attempt < 100; attempt++) {
            int top = s.random.nextInt(st.rows() - side + 1) * st.cellHeight();
            int left = s.random.nextInt(st.columns() - side + 1) * st.cellWidth();
            int bottom = Math.min(st.height(), top + side * st.cellHeight());
            int right = Math.min(w, left + side * st.cellWidth());
            boolean changes = false;
            for (int ch = 0; ch < 3; ch++) {
                int d = s.random.nextBoolean() ? epsilon : -epsilon;
                for (int row = top; row < bottom; row++) {
                    for (int col = left; col < right; col++) {
                        int i = ch * plane + row * w + col;
                        float v = clip(x[i] + d);
                        changes |= v != s.best[i];
                        c[i] = v;
                    }
                }
            }
            if (changes) {
                return c;
            }
            System.arraycopy(s.best, 0, c, 0, c.length);
        }
        return c;
    }

    private static float clip(float v) {
        return Math.max(0f, Math.min(255f, v));
    }

    private void score(List<State> states, Model model, Finished finished, java.util.function.IntConsumer progress,
                       boolean first) {
        for (int from = 0; from < states.size(); from += batch) {
            List<State> part = states.subList(from, Math.min(states.size(), from + batch));
            List<Candidate> candidates = new ArrayList<>(part.size());
            for (State s : part) {
                candidates.add(new Candidate(s.candidate, s.start.width(), s.start.height()));
            }
            float[][] outputs = model.outputs(candidates);
            int used = part.size();
            for (int k = 0; k < part.size(); k++) {
                State s = part.get(k);
                Start st = s.start;
                s.queries++;
                double loss = loss(outputs[k], st.source(), st.target());
                if (first || loss < s.bestLoss) {
                    s.best = s.candidate;
                    s.bestOutputs = outputs[k];
                    s.bestLoss = loss;
                }
                s.candidate = null;
                boolean success = succeeds(s.bestOutputs, st.source(), st.target());
                if (success || s.queries >= maxQueries) {
                    s.done = true;
                    used += maxQueries - s.queries;
                    finished.accept(s.index, new Result(success, s.queries, s.best, s.bestOutputs, s.bestLoss));
                }
            }
            progress.accept(used);
        }
    }
}

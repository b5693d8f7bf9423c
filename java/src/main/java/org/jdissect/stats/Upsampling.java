package org.jdissect.stats;

/**
 * Bilinear upsampling with half-pixel centres (PIL's BILINEAR, PyTorch's {@code align_corners=False}), defined
 * once, in fp32, so that the CPU and CUDA backends agree bit for bit at threshold ties.
 *
 * <p>For an axis of {@code in} source samples and {@code out} target samples, target index {@code i} reads source
 * position {@code s = (i + 0.5f) * (in / (float) out) - 0.5f} clamped below at 0, from samples
 * {@code i0 = floor(s)} and {@code i1 = min(i0 + 1, in - 1)} with weight {@code f = s - i0} on {@code i1}.
 * A value is interpolated horizontally first, then vertically, each step as {@code fma(f, b - a, a)}:
 * <pre>
 *   top    = fma(fx, v[y0][x1] - v[y0][x0], v[y0][x0])
 *   bottom = fma(fx, v[y1][x1] - v[y1][x0], v[y1][x0])
 *   value  = fma(fy, bottom - top, top)
 * </pre>
 * The tables are computed here and handed to the kernels, so there is one definition of them.
 */
public final class Upsampling {
    private Upsampling() {
    }

    /** The interpolation table of one axis. */
    public record Axis(int in, int out, int[] i0, int[] i1, float[] f) {
        /** First target index that reads source sample {@code s} (as i0 or i1). */
        public int firstReading(int s) {
            for (int i = 0; i < out; i++) {
                if (i0[i] == s || i1[i] == s) {
                    return i;
                }
            }
            return out;
        }
    }

    public static Axis axis(int in, int out) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("axis sizes must be positive: " + in + " -> " + out);
        }
        int[] i0 = new int[out];
        int[] i1 = new int[out];
        float[] f = new float[out];
        float scale = (float) in / (float) out;
        for (int i = 0; i < out; i++) {
            float s = (i + 0.5f) * scale - 0.5f;
            if (s < 0f) {
                s = 0f;
            }
            int lo = (int) s;
            i0[i] = lo;
            i1[i] = Math.min(lo + 1, in - 1);
            f[i] = s - lo;
        }
        return new Axis(in, out, i0, i1, f);
    }

    /** One interpolation step, exactly as the kernels compute it. */
    public static float lerp(float a, float b, float f) {
        return Math.fma(f, b - a, a);
    }

    /**
     * Reference upsampling of a whole {@code h x w} map (row-major floats) to {@code ys.out() x xs.out()}; the
     * fast paths of the backends compute the same values for the pixels they visit.
     */
    public static float[] upsample(float[] map, int h, int w, Axis ys, Axis xs) {
        float[] out = new float[ys.out() * xs.out()];
        for (int y = 0; y < ys.out(); y++) {
            int r0 = ys.i0()[y] * w;
            int r1 = ys.i1()[y] * w;
            float fy = ys.f()[y];
            for (int x = 0; x < xs.out(); x++) {
                int c0 = xs.i0()[x];
                int c1 = xs.i1()[x];
                float fx = xs.f()[x];
                float top = lerp(map[r0 + c0], map[r0 + c1], fx);
                float bottom = lerp(map[r1 + c0], map[r1 + c1], fx);
                out[y * xs.out() + x] = lerp(top, bottom, fy);
            }
        }
        return out;
    }
}

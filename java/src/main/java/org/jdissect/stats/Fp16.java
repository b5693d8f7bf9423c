package org.jdissect.stats;

/**
 * IEEE 754 half precision, the activation cache's storage type. Java 17 has no Float.float16ToFloat, so the
 * conversions are written here; decoding goes through a 65,536-entry table.
 */
public final class Fp16 {
    private static final float[] TO_FLOAT = new float[1 << 16];

    static {
        for (int h = 0; h < TO_FLOAT.length; h++) {
            TO_FLOAT[h] = decode((short) h);
        }
    }

    private Fp16() {
    }

    public static float toFloat(short h) {
        return TO_FLOAT[h & 0xffff];
    }

    private static float decode(short half) {
        int h = half & 0xffff;
        int sign = (h >>> 15) << 31;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Round to nearest even; values beyond the half range become infinities, NaN stays NaN. */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int abs = bits & 0x7fffffff;
        // Most activations: zero (after a ReLU) or a normal half. Normal: drop 13 mantissa bits rounding half to even
        // (add 0xfff plus the kept lowest bit; a carry into the exponent is the right result), rebias the exponent.
        if (abs >= 0x38800000 && abs < 0x477ff000) {
            return (short) ((bits >>> 16) & 0x8000 | (((abs + 0xfff + ((abs >>> 13) & 1)) >>> 13) - (112 << 10)));
        }
        if (abs == 0) {
            return (short) ((bits >>> 16) & 0x8000);
        }
        return fromFloatExact(f);
    }

    /** {@link #fromFloat} case by case: the rare ranges (subnormal, overflow, infinities, NaN), and a reference. */
    static short fromFloatExact(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs >= 0x7f800000) {
            return (short) (sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 : 0));
        }
        if (abs >= 0x477ff000) { // rounds to >= 65520: overflow
            return (short) (sign | 0x7c00);
        }
        if (abs < 0x38800000) { // below the smallest normal half: subnormal or zero
            float magnitude = Float.intBitsToFloat(abs) * 0x1p24f; // units of 2^-24
            return (short) (sign | (int) Math.rint(magnitude)); // exact scaling, then round half to even
        }
        int e = ((abs >>> 23) - 112) << 10;
        int mant = abs & 0x7fffff;
        int rounded = e | (mant >>> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (rounded & 1) == 1)) {
            rounded++;
        }
        return (short) (sign | rounded);
    }

    /**
     * A key that orders half values as their float values order (negative zero just below positive zero;
     * NaNs above infinity). Used for exact selection by counting.
     */
    public static int sortKey(short h) {
        int v = h & 0xffff;
        return (v & 0x8000) != 0 ? (~v) & 0xffff : v | 0x8000;
    }

    /** The order key of positive infinity: keys above it are NaNs. */
    public static final int POSITIVE_INFINITY_KEY = 0xfc00;

    /**
     * The smallest order key whose value is {@code > t}, or {@code POSITIVE_INFINITY_KEY + 1} when none is: a half
     * value h (not NaN) is above t exactly when {@code firstKeyAbove(t) <= sortKey(h) <= POSITIVE_INFINITY_KEY}.
     */
    public static int firstKeyAbove(float t) {
        if (Float.isNaN(t)) {
            return POSITIVE_INFINITY_KEY + 1;
        }
        int lo = 0x03ff; // negative infinity: never above anything
        int hi = POSITIVE_INFINITY_KEY + 1;
        while (hi - lo > 1) { // invariant: value(lo) <= t, value(hi) > t (hi past the end counts as above)
            int mid = (lo + hi) >>> 1;
            if (toFloat(fromSortKey(mid)) > t) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    /** Inverse of {@link #sortKey}. */
    public static short fromSortKey(int key) {
        return (short) ((key & 0x8000) != 0 ? key & 0x7fff : (~key) & 0xffff);
    }
}

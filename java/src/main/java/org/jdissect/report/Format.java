package org.jdissect.report;

import java.util.Locale;

/** Numbers and names as the pages print them: locale-independent, and cheap, since a page prints thousands. */
public final class Format {
    private Format() {
    }

    /** A number with {@code decimals} places (0 to 9); written by hand rather than with String.format, for speed. */
    public static String fixed(double v, int decimals) {
        if (!Double.isFinite(v) || Math.abs(v) >= 1e9 || decimals < 0 || decimals > 9) {
            return String.format(Locale.ROOT, "%." + Math.max(0, Math.min(decimals, 17)) + "f", v);
        }
        long scale = 1;
        for (int i = 0; i < decimals; i++) {
            scale *= 10;
        }
        long r = Math.round(Math.abs(v) * scale);
        StringBuilder sb = new StringBuilder(16);
        if (v < 0 && r != 0) {
            sb.append('-');
        }
        sb.append(r / scale);
        if (decimals > 0) {
            String frac = Long.toString(r % scale);
            sb.append('.');
            for (int i = frac.length(); i < decimals; i++) {
                sb.append('0');
            }
            sb.append(frac);
        }
        return sb.toString();
    }

    /** A threshold or activation: four significant digits, no exponent for ordinary magnitudes. */
    public static String sig(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        double abs = Math.abs(v);
        if (abs >= 1e-3 && abs < 1e5) {
            int digits = Math.max(0, 3 - (int) Math.floor(Math.log10(abs)));
            return fixed(v, digits);
        }
        return String.format(Locale.ROOT, "%.3e", v);
    }

    /** A whole number without its ".0", anything else with four significant digits. */
    public static String integerOrDecimal(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : sig(x);
    }

    /** {@code s} cut to {@code max} characters, the last an ellipsis, so that a long name keeps a chart legible. */
    public static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }

    /** The last part of a path as recorded (either separator), for a title; the whole path goes in the settings. */
    public static String fileName(String path) {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return slash < 0 ? path : path.substring(slash + 1);
    }
}

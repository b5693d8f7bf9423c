package org.jdissect.io;

import java.util.Locale;

import org.jdissect.JdissectException;

/** Byte sizes as people write them: 4096, 512k, 64m, 2g; and as they read them. */
public final class Sizes {
    private Sizes() {
    }

    /** A size such as 512m; a usage error naming {@code option} when it is not one. */
    public static long parse(String text, String option) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (s.endsWith("b")) {
            s = s.substring(0, s.length() - 1);
        }
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                case 't' -> unit = 1L << 40;
                default -> unit = 1;
            }
            if (unit > 1) {
                s = s.substring(0, s.length() - 1);
            }
        }
        try {
            double v = Double.parseDouble(s);
            if (v < 0 || Double.isNaN(v) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return (long) (v * unit);
        } catch (NumberFormatException e) {
            throw new JdissectException(option + ": '" + text + "' is not a size; write e.g. 512m or 2g");
        }
    }

    /** {@code bytes} as people read them: 812 bytes, 3.4 KB, 368 MB, 2.1 GB (binary multiples). */
    public static String format(long bytes) {
        String[] units = {"KB", "MB", "GB", "TB"};
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }
}

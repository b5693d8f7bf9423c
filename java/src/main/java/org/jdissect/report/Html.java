package org.jdissect.report;

import java.util.Locale;

/**
 * A small HTML writer whose every way of adding text escapes it: labels, category, layer and file names come from
 * datasets and models and are untrusted (a label named {@code <script>} must show as text). Markup the report
 * itself writes goes through {@link #raw}.
 */
public final class Html {
    private final StringBuilder sb;

    public Html() {
        this(1 << 14);
    }

    public Html(int capacity) {
        sb = new StringBuilder(capacity);
    }

    /** Escapes text for an element's content or a double-quoted attribute value. */
    public static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (rep == null && c < 0x20 && c != '\n' && c != '\t') {
                rep = " "; // control characters are not allowed in HTML text
            } else if (rep == null && c > 0x7e) {
                int cp = s.codePointAt(i);
                rep = "&#" + cp + ";";
                i += Character.charCount(cp) - 1;
            }
            if (rep != null) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                out.append(rep);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    /**
     * Markup written by the report itself, never data. Characters beyond ASCII are written as character references:
     * pages stay ASCII, which Java builds and writes in one byte a character.
     */
    public Html raw(String markup) {
        for (int i = 0; i < markup.length(); i++) {
            if (markup.charAt(i) > 0x7e) {
                for (int j = 0; j < markup.length(); j++) {
                    int cp = markup.codePointAt(j);
                    if (cp > 0x7e) {
                        sb.append("&#").append(cp).append(';');
                        j += Character.charCount(cp) - 1;
                    } else {
                        sb.append((char) cp);
                    }
                }
                return this;
            }
        }
        sb.append(markup);
        return this;
    }

    /** Escaped text. */
    public Html text(String s) {
        sb.append(esc(s));
        return this;
    }

    /** {@code <tag>escaped text</tag>}; {@code tagAndAttributes} is the report's own markup, e.g. {@code p class="x"}. */
    public Html element(String tagAndAttributes, String text) {
        int space = tagAndAttributes.indexOf(' ');
        String tag = space < 0 ? tagAndAttributes : tagAndAttributes.substring(0, space);
        raw("<" + tagAndAttributes + ">");
        sb.append(esc(text)).append("</").append(tag).append('>');
        return this;
    }

    /** {@code name="escaped value"} with a leading space, to build tags with {@link #raw}. */
    public static String attr(String name, String value) {
        return " " + name + "=\"" + esc(value) + "\"";
    }

    /** A number with {@code decimals} places (0 to 9), locale-independent; written by hand, as pages hold thousands. */
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

    public int length() {
        return sb.length();
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}

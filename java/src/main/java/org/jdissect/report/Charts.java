package org.jdissect.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The report's charts as inline SVG: every name in them is escaped, every bar has a tooltip with its numbers. */
final class Charts {
    private static final String FONT = "font-family=\"system-ui, sans-serif\"";

    /** Opens a chart's SVG element, {@code width x height} pixels at scale 1, with its accessible title. */
    private static void openSvg(Html h, String cls, int width, int height, int fontSize, String title) {
        h.raw("<svg class=\"" + cls + "\" role=\"img\" viewBox=\"0 0 " + width + " " + height + "\" width=\"" + width
                + "\" height=\"" + height + "\" " + FONT + " font-size=\"" + fontSize + "\"><title>").text(title)
                .raw("</title>");
    }

    private Charts() {
    }

    /**
     * NetDissect's bar graph: interpretable units per concept, grouped by category in the dissection's category
     * order, tallest first within a group, coloured by category.
     */
    static void unitsPerConcept(Html h, ReportLayer layer, List<String> categories, Function<String, String> colour) {
        Map<String, Map<String, Integer>> byCategory = new LinkedHashMap<>();
        for (String c : categories) {
            byCategory.put(c, new LinkedHashMap<>());
        }
        for (ReportLayer.Unit u : layer.units()) {
            if (u.interpretable()) {
                byCategory.computeIfAbsent(u.category(), k -> new LinkedHashMap<>()).merge(u.label(), 1, Integer::sum);
            }
        }
        record Bar(String category, String label, int units) {
        }
        List<Bar> bars = new ArrayList<>();
        List<int[]> groups = new ArrayList<>(); // first bar, bar count
        for (Map.Entry<String, Map<String, Integer>> e : byCategory.entrySet()) {
            List<Map.Entry<String, Integer>> labels = new ArrayList<>(e.getValue().entrySet());
            labels.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            if (!labels.isEmpty()) {
                groups.add(new int[] {bars.size(), labels.size()});
            }
            for (Map.Entry<String, Integer> l : labels) {
                bars.add(new Bar(e.getKey(), l.getKey(), l.getValue()));
            }
        }
        if (bars.isEmpty()) {
            h.raw("<p class=\"empty\">No unit reaches the IoU cut-off, so no concept is drawn.</p>");
            return;
        }
        int max = bars.stream().mapToInt(Bar::units).max().orElse(1);
        int step = niceStep(max);
        int top = ((max + step - 1) / step) * step;
        int pitch = Math.max(22, Math.min(48, 640 / bars.size())); // few concepts get wider bars
        int barW = pitch * 3 / 4;
        int groupGap = 14;
        int longest = 0;
        for (Bar b : bars) {
            longest = Math.max(longest, Math.min(18, b.label().length()));
        }
        // labels are rotated by 55 degrees and end under their bar: room for the first one on the left
        double labelW = longest * 6.2;
        int left = Math.max(40, (int) Math.ceil(labelW * Math.cos(Math.toRadians(55)) - barW / 2.0 + 6));
        int plotH = 150;
        int topPad = 18;
        int labelH = (int) Math.ceil(labelW * Math.sin(Math.toRadians(55))) + 16;
        int width = left + bars.size() * pitch + (groups.size() - 1) * groupGap + 10;
        int height = topPad + plotH + labelH;
        openSvg(h, "chart", width, height, 11, "Interpretable units per concept, " + layer.name());
        for (int v = 0; v <= top; v += step) {
            double y = topPad + plotH - plotH * (double) v / top;
            h.raw("<line x1=\"" + left + "\" x2=\"" + (width - 6) + "\" y1=\"" + f(y) + "\" y2=\"" + f(y)
                    + "\" stroke=\"#e3e6ea\"/>");
            h.raw("<text x=\"" + (left - 6) + "\" y=\"" + f(y + 4) + "\" text-anchor=\"end\" fill=\"#666\">" + v
                    + "</text>");
        }
        h.raw("<text transform=\"translate(" + (left - 29) + "," + (topPad + plotH / 2) + ") rotate(-90)\" text-anchor=\"middle\" "
                + "fill=\"#666\">units</text>");
        int x = left + 4;
        int g = 0;
        for (int i = 0; i < bars.size(); i++) {
            if (g + 1 < groups.size() && i == groups.get(g + 1)[0]) {
                g++;
                x += groupGap;
            }
            Bar b = bars.get(i);
            double bh = plotH * (double) b.units() / top;
            double y = topPad + plotH - bh;
            h.raw("<g><title>").text(b.label() + " (" + b.category() + "): " + b.units() + (b.units() == 1 ? " unit" : " units"))
                    .raw("</title><rect x=\"" + x + "\" y=\"" + f(y) + "\" width=\"" + barW + "\" height=\"" + f(bh)
                            + "\" rx=\"2\" fill=\"" + colour.apply(b.category()) + "\"/>");
            h.raw("<text x=\"" + (x + barW / 2) + "\" y=\"" + f(y - 3) + "\" text-anchor=\"middle\" fill=\"#444\" "
                    + "font-size=\"10\">" + b.units() + "</text>");
            int lx = x + barW / 2 + 4;
            int ly = topPad + plotH + 8;
            h.raw("<text x=\"" + lx + "\" y=\"" + ly + "\" transform=\"rotate(-55 " + lx + " " + ly
                    + ")\" text-anchor=\"end\" fill=\"#333\">").text(shorten(b.label(), 18)).raw("</text></g>");
            x += pitch;
        }
        h.raw("<line x1=\"" + left + "\" x2=\"" + (width - 6) + "\" y1=\"" + (topPad + plotH) + "\" y2=\""
                + (topPad + plotH) + "\" stroke=\"#999\"/>");
        h.raw("</svg>");
    }

    /**
     * Across layers: each layer's interpretable units per category, as a share of the layer's units (so layers of
     * different widths compare), stacked in the category order; counts in the segments and tooltips.
     */
    static void categoriesByLayer(Html h, List<ReportLayer> layers, List<String> categories,
                                  Function<String, String> colour) {
        double maxShare = 0;
        for (ReportLayer l : layers) {
            maxShare = Math.max(maxShare, l.interpretable() / (double) Math.max(1, l.channels()));
        }
        if (maxShare == 0) {
            h.raw("<p class=\"empty\">No layer has a unit at or above the IoU cut-off.</p>");
            return;
        }
        double axisMax = niceShare(maxShare);
        int labelW = 190;
        int plotW = 560;
        int rowH = 26;
        int topPad = 8;
        int axisH = 34;
        int width = labelW + plotW + 60;
        int height = topPad + layers.size() * rowH + axisH;
        openSvg(h, "chart", width, height, 12, "Interpretable units per category by layer");
        int ticks = 4;
        for (int t = 0; t <= ticks; t++) {
            double share = axisMax * t / ticks;
            double x = labelW + plotW * share / axisMax;
            h.raw("<line x1=\"" + f(x) + "\" x2=\"" + f(x) + "\" y1=\"" + topPad + "\" y2=\""
                    + (topPad + layers.size() * rowH) + "\" stroke=\"#e3e6ea\"/>");
            h.raw("<text x=\"" + f(x) + "\" y=\"" + (topPad + layers.size() * rowH + 14) + "\" text-anchor=\"middle\" "
                    + "fill=\"#666\" font-size=\"11\">" + Html.fixed(100 * share, axisMax < 0.1 ? 1 : 0) + "%</text>");
        }
        h.raw("<text x=\"" + (labelW + plotW / 2) + "\" y=\"" + (height - 4) + "\" text-anchor=\"middle\" "
                + "fill=\"#666\" font-size=\"11\">interpretable units, % of the layer's units</text>");
        for (int i = 0; i < layers.size(); i++) {
            ReportLayer l = layers.get(i);
            int y = topPad + i * rowH;
            h.raw("<a href=\"" + Html.esc(l.page()) + "\"><text x=\"" + (labelW - 8) + "\" y=\"" + (y + rowH / 2 + 4)
                    + "\" text-anchor=\"end\" fill=\"#1f4e8c\"><title>").text(l.name()).raw("</title>")
                    .text(shorten(l.name(), 26)).raw("</text></a>");
            double x = labelW;
            for (String c : categories) {
                int n = l.unitsPerCategory().getOrDefault(c, 0);
                if (n == 0) {
                    continue;
                }
                double w = plotW * (n / (double) Math.max(1, l.channels())) / axisMax;
                h.raw("<g><title>").text(c + ": " + n + " of " + l.channels() + " units ("
                        + Html.fixed(100.0 * n / l.channels(), 1) + "%)").raw("</title>");
                h.raw("<rect x=\"" + f(x) + "\" y=\"" + (y + 4) + "\" width=\"" + f(w) + "\" height=\"" + (rowH - 8)
                        + "\" fill=\"" + colour.apply(c) + "\"/>");
                if (w >= 8 + 7 * Integer.toString(n).length()) {
                    h.raw("<text x=\"" + f(x + w / 2) + "\" y=\"" + (y + rowH / 2 + 4) + "\" text-anchor=\"middle\" "
                            + "fill=\"#fff\" font-size=\"11\">" + n + "</text>");
                }
                h.raw("</g>");
                x += w;
            }
            h.raw("<text x=\"" + f(x + 6) + "\" y=\"" + (y + rowH / 2 + 4) + "\" fill=\"#444\" font-size=\"11\">"
                    + l.interpretable() + "/" + l.channels() + "</text>");
        }
        h.raw("</svg>");
    }

    /** A series of a curve: points at {@code x} with values {@code y}, a band {@code lo..hi} (NaN: none). */
    record Series(String name, String colour, double[] x, double[] y, double[] lo, double[] hi, boolean[] filled,
                  String[] tips) {
    }

    /** A horizontal reference line (chance, no ablation). */
    record Reference(String name, double y, String dash) {
    }

    /**
     * A line plot over a log2 x axis (1, 2, 4, ... units), y from {@code yMin} to {@code yMax}: each series a band
     * (its interval), a line and points with tooltips, filled where {@code filled}; reference lines dashed.
     */
    static void logCurve(Html h, String title, String xLabel, String yLabel, List<Series> series, List<Reference> refs,
                         double yMin, double yMax, boolean percent) {
        java.util.TreeSet<Double> xs = new java.util.TreeSet<>();
        for (Series s : series) {
            for (double x : s.x()) {
                if (x > 0) {
                    xs.add(x);
                }
            }
        }
        if (xs.isEmpty()) {
            h.raw("<p class=\"empty\">No points to plot.</p>");
            return;
        }
        int left = 54;
        int right = 18;
        int top = 12;
        int plotW = 380;
        int plotH = 210;
        int bottom = 44;
        int width = left + plotW + right;
        int height = top + plotH + bottom;
        double lx0 = Math.log(xs.first()) / Math.log(2);
        double lx1 = Math.log(xs.last()) / Math.log(2);
        double span = Math.max(1e-9, lx1 - lx0);
        java.util.function.DoubleUnaryOperator px = x -> xs.size() == 1 ? left + plotW / 2.0
                : left + 8 + (plotW - 16) * (Math.log(x) / Math.log(2) - lx0) / span;
        java.util.function.DoubleUnaryOperator py = y -> top + plotH - plotH * (Math.max(yMin, Math.min(yMax, y)) - yMin)
                / (yMax - yMin);
        openSvg(h, "chart curve", width, height, 11, title);
        for (int t = 0; t <= 4; t++) {
            double v = yMin + (yMax - yMin) * t / 4;
            double y = py.applyAsDouble(v);
            h.raw("<line x1=\"" + left + "\" x2=\"" + (left + plotW) + "\" y1=\"" + f(y) + "\" y2=\"" + f(y)
                    + "\" stroke=\"#e3e6ea\"/><text x=\"" + (left - 6) + "\" y=\"" + f(y + 4)
                    + "\" text-anchor=\"end\" fill=\"#666\">" + (percent ? Html.fixed(100 * v, 0) + "%" : Html.fixed(v, 2))
                    + "</text>");
        }
        List<Double> ticks = new ArrayList<>(xs);
        if (ticks.size() > 12) { // powers of two only, and the last
            List<Double> some = new ArrayList<>();
            for (double x : ticks) {
                double l = Math.log(x) / Math.log(2);
                if (Math.abs(l - Math.rint(l)) < 1e-9 && Math.rint(l) % Math.ceil(ticks.size() / 12.0) == 0) {
                    some.add(x);
                }
            }
            some.add(xs.last());
            ticks = some;
        }
        double lastTick = -1e9;
        for (double x : ticks) {
            double xp = px.applyAsDouble(x);
            h.raw("<line x1=\"" + f(xp) + "\" x2=\"" + f(xp) + "\" y1=\"" + top + "\" y2=\"" + (top + plotH)
                    + "\" stroke=\"#eef0f3\"/>");
            if (xp - lastTick >= 18 || x == xs.last()) {
                h.raw("<text x=\"" + f(xp) + "\" y=\"" + (top + plotH + 15) + "\" text-anchor=\"middle\" fill=\"#666\">"
                        + Html.esc(integerOrDecimal(x)) + "</text>");
                lastTick = xp;
            }
        }
        h.raw("<line x1=\"" + left + "\" x2=\"" + (left + plotW) + "\" y1=\"" + (top + plotH) + "\" y2=\""
                + (top + plotH) + "\" stroke=\"#999\"/><line x1=\"" + left + "\" x2=\"" + left + "\" y1=\"" + top
                + "\" y2=\"" + (top + plotH) + "\" stroke=\"#999\"/>");
        h.raw("<text x=\"" + (left + plotW / 2) + "\" y=\"" + (height - 6) + "\" text-anchor=\"middle\" fill=\"#444\">")
                .text(xLabel).raw("</text>");
        h.raw("<text transform=\"translate(14," + (top + plotH / 2) + ") rotate(-90)\" text-anchor=\"middle\" "
                + "fill=\"#444\">").text(yLabel).raw("</text>");
        for (Reference r : refs) {
            if (!(r.y() >= yMin && r.y() <= yMax)) {
                continue;
            }
            double y = py.applyAsDouble(r.y());
            h.raw("<g class=\"ref\"><title>").text(r.name() + ": " + (percent ? Html.fixed(100 * r.y(), 1) + "%"
                    : Html.fixed(r.y(), 3))).raw("</title><line x1=\"" + left + "\" x2=\"" + (left + plotW) + "\" y1=\""
                    + f(y) + "\" y2=\"" + f(y) + "\" stroke=\"#888\" stroke-dasharray=\"" + r.dash() + "\"/><text x=\""
                    + (left + plotW - 4) + "\" y=\"" + f(y - 4) + "\" text-anchor=\"end\" fill=\"#777\" font-size=\"10\">")
                    .text(r.name()).raw("</text></g>");
        }
        for (Series s : series) {
            StringBuilder band = new StringBuilder();
            boolean hasBand = true;
            for (int i = 0; i < s.x().length; i++) {
                hasBand &= Double.isFinite(s.lo()[i]) && Double.isFinite(s.hi()[i]);
                band.append(band.length() == 0 ? "" : " ").append(f(px.applyAsDouble(s.x()[i]))).append(',')
                        .append(f(py.applyAsDouble(s.hi()[i])));
            }
            for (int i = s.x().length - 1; i >= 0; i--) {
                band.append(' ').append(f(px.applyAsDouble(s.x()[i]))).append(',').append(f(py.applyAsDouble(s.lo()[i])));
            }
            h.raw("<g class=\"series\"" + Html.attr("data-series", s.name()) + ">");
            if (hasBand && s.x().length > 0) {
                h.raw("<polygon points=\"" + band + "\" fill=\"" + s.colour() + "\" fill-opacity=\"0.15\" stroke=\"none\"/>");
            }
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < s.x().length; i++) {
                line.append(i == 0 ? "" : " ").append(f(px.applyAsDouble(s.x()[i]))).append(',')
                        .append(f(py.applyAsDouble(s.y()[i])));
            }
            h.raw("<polyline points=\"" + line + "\" fill=\"none\" stroke=\"" + s.colour() + "\" stroke-width=\"2\"/>");
            for (int i = 0; i < s.x().length; i++) {
                h.raw("<circle cx=\"" + f(px.applyAsDouble(s.x()[i])) + "\" cy=\"" + f(py.applyAsDouble(s.y()[i]))
                        + "\" r=\"3.5\" stroke=\"" + s.colour() + "\" stroke-width=\"1.5\" fill=\""
                        + (s.filled()[i] ? s.colour() : "#fff") + "\"><title>").text(s.tips()[i]).raw("</title></circle>");
            }
            h.raw("</g>");
        }
        h.raw("</svg>");
    }

    /** A horizontal bar. */
    record Bar(String label, double value, String tip, String colour, String note) {
    }

    /** Horizontal bars of values in [0, 1] (rates), each labelled, with its value and a note beside it. */
    static void shareBars(Html h, String title, String xLabel, List<Bar> bars) {
        if (bars.isEmpty()) {
            h.raw("<p class=\"empty\">Nothing to draw.</p>");
            return;
        }
        int labelW = 150;
        int plotW = 420;
        int rowH = 24;
        int top = 6;
        int axisH = 36;
        int width = labelW + plotW + 150;
        int height = top + bars.size() * rowH + axisH;
        openSvg(h, "chart", width, height, 12, title);
        for (int t = 0; t <= 4; t++) {
            double x = labelW + plotW * t / 4.0;
            h.raw("<line x1=\"" + f(x) + "\" x2=\"" + f(x) + "\" y1=\"" + top + "\" y2=\"" + (top + bars.size() * rowH)
                    + "\" stroke=\"#e3e6ea\"/><text x=\"" + f(x) + "\" y=\"" + (top + bars.size() * rowH + 14)
                    + "\" text-anchor=\"middle\" fill=\"#666\" font-size=\"11\">" + (25 * t) + "%</text>");
        }
        h.raw("<text x=\"" + (labelW + plotW / 2) + "\" y=\"" + (height - 4) + "\" text-anchor=\"middle\" fill=\"#444\" "
                + "font-size=\"11\">").text(xLabel).raw("</text>");
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int y = top + i * rowH;
            double w = plotW * Math.max(0, Math.min(1, b.value()));
            h.raw("<g><title>").text(b.tip()).raw("</title><text x=\"" + (labelW - 8) + "\" y=\"" + (y + rowH / 2 + 4)
                    + "\" text-anchor=\"end\" fill=\"#333\">").text(shorten(b.label(), 20)).raw("</text><rect x=\""
                    + labelW + "\" y=\"" + (y + 4) + "\" width=\"" + f(w) + "\" height=\"" + (rowH - 8) + "\" rx=\"2\" fill=\""
                    + b.colour() + "\"/><text x=\"" + f(labelW + w + 6) + "\" y=\"" + (y + rowH / 2 + 4)
                    + "\" fill=\"#444\" font-size=\"11\">").text(Html.fixed(100 * b.value(), 1) + "% " + b.note())
                    .raw("</text></g>");
        }
        h.raw("</svg>");
    }

    static String integerOrDecimal(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Html.sig(x);
    }

    /** Colour swatches naming each category. */
    static void legend(Html h, List<String> categories, Function<String, String> colour) {
        h.raw("<ul class=\"legend\">");
        for (String c : categories) {
            h.raw("<li><span class=\"swatch\" style=\"background:" + colour.apply(c) + "\"></span>").text(c).raw("</li>");
        }
        h.raw("</ul>");
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }

    private static int niceStep(int max) {
        int[] steps = {1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000};
        for (int s : steps) {
            if (max / s <= 5) {
                return s;
            }
        }
        return (max / 5 / 1000 + 1) * 1000;
    }

    private static double niceShare(double share) {
        double[] tops = {0.02, 0.04, 0.05, 0.1, 0.2, 0.25, 0.4, 0.5, 0.6, 0.8, 1.0};
        for (double t : tops) {
            if (share <= t + 1e-12) {
                return t;
            }
        }
        return 1.0;
    }

    private static String f(double v) {
        return Html.fixed(v, 1);
    }

}

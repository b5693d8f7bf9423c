package org.jdissect.report;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.DoubleUnaryOperator;

import gg.jte.Content;

/**
 * The report's charts as inline SVG: each method lays a chart out (every coordinate is computed here) and returns
 * it as markup from its template, where every name is escaped; every bar and point has a tooltip with its numbers.
 */
public final class Charts {
    private Charts() {
    }

    // ---- what callers give -----------------------------------------------------------------------------------

    /** A vertical bar: its label under it, its value over it, and its tooltip. */
    public record Bar(String label, int value, String tip) {
    }

    /** Bars drawn side by side in one colour, a gap before the next group. */
    public record BarGroup(String colour, List<Bar> bars) {
    }

    /** A row of a stacked chart: a linked label, segments that add up to {@code counted} of {@code total}. */
    public record Row(String label, String href, int counted, int total, List<Segment> segments) {
    }

    /** A part of a row: {@code value} of the row's total, drawn as its share. */
    public record Segment(int value, String colour, String tip) {
    }

    /** A series of a curve: points at {@code x} with values {@code y}, a band {@code lo..hi} (NaN: none). */
    public record Series(String name, String colour, double[] x, double[] y, double[] lo, double[] hi,
                         boolean[] filled, String[] tips) {
    }

    /** A horizontal reference line (chance, no ablation), dashed as {@code dash}. */
    public record Reference(String name, double y, String dash) {
    }

    /**
     * A horizontal bar of a rate in [0, 1], with a note beside its value, its interval {@code lo..hi} drawn as a
     * whisker (NaN: none), and optionally a baseline to compare with, drawn as a thinner bar under it.
     */
    public record Share(String label, double value, double lo, double hi, String tip, String colour, String note,
                        Share baseline) {
        public Share(String label, double value, String tip, String colour, String note) {
            this(label, value, Double.NaN, Double.NaN, tip, colour, note, null);
        }
    }

    /** An entry of a legend: a swatch of {@code colour} (none when null) and its text. */
    public record Key(String colour, String text) {
    }

    // ---- what templates get ----------------------------------------------------------------------------------

    /** The svg element: class, size at scale 1, font size and accessible title. */
    record Frame(String cls, int width, int height, int fontSize, String title) {
    }

    /** A gridline with its value label. */
    record Tick(String x1, String x2, String y1, String y2, String tx, String ty, String text) {
    }

    record BarsView(Frame frame, List<Tick> ticks, String axisTransform, String axisLabel, int left, int right,
                    int baseline, List<BarView> bars) {
    }

    record BarView(String tip, int x, String y, int width, String height, String colour, int valueX, String valueY,
                   int value, int labelX, int labelY, String label) {
    }

    record RowsView(Frame frame, List<Tick> ticks, int axisX, int axisY, String axisLabel, List<RowView> rows) {
    }

    record RowView(String href, String title, String label, int labelX, int textY, List<SegmentView> segments,
                   String noteX, String note) {
    }

    record SegmentView(String tip, String x, int y, String width, int height, String colour, String textX, String text) {
    }

    record CurveView(Frame frame, List<Tick> yTicks, List<Tick> xTicks, int left, int right, int top, int bottom,
                     int refX, String xLabelX, int xLabelY, String xLabel, String yLabelTransform, String yLabel,
                     List<ReferenceView> refs, List<SeriesView> series) {
    }

    record ReferenceView(String tip, String y, String dash, String textY, String name) {
    }

    record SeriesView(String name, String colour, String band, String line, List<PointView> points) {
    }

    record PointView(String cx, String cy, String fill, String tip) {
    }

    record SharesView(Frame frame, List<Tick> ticks, int axisX, int axisY, String axisLabel, List<ShareView> bars) {
    }

    record ShareView(String tip, int labelX, int textY, String label, int barX, int barY, String width, int height,
                     String colour, String valueX, String value, WhiskerView whisker, ShareView baseline) {
    }

    /** An interval's whisker: a line from x1 to x2 at y, with end caps of half-height {@code cap}. */
    record WhiskerView(String x1, String x2, String y, String top, String bottom) {
    }

    // ---- the charts ------------------------------------------------------------------------------------------

    /**
     * NetDissect's bar graph: bars in groups, each group in its colour, labels rotated under the bars; {@code empty}
     * says why there is nothing when there are no bars.
     */
    public static Chart groupedBars(String title, String valueLabel, List<BarGroup> groups, String empty) {
        List<BarGroup> drawn = groups.stream().filter(g -> !g.bars().isEmpty()).toList();
        int count = drawn.stream().mapToInt(g -> g.bars().size()).sum();
        if (count == 0) {
            return new Chart(Templates.empty(empty), false);
        }
        int max = 1;
        int longest = 0;
        for (BarGroup g : drawn) {
            for (Bar b : g.bars()) {
                max = Math.max(max, b.value());
                longest = Math.max(longest, Math.min(18, b.label().length()));
            }
        }
        int step = niceStep(max);
        int top = ((max + step - 1) / step) * step;
        int pitch = Math.max(22, Math.min(48, 640 / count)); // few bars get wider ones
        int barW = pitch * 3 / 4;
        int groupGap = 14;
        // labels are rotated by 55 degrees and end under their bar: room for the first one on the left
        double labelW = longest * 6.2;
        int left = Math.max(40, (int) Math.ceil(labelW * Math.cos(Math.toRadians(55)) - barW / 2.0 + 6));
        int plotH = 150;
        int topPad = 18;
        int labelH = (int) Math.ceil(labelW * Math.sin(Math.toRadians(55))) + 16;
        int width = left + count * pitch + (drawn.size() - 1) * groupGap + 10;
        int height = topPad + plotH + labelH;
        List<Tick> ticks = new ArrayList<>();
        for (int v = 0; v <= top; v += step) {
            double y = topPad + plotH - plotH * (double) v / top;
            ticks.add(new Tick(Integer.toString(left), Integer.toString(width - 6), f(y), f(y),
                    Integer.toString(left - 6), f(y + 4), Integer.toString(v)));
        }
        List<BarView> bars = new ArrayList<>(count);
        int x = left + 4;
        for (int g = 0; g < drawn.size(); g++) {
            if (g > 0) {
                x += groupGap;
            }
            for (Bar b : drawn.get(g).bars()) {
                double bh = plotH * (double) b.value() / top;
                double y = topPad + plotH - bh;
                bars.add(new BarView(b.tip(), x, f(y), barW, f(bh), drawn.get(g).colour(), x + barW / 2, f(y - 3),
                        b.value(), x + barW / 2 + 4, topPad + plotH + 8, Format.shorten(b.label(), 18)));
                x += pitch;
            }
        }
        return new Chart(Templates.bars(new BarsView(new Frame("chart", width, height, 11, title), ticks,
                "translate(" + (left - 29) + "," + (topPad + plotH / 2) + ") rotate(-90)", valueLabel, left,
                width - 6, topPad + plotH, bars)), true);
    }

    /**
     * Rows of segments, each segment drawn as its share of its row's total (so that rows of different totals
     * compare), its value written in it where it fits; {@code counted/total} beside each row.
     */
    public static Chart stackedShares(String title, String axisLabel, List<Row> rows, String empty) {
        double maxShare = 0;
        for (Row r : rows) {
            maxShare = Math.max(maxShare, r.counted() / (double) Math.max(1, r.total()));
        }
        if (maxShare == 0) {
            return new Chart(Templates.empty(empty), false);
        }
        double axisMax = niceShare(maxShare);
        int labelW = 190;
        int plotW = 560;
        int rowH = 26;
        int topPad = 8;
        int axisH = 34;
        int width = labelW + plotW + 60;
        int height = topPad + rows.size() * rowH + axisH;
        List<Tick> ticks = new ArrayList<>();
        int ticksN = 4;
        for (int t = 0; t <= ticksN; t++) {
            double share = axisMax * t / ticksN;
            double x = labelW + plotW * share / axisMax;
            ticks.add(new Tick(f(x), f(x), Integer.toString(topPad), Integer.toString(topPad + rows.size() * rowH),
                    f(x), Integer.toString(topPad + rows.size() * rowH + 14),
                    Format.fixed(100 * share, axisMax < 0.1 ? 1 : 0) + "%"));
        }
        List<RowView> views = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            int y = topPad + i * rowH;
            double x = labelW;
            List<SegmentView> segments = new ArrayList<>();
            for (Segment s : r.segments()) {
                if (s.value() == 0) {
                    continue;
                }
                double w = plotW * (s.value() / (double) Math.max(1, r.total())) / axisMax;
                boolean fits = w >= 8 + 7 * Integer.toString(s.value()).length();
                segments.add(new SegmentView(s.tip(), f(x), y + 4, f(w), rowH - 8, s.colour(), f(x + w / 2),
                        fits ? Integer.toString(s.value()) : null));
                x += w;
            }
            views.add(new RowView(r.href(), r.label(), Format.shorten(r.label(), 26), labelW - 8, y + rowH / 2 + 4,
                    segments, f(x + 6), r.counted() + "/" + r.total()));
        }
        return new Chart(Templates.rows(new RowsView(new Frame("chart", width, height, 12, title), ticks,
                labelW + plotW / 2, height - 4, axisLabel, views)), true);
    }

    /**
     * A line plot over a log2 x axis (1, 2, 4, ... units), y from {@code yMin} to {@code yMax}: each series a band
     * (its interval), a line and points with tooltips, filled where {@code filled}; reference lines dashed.
     */
    public static Chart logCurve(String title, String xLabel, String yLabel, List<Series> series,
                                   List<Reference> refs, double yMin, double yMax, boolean percent) {
        TreeSet<Double> xs = new TreeSet<>();
        for (Series s : series) {
            for (double x : s.x()) {
                if (x > 0) {
                    xs.add(x);
                }
            }
        }
        if (xs.isEmpty()) {
            return new Chart(Templates.empty("No points to plot."), false);
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
        DoubleUnaryOperator px = x -> xs.size() == 1 ? left + plotW / 2.0
                : left + 8 + (plotW - 16) * (Math.log(x) / Math.log(2) - lx0) / span;
        DoubleUnaryOperator py = y -> top + plotH - plotH * (Math.max(yMin, Math.min(yMax, y)) - yMin) / (yMax - yMin);
        List<Tick> yTicks = new ArrayList<>();
        for (int t = 0; t <= 4; t++) {
            double v = yMin + (yMax - yMin) * t / 4;
            double y = py.applyAsDouble(v);
            yTicks.add(new Tick(Integer.toString(left), Integer.toString(left + plotW), f(y), f(y),
                    Integer.toString(left - 6), f(y + 4), percent ? Format.fixed(100 * v, 0) + "%" : Format.fixed(v, 2)));
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
        List<Tick> xTicks = new ArrayList<>();
        double lastTick = -1e9;
        for (double x : ticks) {
            double xp = px.applyAsDouble(x);
            String text = null;
            if (xp - lastTick >= 18 || x == xs.last()) {
                text = Format.integerOrDecimal(x);
                lastTick = xp;
            }
            xTicks.add(new Tick(f(xp), f(xp), Integer.toString(top), Integer.toString(top + plotH), f(xp),
                    Integer.toString(top + plotH + 15), text));
        }
        List<ReferenceView> refViews = new ArrayList<>();
        for (Reference r : refs) {
            if (!(r.y() >= yMin && r.y() <= yMax)) {
                continue;
            }
            double y = py.applyAsDouble(r.y());
            refViews.add(new ReferenceView(r.name() + ": " + (percent ? Format.fixed(100 * r.y(), 1) + "%"
                    : Format.fixed(r.y(), 3)), f(y), r.dash(), f(y - 4), r.name()));
        }
        List<SeriesView> seriesViews = new ArrayList<>();
        for (Series s : series) {
            StringBuilder band = new StringBuilder();
            boolean hasBand = s.x().length > 0;
            for (int i = 0; i < s.x().length; i++) {
                hasBand &= Double.isFinite(s.lo()[i]) && Double.isFinite(s.hi()[i]);
                band.append(band.length() == 0 ? "" : " ").append(f(px.applyAsDouble(s.x()[i]))).append(',')
                        .append(f(py.applyAsDouble(s.hi()[i])));
            }
            for (int i = s.x().length - 1; i >= 0; i--) {
                band.append(' ').append(f(px.applyAsDouble(s.x()[i]))).append(',').append(f(py.applyAsDouble(s.lo()[i])));
            }
            StringBuilder line = new StringBuilder();
            List<PointView> points = new ArrayList<>();
            for (int i = 0; i < s.x().length; i++) {
                String cx = f(px.applyAsDouble(s.x()[i]));
                String cy = f(py.applyAsDouble(s.y()[i]));
                line.append(i == 0 ? "" : " ").append(cx).append(',').append(cy);
                points.add(new PointView(cx, cy, s.filled()[i] ? s.colour() : "#fff", s.tips()[i]));
            }
            seriesViews.add(new SeriesView(s.name(), s.colour(), hasBand ? band.toString() : null, line.toString(),
                    points));
        }
        return new Chart(Templates.curve(new CurveView(new Frame("chart curve", width, height, 11, title), yTicks,
                xTicks, left, left + plotW, top, top + plotH, left + plotW - 4, Integer.toString(left + plotW / 2),
                height - 6, xLabel, "translate(14," + (top + plotH / 2) + ") rotate(-90)", yLabel, refViews,
                seriesViews)), true);
    }

    /**
     * Horizontal bars of rates in [0, 1], each labelled, with its value and a note beside it, its interval as a
     * whisker where it has one, and its baseline as a thinner grey-edged bar under it where it has one.
     */
    public static Chart shareBars(String title, String xLabel, List<Share> shares) {
        if (shares.isEmpty()) {
            return new Chart(Templates.empty("Nothing to draw."), false);
        }
        boolean paired = shares.stream().anyMatch(b -> b.baseline() != null);
        int labelW = 150;
        int plotW = 420;
        int rowH = paired ? 34 : 24;
        int top = 6;
        int axisH = 36;
        int width = labelW + plotW + 170;
        int height = top + shares.size() * rowH + axisH;
        List<Tick> ticks = new ArrayList<>();
        for (int t = 0; t <= 4; t++) {
            double x = labelW + plotW * t / 4.0;
            ticks.add(new Tick(f(x), f(x), Integer.toString(top), Integer.toString(top + shares.size() * rowH), f(x),
                    Integer.toString(top + shares.size() * rowH + 14), (25 * t) + "%"));
        }
        List<ShareView> bars = new ArrayList<>();
        for (int i = 0; i < shares.size(); i++) {
            Share b = shares.get(i);
            int y = top + i * rowH;
            int barH = paired ? 14 : rowH - 8;
            ShareView base = null;
            if (b.baseline() != null) {
                base = shareView(b.baseline(), labelW, plotW, y + 4 + barH + 2, 9, null);
            }
            bars.add(shareView(b, labelW, plotW, y + 4, barH, base));
        }
        return new Chart(Templates.shares(new SharesView(new Frame("chart", width, height, 12, title), ticks,
                labelW + plotW / 2, height - 4, xLabel, bars)), true);
    }

    private static ShareView shareView(Share b, int labelW, int plotW, int y, int h, ShareView baseline) {
        DoubleUnaryOperator px = v -> labelW + plotW * Math.max(0, Math.min(1, v));
        double w = px.applyAsDouble(b.value()) - labelW;
        WhiskerView whisker = null;
        double right = labelW + w;
        if (Double.isFinite(b.lo()) && Double.isFinite(b.hi())) {
            double mid = y + h / 2.0;
            double cap = Math.min(4, h / 2.0);
            whisker = new WhiskerView(f(px.applyAsDouble(b.lo())), f(px.applyAsDouble(b.hi())), f(mid), f(mid - cap),
                    f(mid + cap));
            right = Math.max(right, px.applyAsDouble(b.hi()));
        }
        int textY = y + h / 2 + 4;
        return new ShareView(b.tip(), labelW - 8, textY, b.label() == null ? null : Format.shorten(b.label(), 20),
                labelW, y, f(w), h, b.colour(), f(right + 6), Format.fixed(100 * b.value(), 1) + "% " + b.note(),
                whisker, baseline);
    }

    /** {@code <ul class="legend">}: a swatch and a name per key. */
    public static Content legend(List<Key> keys) {
        return Templates.legend(keys);
    }

    /** A legend of categories in their palette's colours. */
    public static Content legend(CategoryPalette palette) {
        List<Key> keys = new ArrayList<>();
        for (String c : palette.categories()) {
            keys.add(new Key(palette.colour(c), c));
        }
        return legend(keys);
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
        return Format.fixed(v, 1);
    }
}

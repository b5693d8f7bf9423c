package org.jdissect.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;


import org.jdissect.io.Threads;
import org.jdissect.JdissectException;
import org.jdissect.dissect.ActivationCache;
import org.jdissect.dissect.DissectionOutput;
import org.jdissect.dissect.DissectionResult;
import org.jdissect.dissect.ImageStore;
import org.jdissect.dissect.LayerRecord;
import org.jdissect.io.Json;
import org.jdissect.io.Provenance;
import org.jdissect.io.ProgressListener;

/**
 * The HTML report of a dissection: {@code OUT/report/index.html} and one page per layer, a static site that works
 * from {@code file://} with nothing fetched from elsewhere. It is built from the files a dissection leaves in OUT
 * alone ({@code <layer>/report.json}, the activation cache, and the dataset that report.json names), so it can be
 * written again at any time with {@code jdissect report OUT}.
 *
 * <p>Per layer: the NetDissect headline, units per concept (SVG), a sortable, filterable table of every unit, and a
 * card per unit with its top images, each with the unit's thresholded mask drawn over it. Across layers: units per
 * category by layer. Experiments add sections through {@link ReportExtension}s.
 *
 * <p>The site is written to a temporary folder and swapped in when complete.
 */
public final class HtmlReport {
    private static final System.Logger LOG = System.getLogger(HtmlReport.class.getName());
    /** Extensions every report includes; an experiment adds its own here. */
    public static final List<ReportExtension> EXTENSIONS = List.of(new InterventionPages(), new GanExperimentPages());

    static final String[] PALETTE = {"#d1495b", "#2e86ab", "#3f9c4a", "#8e5ea2", "#e08e0b", "#1b998b", "#a0522d",
        "#c2549d", "#5c6b7a", "#9aa21b"};

    private final Builder b;
    private final Path site;
    private ActivationCache.Snapshot cache;
    /** What OUT holds, and the parts of it the pages read most. */
    private ReportInput input;
    private LayerRecord first;
    private List<String> categories;
    private List<ReportLayer> layers;
    private Map<ReportLayer, Map<String, Double>> timings;
    private final Map<String, Integer> cacheIndex = new HashMap<>();
    private final java.util.Set<Integer> pngThumbnails = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** A gan-dissect output: top-sample strips instead of dataset images and masks. */
    private boolean gan;
    /** Width x height of each GAN unit's strip of top samples, by its link. */
    private final Map<String, int[]> stripSizes = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Object> memo = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Integer, String> thumbnailLinks = new java.util.concurrent.ConcurrentHashMap<>();
    private List<Path> resultFiles;

    private HtmlReport(Builder b, Path site) {
        this.b = b;
        this.site = site;
    }

    public static Builder builder(Path out) {
        return new Builder(out);
    }

    /** What was written and how long it took. */
    public record Result(Path index, int layers, int units, int images, double seconds, double dissectionSeconds) {
    }

    public static final class Builder {
        private final Path out;
        private Path data;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int thumbnail = 96;
        private ProgressListener progress = ProgressListener.NONE;
        private final List<ReportExtension> extensions = new ArrayList<>(EXTENSIONS);
        private DissectionResult dissection;

        private Builder(Path out) {
            this.out = out;
        }

        /** Where the dataset is now, when it has moved since the dissection (report.json records where it was). */
        public Builder data(Path v) { data = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        /** A thumbnail's longest side in pixels (default 96). */
        public Builder thumbnail(int v) { thumbnail = v; return this; }
        public Builder progress(ProgressListener v) { progress = v; return this; }
        public Builder extension(ReportExtension v) { extensions.add(v); return this; }
        /**
         * The dissection that just wrote OUT, still in memory: its results and open dataset are used instead of
         * reading report.json and the dataset's index back (the same values, without the time).
         */
        public Builder dissection(DissectionResult v) { dissection = v; return this; }

        /** Writes {@code OUT/report/}, replacing an earlier report. */
        public Result write() {
            if (threads < 1) {
                throw JdissectException.usage("--threads must be >= 1, got " + threads);
            }
            if (thumbnail < 16 || thumbnail > 512) {
                throw JdissectException.usage("the thumbnail size must be between 16 and 512 pixels, got " + thumbnail);
            }
            if (!Files.isDirectory(out)) {
                throw new JdissectException("no dissection output in " + out + " (not a folder)");
            }
            return new HtmlReport(this, out.resolve(".report.tmp")).run();
        }
    }

    private Result run() {
        long start = System.nanoTime();
        try (DissectionOutput output = b.dissection != null ? DissectionOutput.of(b.dissection)
                : DissectionOutput.open(b.out)) {
            cache = output.cache();
            ReportInput in = ReportInput.of(output);
            input = in;
            first = in.first();
            categories = in.categories();
            layers = in.layers();
            timings = in.timings();
            gan = in.gan();
            if (gan) {
                return writeSite(start, this::copyTopStrips);
            }
            ImageStore images = output.images(b.data);
            return writeSite(start, context -> drawUnitImages(images, context));
        }
    }

    /** What fills the site's images, returning how many images it drew. */
    @FunctionalInterface
    private interface ImageWork {
        int draw(Context context) throws IOException;
    }

    /** Builds the site in the temporary folder (style, images, pages), then swaps it in as OUT/report. */
    private Result writeSite(long start, ImageWork images) {
        try {
            deleteTree(site);
            Files.createDirectories(site);
            copyResource("report.css");
            copyResource("report.js");
            Context context = new Context();
            int drawn = images.draw(context);
            double seconds = (System.nanoTime() - start) / 1e9;
            double dissection = input.dissectionSeconds();
            writeIndex(context, seconds, dissection);
            Path report = install();
            int units = layers.stream().mapToInt(l -> l.units().size()).sum();
            return new Result(report.resolve("index.html"), layers.size(), units, drawn,
                    (System.nanoTime() - start) / 1e9, dissection);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report in " + b.out.resolve("report") + ": "
                    + e.getMessage(), e);
        } finally {
            try {
                deleteTree(site);
            } catch (IOException e) {
                // a leftover temporary folder is replaced by the next report
            }
        }
    }

    /** Swaps the finished site in for the old report. */
    private Path install() throws IOException {
        Path report = b.out.resolve("report");
        Path old = b.out.resolve(".report.old");
        deleteTree(old);
        if (Files.exists(report)) {
            Files.move(report, old);
        }
        Files.move(site, report);
        deleteTree(old);
        return report;
    }

    // ---- a generator's output ------------------------------------------------------------------------------

    /**
     * The dissection output that {@code dir} is, or lies in (up to three folders up). Commands whose results land
     * there rewrite its report.
     */
    public static java.util.Optional<Path> dissectionAt(Path dir) {
        return DissectionOutput.find(dir);
    }

    private static String stripFile(ReportLayer layer, int unit) {
        return String.format("img/%s/top/unit_%04d.png", layer.dir(), unit);
    }

    /** Copies each unit's strip of top samples into the report, then writes the layer pages; returns the samples. */
    private int copyTopStrips(Context context) throws IOException {
        ExecutorService pool = Threads.pool("report", b.threads);
        int total = 0;
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (ReportLayer l : layers) {
                Files.createDirectories(site.resolve("img").resolve(l.dir()).resolve("top"));
                for (ReportLayer.Unit u : l.units()) {
                    if (u.top().isEmpty()) {
                        continue;
                    }
                    total += u.top().size();
                    String link = stripFile(l, u.unit());
                    Path from = b.out.resolve(l.dir()).resolve(link.substring(link.indexOf("/top/") + 1));
                    futures.add(pool.submit(() -> {
                        if (Files.isRegularFile(from)) {
                            int[] size = pngSize(from);
                            Files.copy(from, site.resolve(link));
                            stripSizes.put(link, size);
                        }
                        return null;
                    }));
                }
            }
            Threads.awaitAll(futures);
            futures.clear();
            for (ReportLayer l : layers) {
                futures.add(pool.submit(() -> {
                    writeLayerPage(l, context);
                    return null;
                }));
            }
            Threads.awaitAll(futures);
        } finally {
            pool.shutdownNow();
        }
        return total;
    }

    /** Width and height of a PNG, from its header. */
    static int[] pngSize(Path png) throws IOException {
        byte[] head = new byte[24];
        try (InputStream in = Files.newInputStream(png)) {
            if (in.readNBytes(head, 0, 24) < 24 || head[1] != 'P' || head[2] != 'N' || head[3] != 'G') {
                throw new JdissectException(png + " is not a PNG");
            }
        }
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(head);
        return new int[] {bb.getInt(16), bb.getInt(20)};
    }

    // ---- unit images ---------------------------------------------------------------------------------------

    /**
     * Units whose mask strips share one overlay file, one strip below the other: a layer of 2,048 units needs 64
     * files, not 2,048 (creating files is what a busy disk does slowest); each card shows its row of the sprite.
     */
    static final int SPRITE_UNITS = 32;

    private static String spriteFile(ReportLayer layer, int block) {
        return "img/" + layer.dir() + "/m" + block + ".png";
    }

    /** Width and height of sprite {@code block} of a layer: its widest strip, a row per unit. */
    private int[] spriteSize(ReportLayer l, int block) {
        int first = block * SPRITE_UNITS;
        int last = Math.min(l.units().size(), first + SPRITE_UNITS);
        int cells = 1;
        for (int i = first; i < last; i++) {
            cells = Math.max(cells, l.units().get(i).top().size());
        }
        return new int[] {cells * b.thumbnail + (cells - 1) * UnitImages.GAP, (last - first) * b.thumbnail};
    }

    private String thumbnailFile(int row) {
        return "img/base/r" + row + (pngThumbnails.contains(row) ? ".png" : ".jpg");
    }

    /** The dataset row of a top image: the images named in report.json are found among the cached rows. */
    private int rowOf(ReportLayer l, ReportLayer.Unit u, String image) {
        Integer index = cacheIndex.get(image);
        if (index == null) {
            throw new JdissectException(l.reportJson() + ": top image " + image + " of unit " + u.unit()
                    + " is not among the cached images of the dataset");
        }
        return cache.rows().get(index);
    }

    /**
     * Draws the thumbnails (once per image, however many units share it), then every unit's mask overlay and the
     * layer pages, in parallel; returns how many top images the overlays cover.
     */
    private int drawUnitImages(ImageStore dataset, Context context) throws IOException {
        List<Integer> rows = cache.rows();
        for (int i = 0; i < rows.size(); i++) {
            int row = rows.get(i);
            if (row < 0 || row >= dataset.size()) {
                throw new JdissectException("the activation cache names image " + row + ", but " + dataset.where()
                        + " has " + dataset.size() + "; run the dissection again");
            }
            cacheIndex.putIfAbsent(dataset.name(row), i);
        }
        UnitImages images = new UnitImages(b.thumbnail, 0.88f);
        java.util.Set<Integer> needed = new java.util.TreeSet<>();
        int total = 0;
        int strips = 0;
        for (ReportLayer l : layers) {
            Files.createDirectories(site.resolve("img").resolve(l.dir()));
            for (ReportLayer.Unit u : l.units()) {
                for (ReportLayer.TopImage t : u.top()) {
                    needed.add(rowOf(l, u, t.image()));
                }
                total += u.top().size();
                strips += u.top().isEmpty() ? 0 : 1;
            }
        }
        Files.createDirectories(site.resolve("img/base"));
        Map<Integer, UnitImages.Geometry> geometry = new java.util.concurrent.ConcurrentHashMap<>();
        ThreadLocal<UnitImages.Scratch> scratch = ThreadLocal.withInitial(UnitImages.Scratch::new);
        ExecutorService pool = Threads.pool("report", b.threads);
        try {
            try (ProgressListener.Tracker bar = b.progress.begin("report: thumbnails", needed.size())) {
                List<Future<?>> futures = new ArrayList<>();
                for (int row : needed) {
                    futures.add(pool.submit(() -> {
                        UnitImages.Scratch s = scratch.get();
                        BufferedImage image = dataset.read(row, s.decoder);
                        if (images.png(image.getHeight(), image.getWidth())) {
                            pngThumbnails.add(row);
                        }
                        try (OutputStream out = new java.io.BufferedOutputStream(
                                Files.newOutputStream(site.resolve(thumbnailFile(row))), 1 << 14)) {
                            geometry.put(row, images.writeThumbnail(image, out, s));
                        }
                        bar.advance(1);
                        return null;
                    }));
                }
                Threads.awaitAll(futures);
            }
            try (ProgressListener.Tracker bar = b.progress.begin("report: unit masks", strips)) {
                List<Future<?>> futures = new ArrayList<>();
                for (ReportLayer l : layers) { // the pages need only the thumbnails' names: written beside the masks
                    futures.add(pool.submit(() -> {
                        writeLayerPage(l, context);
                        return null;
                    }));
                }
                for (ReportLayer l : layers) {
                    ActivationCache.LayerMaps maps = cache.maps(l.name(), l.channels(), l.height(), l.width());
                    for (int block = 0; block * SPRITE_UNITS < l.units().size(); block++) {
                        int k = block;
                        futures.add(pool.submit(() -> {
                            drawSprite(l, k, maps, images, scratch.get(), geometry, bar);
                            return null;
                        }));
                    }
                }
                Threads.awaitAll(futures);
            }
        } finally {
            pool.shutdownNow();
        }
        return total;
    }

    private void drawSprite(ReportLayer l, int block, ActivationCache.LayerMaps maps, UnitImages images,
                            UnitImages.Scratch s, Map<Integer, UnitImages.Geometry> geometry,
                            ProgressListener.Tracker bar) throws IOException {
        int[] size = spriteSize(l, block);
        byte[] overlay = s.sprite(size[0] * size[1]);
        short[] map = s.map(l.height() * l.width());
        int first = block * SPRITE_UNITS;
        int last = Math.min(l.units().size(), first + SPRITE_UNITS);
        boolean any = false;
        for (int i = first; i < last; i++) {
            ReportLayer.Unit u = l.units().get(i);
            for (int r = 0; r < u.top().size(); r++) {
                int index = cacheIndex.get(u.top().get(r).image());
                UnitImages.Geometry g = geometry.get(cache.rows().get(index));
                maps.read(index, u.unit() - 1, map);
                images.drawUnitMask(overlay, size[0], (i - first) * b.thumbnail, r, map, l.height(), l.width(),
                        u.threshold(), g, s);
            }
            if (!u.top().isEmpty()) {
                any = true;
                bar.advance(1);
            }
        }
        if (any) {
            java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(1 << 16);
            images.writeOverlay(overlay, size[0], size[1], buf);
            Files.write(site.resolve(spriteFile(l, block)), buf.toByteArray());
        }
    }

    // ---- pages ---------------------------------------------------------------------------------------------

    String colour(String category) {
        int i = categories.indexOf(category);
        return PALETTE[Math.floorMod(i < 0 ? category.hashCode() : i, PALETTE.length)];
    }

    private String page(String title, String current, Consumer<Html> body) {
        Html h = new Html(1 << 16);
        h.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
                .text(title).raw(" \u2014 jdissect</title><link rel=\"stylesheet\" href=\"report.css\">"
                        + "<script src=\"report.js\" defer></script></head>\n<body>");
        h.raw("<header class=\"top\"><a class=\"brand\" href=\"index.html\">jdissect <span>report</span></a><nav>");
        for (ReportLayer l : layers) {
            h.raw("<a href=\"" + Html.esc(l.page()) + "\"" + (l.page().equals(current) ? " aria-current=\"page\"" : "")
                    + Html.attr("title", l.name()) + ">").text(Charts.shorten(l.name(), 28)).raw("</a>");
        }
        h.raw("</nav></header>\n<main>");
        body.accept(h);
        h.raw("</main>\n<footer>Written by jdissect from ").text(b.out.toAbsolutePath().normalize().toString())
                .raw(". Units are numbered from 1, as in tally.csv.</footer>\n</body></html>\n");
        return h.toString();
    }

    private void section(Html h, ReportSection s) {
        h.raw("<section" + Html.attr("id", s.id()) + ">").element("h2", s.title());
        s.body().accept(h);
        h.raw("</section>\n");
    }

    private void writeIndex(Context context, double seconds, double dissection) {
        String html = page("Network dissection", "index.html", h -> {
            List<Provenance.Model> models = first.provenance().models();
            String layerCount = layers.size() + (layers.size() == 1 ? " layer" : " layers");
            if (first.source() instanceof LayerRecord.Source.Generated g) {
                h.raw("<section class=\"intro\"><h1>GAN dissection</h1><p class=\"sub\">")
                        .text(fileName(models.get(0).path())).raw(", labelled by ")
                        .text(fileName(models.get(1).path())).raw(" \u00b7 ")
                        .text(g.images() + " samples of seed " + g.seed() + " \u00b7 " + layerCount)
                        .raw("</p></section>\n");
            } else {
                String data = first.source() instanceof LayerRecord.Source.Broden br ? br.dataset()
                        : ((LayerRecord.Source.SegmentedImages) first.source()).folder();
                h.raw("<section class=\"intro\"><h1>Network dissection</h1><p class=\"sub\">")
                        .text(fileName(models.get(0).path())).raw(" on ")
                        .text(fileName(data)).raw(" \u00b7 ")
                        .text(first.source().images() + " images \u00b7 " + layerCount).raw("</p></section>\n");
            }

            h.raw("<section id=\"layers\"><h2>Layers</h2><div class=\"tablewrap\"><table class=\"layers\"><thead><tr>"
                    + "<th>layer</th><th>op</th><th class=\"num\">C \u00d7 H \u00d7 W</th><th>interpretable units</th>");
            for (String c : categories) {
                h.raw("<th class=\"num\"><span class=\"dot\" style=\"background:" + colour(c) + "\"></span>")
                        .text(c).raw("</th>");
            }
            h.raw("</tr></thead><tbody>");
            for (ReportLayer l : layers) {
                h.raw("<tr><td><a" + Html.attr("href", l.page()) + ">").text(l.name()).raw("</a></td><td>")
                        .text(l.op()).raw("</td><td class=\"num\">" + l.channels() + " \u00d7 " + l.height() + " \u00d7 "
                                + l.width() + "</td><td class=\"headline\"" + Html.attr("data-layer", l.name()) + ">")
                        .text(l.headline()).raw("</td>");
                for (String c : categories) {
                    h.raw("<td class=\"num\">" + l.unitsPerCategory().getOrDefault(c, 0) + "</td>");
                }
                h.raw("</tr>");
            }
            h.raw("</tbody></table></div></section>\n");

            h.raw("<section id=\"by-layer\"><h2>Units per category by layer</h2><p class=\"note\">Interpretable "
                    + "units (IoU \u2265 ").text(Double.toString(first.settings().iouThreshold())).raw(") of each category, "
                    + "as a share of the layer's units. Hover a bar for its numbers.</p>");
            Charts.legend(h, categories, this::colour);
            h.raw("<div class=\"chartwrap\">");
            Charts.categoriesByLayer(h, layers, categories, this::colour);
            h.raw("</div></section>\n");

            for (ReportExtension e : b.extensions) {
                for (ReportSection s : e.indexSections(context)) {
                    section(h, s);
                }
            }

            h.raw("<section id=\"settings\"><h2>Settings</h2><dl class=\"settings\">");
            for (Provenance.Model m : models) {
                setting(h, m.role(), m.path());
                setting(h, m.role() + " sha256", m.sha256());
                if (m.preprocessing() != null) {
                    setting(h, m.role() + " preprocessing", Json.text(m.preprocessing()).replaceAll("\\s+", " "));
                }
            }
            LayerRecord.Settings st = first.settings();
            if (first.source() instanceof LayerRecord.Source.Generated g) {
                setting(h, "segmenter labels", g.segmenterLabels());
                setting(h, "output range", g.outputRange().toString());
                setting(h, "samples", Integer.toString(g.images()));
                setting(h, "seed", Long.toString(g.seed()));
            } else if (first.source() instanceof LayerRecord.Source.Broden br) {
                setting(h, "dataset", br.dataset());
                setting(h, "dataset fingerprint", br.fingerprint());
                setting(h, "images", br.images() + " (" + br.skippedImages() + " skipped)");
            } else if (first.source() instanceof LayerRecord.Source.SegmentedImages si) {
                setting(h, "image folder", si.folder());
                setting(h, "folder fingerprint", si.fingerprint());
                setting(h, "segmenter labels", si.segmenterLabels());
                setting(h, "images", si.images() + " (" + si.skippedImages() + " skipped)");
            }
            setting(h, "categories", String.join(", ", categories));
            setting(h, "quantile", st.quantile() + " (" + st.thresholdMethod() + ")");
            setting(h, "IoU cut-off", Double.toString(st.iouThreshold()));
            setting(h, "top images per unit", Integer.toString(st.topk()));
            setting(h, "upsampling", st.upsampling());
            setting(h, "backend", st.backend());
            setting(h, "jdissect", first.provenance().version() + " (" + first.provenance().commit() + ")");
            setting(h, "time", "dissection " + Html.fixed(dissection, 1) + " s; this report " + Html.fixed(seconds, 1)
                    + " s");
            h.raw("</dl></section>\n");
        });
        writeFile(site.resolve("index.html"), html);
    }

    private static void setting(Html h, String name, String value) {
        h.element("dt", name).element("dd", value);
    }

    private static String fileName(String path) {
        Path p = Path.of(path).getFileName();
        return p == null ? path : p.toString();
    }

    private void writeLayerPage(ReportLayer l, Context context) {
        String html = page(l.name(), l.page(), h -> {
            h.raw("<section class=\"intro\"><h1>").text(l.name()).raw("</h1><p class=\"sub\">").text(l.op())
                    .raw(" \u00b7 " + l.channels() + " units \u00b7 " + l.height() + " \u00d7 " + l.width()
                            + " maps</p>");
            h.raw("<p id=\"headline\" class=\"headline\" data-interpretable=\"" + l.interpretable() + "\" data-units=\""
                    + l.channels() + "\" data-concepts=\"" + l.uniqueConcepts() + "\">").text(l.headline()).raw("</p>");
            h.raw("<ul class=\"catcounts\">");
            for (String c : categories) {
                h.raw("<li><span class=\"chip\" style=\"--c:" + colour(c) + "\">").text(c).raw("</span> "
                        + l.unitsPerCategory().getOrDefault(c, 0) + "</li>");
            }
            h.raw("</ul></section>\n");

            h.raw("<section id=\"concepts\"><h2>Units per concept</h2><p class=\"note\">Interpretable units by the "
                    + "concept they detect, grouped by category.</p>");
            Charts.legend(h, categories, this::colour);
            h.raw("<div class=\"chartwrap\">");
            Charts.unitsPerConcept(h, l, categories, this::colour);
            h.raw("</div></section>\n");

            List<ReportLayer.Unit> ranked = new ArrayList<>(l.units());
            ranked.sort(Comparator.comparingDouble(ReportLayer.Unit::iou).reversed()
                    .thenComparingInt(ReportLayer.Unit::unit));
            unitTable(h, ranked);
            unitCards(h, l, ranked);

            for (ReportExtension e : b.extensions) {
                for (ReportSection s : e.layerSections(context, l)) {
                    section(h, s);
                }
            }
            if (gan) {
                h.raw("<p class=\"note\">Top samples: the generated images on which each unit's maximum is highest, "
                        + "best first (gan-dissect's top/unit_NNNN.png).</p>");
            }
            h.raw("<section id=\"timings\"><h2>Timings</h2><dl class=\"settings\">");
            for (Map.Entry<String, Double> e : timings.get(l).entrySet()) {
                setting(h, e.getKey(), Html.fixed(e.getValue(), 2) + " s");
            }
            h.raw("</dl></section>\n");
        });
        writeFile(site.resolve(l.page()), html);
    }

    private void unitTable(Html h, List<ReportLayer.Unit> ranked) {
        h.raw("<section id=\"units\"><h2>Units</h2><form class=\"filters\" id=\"filters\" onsubmit=\"return false\">"
                + "<input type=\"search\" id=\"f-text\" placeholder=\"Filter by unit, label or category\" "
                + "aria-label=\"filter\"><select id=\"f-cat\" aria-label=\"category\"><option value=\"\">all categories"
                + "</option>");
        for (String c : categories) {
            h.raw("<option" + Html.attr("value", c) + ">").text(c).raw("</option>");
        }
        h.raw("</select><label>IoU \u2265 <input type=\"number\" id=\"f-iou\" min=\"0\" max=\"1\" step=\"0.01\" "
                + "placeholder=\"0\"></label><label><input type=\"checkbox\" id=\"f-interp\"> interpretable only</label>"
                + "<span id=\"f-count\" class=\"count\">" + ranked.size() + " units</span></form>");
        h.raw("<div class=\"tablewrap scroll\"><table id=\"unit-table\" class=\"units\"><thead><tr>"
                + "<th data-key=\"unit\" data-type=\"num\" class=\"num\">unit</th><th data-key=\"label\">label</th>"
                + "<th data-key=\"cat\">category</th><th data-key=\"iou\" data-type=\"num\" class=\"num\" "
                + "aria-sort=\"descending\">IoU</th><th data-key=\"thr\" data-type=\"num\" class=\"num\">threshold</th>"
                + "</tr></thead><tbody>");
        for (ReportLayer.Unit u : ranked) {
            h.raw("<tr data-unit=\"" + u.unit() + "\"" + Html.attr("data-label", u.label()) + Html.attr("data-cat", u.category())
                    + " data-iou=\"" + u.iou() + "\" data-thr=\"" + u.threshold() + "\" data-interp=\""
                    + (u.interpretable() ? 1 : 0) + "\"" + (u.interpretable() ? "" : " class=\"below\"")
                    + "><td class=\"num\"><a href=\"#u" + u.unit() + "\">" + u.unit() + "</a></td><td>")
                    .text(u.label()).raw("</td><td><span class=\"chip\" style=\"--c:" + colour(u.category()) + "\">")
                    .text(u.category()).raw("</span></td><td class=\"num\">" + Html.fixed(u.iou(), 3)
                            + "</td><td class=\"num\">" + Html.sig(u.threshold()) + "</td></tr>");
        }
        h.raw("</tbody></table></div></section>\n");
    }

    private void unitCards(Html h, ReportLayer l, List<ReportLayer.Unit> ranked) {
        int cell = b.thumbnail;
        h.raw("<section id=\"unit-cards\"><h2>Unit cards</h2><p class=\"note\">Each unit's top images by its "
                + "maximum activation; the area where the unit's map, upsampled to the image, exceeds its threshold "
                + "is outlined and the rest dimmed.</p><div id=\"cards\" class=\"cards\">");
        for (ReportLayer.Unit u : ranked) {
            h.raw("<article class=\"card" + (u.interpretable() ? "" : " below") + "\" id=\"u" + u.unit()
                    + "\" data-unit=\"" + u.unit() + "\"><div class=\"meta\"><div class=\"unitno\">unit " + u.unit()
                    + (u.interpretable() ? "" : " <span class=\"tag\">below cut-off</span>")
                    + "</div><div class=\"label\">").text(u.label()).raw("</div><span class=\"chip\" style=\"--c:"
                    + colour(u.category()) + "\">").text(u.category()).raw("</span><div class=\"nums\">IoU <b>"
                    + Html.fixed(u.iou(), 3) + "</b><br>threshold " + Html.sig(u.threshold()) + "</div></div>");
            if (u.top().isEmpty()) {
                h.raw("<div class=\"noimg\">no top images (--topk 0)</div>");
            } else if (gan) {
                String link = stripFile(l, u.unit());
                int[] size = stripSizes.get(link);
                if (size == null) {
                    h.raw("<div class=\"noimg\">no picture: ").text(link.substring(link.indexOf("/") + 1))
                            .raw(" is missing from the dissection</div>");
                } else {
                    int width = (int) Math.round(size[0] * (double) cell / size[1]);
                    StringBuilder names = new StringBuilder();
                    for (int r = 0; r < u.top().size(); r++) {
                        ReportLayer.TopImage t = u.top().get(r);
                        names.append(r == 0 ? "" : "\n").append(r + 1).append(". ").append(t.image()).append(", max ")
                                .append(Html.sig(t.maxActivation()));
                    }
                    h.raw("<div class=\"imgs\"><div class=\"strip\"><img class=\"gen\" loading=\"lazy\""
                            + Html.attr("src", link) + " width=\"" + width + "\" height=\"" + cell + "\""
                            + Html.attr("alt", "top samples of unit " + u.unit()) + Html.attr("title", names.toString())
                            + "></div></div>");
                }
            } else {
                int n = u.top().size();
                int width = n * cell + (n - 1) * UnitImages.GAP;
                String size = "\" width=\"" + cell + "\" height=\"" + cell + "\" alt=\"";
                h.raw("<div class=\"imgs\"><div class=\"strip\" style=\"width:" + width + "px;height:" + cell + "px\">");
                for (int r = 0; r < n; r++) {
                    ReportLayer.TopImage t = u.top().get(r);
                    String name = Html.esc(t.image());
                    h.raw("<img loading=\"lazy\" src=\"").raw(thumbnailLinks.computeIfAbsent(rowOf(l, u, t.image()),
                            this::thumbnailFile)).raw(size).raw(name).raw("\" title=\"" + (r + 1) + ". ").raw(name)
                            .raw(", max " + Html.sig(t.maxActivation()) + "\">");
                }
                int block = (u.unit() - 1) / SPRITE_UNITS;
                int[] sprite = spriteSize(l, block);
                h.raw("<div class=\"maskclip\" style=\"width:" + width + "px;height:" + cell + "px\"><img class=\"mask\" "
                        + "loading=\"lazy\"" + Html.attr("src", spriteFile(l, block)) + " width=\"" + sprite[0]
                        + "\" height=\"" + sprite[1] + "\" style=\"top:-" + ((u.unit() - 1) % SPRITE_UNITS) * cell
                        + "px\" alt=\"\"></div></div></div>");
            }
            h.raw("</article>\n");
        }
        h.raw("</div></section>\n");
    }

    /** A page of the site: the whole site is written in a temporary folder and swapped in, so plain writes do. */
    private static void writeFile(Path file, String text) {
        try {
            Files.writeString(file, text, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private void copyResource(String name) throws IOException {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the jar");
            }
            Files.write(site.resolve(name), in.readAllBytes());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private final class Context implements ReportExtension.Context {
        @Override
        public Path out() {
            return b.out;
        }

        @Override
        public List<ReportLayer> layers() {
            return layers;
        }

        @Override
        public String unitLink(ReportLayer layer, int unit) {
            return layer.page() + "#u" + unit;
        }

        @Override
        public String writePage(String file, String title, Consumer<Html> body) {
            if (!file.matches("[A-Za-z0-9][A-Za-z0-9._-]*\\.html") || file.equals("index.html")
                    || file.startsWith("layer-")) {
                throw new IllegalArgumentException("an extension page is a plain .html name, not index.html or "
                        + "layer-*: " + file);
            }
            writeFile(site.resolve(file), page(title, file, body));
            return file;
        }

        @Override
        public String categoryColour(String category) {
            return colour(category);
        }

        @Override
        public boolean gan() {
            return gan;
        }

        @Override
        public synchronized List<Path> find(String fileName) {
            if (resultFiles == null) {
                java.util.Set<String> skip = java.util.Set.of("report", "cache", ".report.tmp", ".report.old");
                List<Path> found = new ArrayList<>();
                try {
                    // the report, the cache and a layer's top samples hold thousands of files and no results
                    Files.walkFileTree(b.out, java.util.EnumSet.noneOf(java.nio.file.FileVisitOption.class), 5,
                            new java.nio.file.SimpleFileVisitor<>() {
                                @Override
                                public java.nio.file.FileVisitResult preVisitDirectory(Path dir,
                                        java.nio.file.attribute.BasicFileAttributes attrs) {
                                    Path rel = b.out.relativize(dir);
                                    boolean skipped = rel.getNameCount() == 1 && skip.contains(rel.toString())
                                            || rel.getNameCount() == 2 && rel.getName(1).toString().equals("top")
                                            && Files.isRegularFile(dir.resolveSibling("report.json"));
                                    return skipped ? java.nio.file.FileVisitResult.SKIP_SUBTREE
                                            : java.nio.file.FileVisitResult.CONTINUE;
                                }

                                @Override
                                public java.nio.file.FileVisitResult visitFile(Path file,
                                        java.nio.file.attribute.BasicFileAttributes attrs) {
                                    if (attrs.isRegularFile()) {
                                        found.add(file);
                                    }
                                    return java.nio.file.FileVisitResult.CONTINUE;
                                }
                            });
                    found.sort(null);
                    resultFiles = List.copyOf(found);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + b.out + ": " + e.getMessage(), e);
                }
            }
            return resultFiles.stream().filter(p -> p.getFileName().toString().equals(fileName)).toList();
        }

        @Override
        public String copyImage(Path source, String name) {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*") || name.contains("..")) {
                throw new IllegalArgumentException("not a file-safe image name: " + name);
            }
            Path target = site.resolve("img").resolve(name);
            try {
                Files.createDirectories(target.getParent());
                Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy " + source + " into the report: " + e.getMessage(), e);
            }
            return "img/" + name;
        }

        @Override
        public void log(String line) {
            LOG.log(System.Logger.Level.WARNING, line);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T once(String key, java.util.function.Supplier<T> compute) {
            return (T) memo.computeIfAbsent(key, k -> compute.get());
        }
    }

}

package org.jdissect.report;

import java.io.IOException;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import gg.jte.Content;

import org.jdissect.JdissectException;
import org.jdissect.io.ProgressListener;
import org.jdissect.io.Threads;

/**
 * The report: a static site in {@code OUT/report/} that works from {@code file://} with nothing fetched from
 * elsewhere. This class writes the site (style, script, the page layout with its header navigation, the index page,
 * the worker pool) and knows no experiment: what the pages say comes from the {@link ReportExtension}s it is given.
 *
 * <p>The site is written to a temporary folder and swapped in when complete, so an interrupted report leaves the
 * previous one in place.
 */
public final class HtmlReport {
    private static final System.Logger LOG = System.getLogger(HtmlReport.class.getName());
    private static final Pattern PAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*\\.html");
    private static final Pattern FIGURE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** A PNG figure's pixels per SVG unit: 2, about 190 dpi at the size the page shows the chart (96 dpi). */
    private static final double FIGURE_SCALE = 2;
    private static final Pattern IMAGE_PATH = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");
    /** The folder of the site with every chart as a standalone figure. */
    public static final String FIGURES = "figures";
    /** How deep under OUT results are looked for (OUT/a/b/c/d/file). */
    private static final int FIND_DEPTH = 5;

    private final Builder b;
    private final Path site;
    private final long start = System.nanoTime();
    private final Set<String> pages = ConcurrentHashMap.newKeySet();
    private final Set<String> figures = ConcurrentHashMap.newKeySet();
    private final Map<String, UnitCards> cards = new ConcurrentHashMap<>();
    private final Set<Path> bulky = new HashSet<>();
    private ExecutorService pool;
    private List<NavLink> navigation = List.of();
    private List<Path> resultFiles;

    private HtmlReport(Builder b) {
        this.b = b;
        this.site = b.out.resolve(".report.tmp");
    }

    public static Builder builder(Path out) {
        return new Builder(out);
    }

    /** What was written: the index page, how many pages in all, and how long it took. */
    public record Result(Path index, int pages, double seconds) {
    }

    public static final class Builder {
        private final Path out;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int thumbnail = 96;
        private ProgressListener progress = ProgressListener.NONE;
        private final List<ReportExtension> extensions = new ArrayList<>();

        private Builder(Path out) {
            this.out = out;
        }

        public Builder threads(int v) { threads = v; return this; }
        /** A thumbnail's longest side in pixels (default 96). */
        public Builder thumbnail(int v) { thumbnail = v; return this; }
        public Builder progress(ProgressListener v) { progress = v; return this; }
        /** Adds an extension; its sections come after those of the extensions added before it. */
        public Builder extension(ReportExtension v) { extensions.add(v); return this; }

        /** Writes {@code OUT/report/}, replacing an earlier report; closes the extensions. */
        public Result write() {
            Result result;
            try {
                if (threads < 1) {
                    throw new JdissectException("--threads must be >= 1, got " + threads);
                }
                if (thumbnail < 16 || thumbnail > 512) {
                    throw new JdissectException("the thumbnail size must be between 16 and 512 pixels, got "
                            + thumbnail);
                }
                if (!Files.isDirectory(out)) {
                    throw new JdissectException("nothing to report in " + out + " (not a folder)");
                }
                result = new HtmlReport(this).run();
            } catch (RuntimeException e) {
                closeAll(e);
                throw e;
            }
            closeAll(null);
            return result;
        }

        /** Closes every extension; a failure to close does not hide why the report failed, if it did. */
        private void closeAll(RuntimeException failure) {
            RuntimeException first = failure;
            for (ReportExtension e : extensions) {
                try {
                    e.close();
                } catch (RuntimeException ex) {
                    if (first == null) {
                        first = ex;
                    } else {
                        first.addSuppressed(ex);
                    }
                }
            }
            if (first != null && first != failure) {
                throw first;
            }
        }
    }

    private Result run() {
        Context context = new Context();
        try {
            deleteTree(site);
            Files.createDirectories(site);
            copyResource("report.css");
            copyResource("report.js");
            pool = Threads.pool("report", b.threads);
            for (ReportExtension e : b.extensions) {
                for (Path p : e.bulkFolders(b.out)) {
                    bulky.add(p.toAbsolutePath().normalize());
                }
            }
            for (ReportExtension e : b.extensions) {
                e.prepare(context);
            }
            List<NavLink> nav = new ArrayList<>();
            for (ReportExtension e : b.extensions) {
                nav.addAll(e.navigation(context));
            }
            navigation = List.copyOf(nav);
            for (ReportExtension e : b.extensions) {
                e.writePages(context);
            }
            writeIndex(context);
            Path report = install();
            return new Result(report.resolve("index.html"), pages.size(), context.elapsedSeconds());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report in " + b.out.resolve("report") + ": "
                    + e.getMessage(), e);
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
            try {
                deleteTree(site);
            } catch (IOException e) {
                // a leftover temporary folder is replaced by the next report
            }
        }
    }

    private void writeIndex(Context context) {
        List<ReportSection> sections = new ArrayList<>();
        String title = null;
        for (ReportExtension e : b.extensions) {
            sections.addAll(e.indexSections(context));
            if (title == null) {
                title = e.indexTitle(context).orElse(null);
            }
        }
        sections.sort(Comparator.comparing(ReportSection::place)); // stable: extension order within a place
        pages.add("index.html");
        writeFile(site.resolve("index.html"), title == null ? "Report" : title, "index.html",
                Templates.sections(sections));
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

    /** A page of the site: the whole site is written in a temporary folder and swapped in, so plain writes do. */
    private void writeFile(Path file, String title, String current, Content body) {
        String html = Templates.page(title, navigation, current, body, b.out.toAbsolutePath().normalize().toString());
        try {
            Files.writeString(file, html, StandardCharsets.UTF_8);
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

    private static String imagePath(String name) {
        if (!IMAGE_PATH.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException("not a file-safe image name: " + name);
        }
        return name;
    }

    private final class Context implements Site {
        @Override
        public Path out() {
            return b.out;
        }

        @Override
        public ExecutorService pool() {
            return pool;
        }

        @Override
        public int threads() {
            return b.threads;
        }

        @Override
        public int thumbnail() {
            return b.thumbnail;
        }

        @Override
        public ProgressListener progress() {
            return b.progress;
        }

        @Override
        public double elapsedSeconds() {
            return (System.nanoTime() - start) / 1e9;
        }

        @Override
        public void publish(UnitCards c) {
            cards.putIfAbsent(c.layer(), c);
        }

        @Override
        public Optional<UnitCards> cards(String layer) {
            return Optional.ofNullable(cards.get(layer));
        }

        @Override
        public List<ReportSection> layerSections(String layer) {
            List<ReportSection> all = new ArrayList<>();
            for (ReportExtension e : b.extensions) {
                all.addAll(e.layerSections(this, layer));
            }
            return all;
        }

        @Override
        public List<CardNote> cardNotes(String layer, int unit) {
            List<CardNote> all = new ArrayList<>();
            for (ReportExtension e : b.extensions) {
                all.addAll(e.cardNotes(this, layer, unit));
            }
            return all;
        }

        @Override
        public String writePage(String file, String title, Content body) {
            if (!PAGE.matcher(file).matches() || file.equals("index.html")) {
                throw new IllegalArgumentException("a page is a plain .html name, not index.html: " + file);
            }
            if (!pages.add(file)) {
                throw new IllegalArgumentException("page " + file + " is written twice");
            }
            writeFile(site.resolve(file), title, file, body);
            return file;
        }

        @Override
        public Folder imageFolder(String name) {
            Path dir = site.resolve("img").resolve(imagePath(name));
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
            }
            return new Folder(dir, "img/" + name);
        }

        @Override
        public String copyImage(Path source, String name) {
            Path target = site.resolve("img").resolve(imagePath(name));
            try {
                Files.createDirectories(target.getParent());
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy " + source + " into the report: " + e.getMessage(), e);
            }
            return "img/" + name;
        }

        @Override
        public Content figure(String name, Chart chart) {
            if (!chart.drawn()) {
                return chart;
            }
            if (!FIGURE.matcher(name).matches() || name.contains("..")) {
                throw new IllegalArgumentException("not a file-safe figure name: " + name);
            }
            if (!figures.add(name)) {
                throw new IllegalArgumentException("figure " + name + " is written twice");
            }
            Path dir = site.resolve(FIGURES);
            String svg = chart.standaloneSvg();
            try {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve(name + ".svg"), svg, StandardCharsets.UTF_8);
                BufferedImage png = SvgRaster.render(svg, FIGURE_SCALE);
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(name + ".png")))) {
                    // our own encoder: ImageIO's takes about twice as long for these flat-coloured pictures
                    IndexedPng.writeRgb(out, png.getWidth(), png.getHeight(),
                            ((DataBufferInt) png.getRaster().getDataBuffer()).getData());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the figure " + dir.resolve(name) + ": " + e.getMessage(), e);
            }
            return Templates.figure(chart, FIGURES + "/" + name + ".svg", FIGURES + "/" + name + ".png");
        }

        @Override
        public void warn(String line) {
            LOG.log(System.Logger.Level.WARNING, line);
        }

        @Override
        public synchronized List<Path> find(String fileName) {
            if (resultFiles == null) {
                resultFiles = walkResults();
            }
            return resultFiles.stream().filter(p -> p.getFileName().toString().equals(fileName)).toList();
        }

        private List<Path> walkResults() {
            Set<String> skip = Set.of("report", ".report.tmp", ".report.old");
            List<Path> found = new ArrayList<>();
            try {
                Files.walkFileTree(b.out, EnumSet.noneOf(FileVisitOption.class), FIND_DEPTH, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        Path rel = b.out.relativize(dir);
                        boolean skipped = rel.getNameCount() == 1 && skip.contains(rel.toString())
                                || bulky.contains(dir.toAbsolutePath().normalize());
                        return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile()) {
                            found.add(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + b.out + ": " + e.getMessage(), e);
            }
            found.sort(null);
            return List.copyOf(found);
        }
    }
}

package org.jdissect.dissect.pages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.jdissect.dissect.DissectionOutput;
import org.jdissect.dissect.DissectionResult;
import org.jdissect.dissect.ImageStore;
import org.jdissect.dissect.IouTable;
import org.jdissect.dissect.LayerRecord;
import org.jdissect.report.CategoryPalette;
import org.jdissect.report.Chart;
import org.jdissect.report.Charts;
import org.jdissect.report.Format;
import org.jdissect.report.NavLink;
import org.jdissect.report.ReportExtension;
import org.jdissect.report.ReportSection;
import org.jdissect.report.Setting;
import org.jdissect.report.Site;
import org.jdissect.report.UnitCards;

/**
 * The pages of a dissection, read from its output ({@code <layer>/report.json}, the activation cache, and the images
 * report.json names) or from the dissection just run: on the index, the run, its layers, units per category by
 * layer and its settings; a page per layer with its headline, units per concept, a sortable, filterable table of
 * every unit and a card per unit with its top images (of a generator, its top samples), each with the unit's
 * thresholded mask drawn over it. The cards are published for other extensions to link to.
 */
public final class DissectionPages implements ReportExtension {
    /** Concepts a card lists after the unit's label. */
    static final int RUNNER_UPS = 3;
    private final Path out;
    private final DissectionResult inMemory;
    private Path data;
    private DissectionOutput output;
    private ImageStore images;
    private CategoryPalette palette;
    private List<Layer> layers;
    private LayerPictures.Drawn drawn;

    /** A layer of the output and its page. */
    record Layer(DissectionOutput.Layer output, String page) {
        LayerRecord record() {
            return output.record();
        }

        String name() {
            return output.name();
        }
    }

    /**
     * What the pages showed, for a line to the user.
     *
     * @param images   distinct top images (or samples) drawn
     * @param pictures unit x top-image pictures on the cards: an image among several units' top images is several
     * @param noun     what the images are: "image" or "sample"
     */
    public record Summary(int layers, int units, int images, int pictures, String noun, double dissectionSeconds) {
    }

    private DissectionPages(Path out, DissectionResult inMemory) {
        this.out = out;
        this.inMemory = inMemory;
    }

    /** The pages of the dissection output in {@code out}. */
    public static DissectionPages of(Path out) {
        return new DissectionPages(out, null);
    }

    /**
     * The pages of the dissection that just wrote its output, still in memory: its records and open dataset are
     * used instead of reading report.json and the dataset's index back (the same values, without the time).
     */
    public static DissectionPages of(DissectionResult result) {
        return new DissectionPages(result.out(), result);
    }

    /** Where the dataset is now, when it has moved since the dissection (report.json records where it was). */
    public DissectionPages data(Path moved) {
        this.data = moved;
        return this;
    }

    /** The output folder the pages are of. */
    public Path out() {
        return out;
    }

    /** What the pages showed; after the report is written. */
    public Summary summary() {
        if (layers == null) {
            throw new IllegalStateException("the report is not written yet");
        }
        int units = layers.stream().mapToInt(l -> l.record().units().size()).sum();
        return new Summary(layers.size(), units, drawn.images(), drawn.pictures(),
                output.generated() ? "sample" : "image", output.dissectionSeconds());
    }

    @Override
    public List<Path> bulkFolders(Path dir) {
        List<Path> bulky = new ArrayList<>();
        bulky.add(dir.resolve(DissectionOutput.CACHE));
        try (Stream<Path> list = Files.list(dir)) {
            // a generator's layer keeps a picture per unit in top/
            list.filter(d -> LayerRecord.isIn(d) && Files.isDirectory(d.resolve("top")))
                    .forEach(d -> bulky.add(d.resolve("top")));
        } catch (IOException e) {
            // nothing to skip: the walk that finds results lists the folder again and says what fails
        }
        return bulky;
    }

    @Override
    public void prepare(Site site) {
        output = inMemory != null ? DissectionOutput.of(inMemory) : DissectionOutput.open(out);
        palette = new CategoryPalette(output.first().settings().categories());
        List<Layer> list = new ArrayList<>();
        for (DissectionOutput.Layer l : output.layers()) {
            Layer layer = new Layer(l, "layer-" + l.dir() + ".html");
            list.add(layer);
            site.publish(new Cards(layer, palette));
        }
        layers = List.copyOf(list);
        images = output.generated() ? null : output.images(data);
    }

    @Override
    public Optional<String> indexTitle(Site site) {
        return Optional.of("Network dissection");
    }

    @Override
    public List<NavLink> navigation(Site site) {
        return layers.stream().map(l -> new NavLink(l.page(), Format.shorten(l.name(), 28), l.name())).toList();
    }

    @Override
    public void writePages(Site site) throws IOException {
        LayerPictures pictures = new LayerPictures(site, output);
        List<Callable<Void>> pages = new ArrayList<>();
        for (Layer l : layers) {
            pages.add(() -> {
                writeLayerPage(site, l, pictures);
                return null;
            });
        }
        drawn = pictures.drawUnitImages(output.generated() ? new TopSamples(output) : images, pages);
    }

    private void writeLayerPage(Site site, Layer l, LayerPictures pictures) {
        List<LayerRecord.Unit> ranked = new ArrayList<>(l.record().units());
        ranked.sort(Comparator.comparingDouble(LayerRecord.Unit::iou).reversed()
                .thenComparingInt(LayerRecord.Unit::unit));
        IouTable table = iouTable(site, l);
        List<Templates.Card> cards = new ArrayList<>(ranked.size());
        for (LayerRecord.Unit u : ranked) {
            List<Templates.Concept> categories = new ArrayList<>(u.categories().size());
            for (Map.Entry<String, LayerRecord.CategoryBest> e : u.categories().entrySet()) {
                categories.add(new Templates.Concept(e.getValue().label(), e.getKey(), palette.colour(e.getKey()),
                        e.getValue().iou()));
            }
            List<Templates.Concept> runnerUps = new ArrayList<>(RUNNER_UPS);
            if (table != null) {
                for (IouTable.Score sc : table.top(u.unit() - 1, RUNNER_UPS, u.label())) {
                    runnerUps.add(new Templates.Concept(sc.concept(), null, null, sc.iou()));
                }
            }
            cards.add(new Templates.Card(u, palette.colour(u.category()), pictures.of(l.output(), u), categories,
                    runnerUps, site.cardNotes(l.name(), u.unit())));
        }
        List<Setting> timings = new ArrayList<>();
        for (Map.Entry<String, Double> e : l.record().timingsSeconds().entrySet()) {
            timings.add(Setting.of(e.getKey(), Format.fixed(e.getValue(), 2) + " s"));
        }
        site.writePage(l.page(), l.name(), Templates.layerPage(l.record(), palette,
                site.figure("concepts-" + l.output().dir(), unitsPerConcept(l)), cards,
                site.layerSections(l.name()), timings, output.generated()));
    }

    /** The layer's iou.csv (every unit against every concept), or null with a warning where it cannot be read. */
    private IouTable iouTable(Site site, Layer l) {
        Path file = out.resolve(l.output().dir()).resolve(IouTable.FILE);
        try {
            IouTable t = IouTable.read(file);
            if (t.units() != l.record().layer().units()) {
                site.warn("report: " + file + " has " + t.units() + " units, the layer " + l.record().layer().units()
                        + "; the cards show no runner-up concepts");
                return null;
            }
            return t;
        } catch (org.jdissect.JdissectException e) {
            site.warn("report: the cards of " + l.name() + " show no runner-up concepts: " + e.getMessage());
            return null;
        }
    }

    /**
     * NetDissect's bar graph: interpretable units per concept, grouped by category in the dissection's category
     * order, most units first within a group.
     */
    private Chart unitsPerConcept(Layer l) {
        Map<String, Map<String, Integer>> byCategory = new LinkedHashMap<>();
        for (String c : palette.categories()) {
            byCategory.put(c, new LinkedHashMap<>());
        }
        for (LayerRecord.Unit u : l.record().units()) {
            if (u.interpretable()) {
                byCategory.computeIfAbsent(u.category(), k -> new LinkedHashMap<>()).merge(u.label(), 1, Integer::sum);
            }
        }
        List<Charts.BarGroup> groups = new ArrayList<>();
        for (Map.Entry<String, Map<String, Integer>> e : byCategory.entrySet()) {
            List<Map.Entry<String, Integer>> labels = new ArrayList<>(e.getValue().entrySet());
            labels.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            List<Charts.Bar> bars = new ArrayList<>();
            for (Map.Entry<String, Integer> b : labels) {
                bars.add(new Charts.Bar(b.getKey(), b.getValue(), b.getKey() + " (" + e.getKey() + "): " + b.getValue()
                        + (b.getValue() == 1 ? " unit" : " units")));
            }
            groups.add(new Charts.BarGroup(palette.colour(e.getKey()), bars));
        }
        return Charts.groupedBars("Interpretable units per concept, " + l.name(), "units", groups,
                "No unit reaches the IoU cut-off, so no concept is drawn.");
    }

    @Override
    public List<ReportSection> indexSections(Site site) {
        return IndexSections.of(site, output, layers, palette, summary());
    }

    @Override
    public void close() {
        if (output != null) {
            output.close();
        }
    }

    /** A layer's cards, for other pages to link to. */
    private record Cards(Layer source, CategoryPalette palette) implements UnitCards {
        @Override
        public String layer() {
            return source.name();
        }

        @Override
        public int units() {
            return source.record().layer().units();
        }

        @Override
        public String page() {
            return source.page();
        }

        @Override
        public Optional<Card> card(int unit) {
            List<LayerRecord.Unit> units = source.record().units();
            if (unit < 1 || unit > units.size()) {
                return Optional.empty();
            }
            LayerRecord.Unit u = units.get(unit - 1);
            return Optional.of(new Card(source.page() + "#u" + unit, u.label(), u.category(),
                    palette.colour(u.category()), u.iou(), u.interpretable()));
        }
    }
}

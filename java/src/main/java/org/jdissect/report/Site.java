package org.jdissect.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

import gg.jte.Content;

import org.jdissect.io.ProgressListener;

/**
 * What an extension uses while the report is written: where the results are, the shared worker pool, the pages and
 * pictures of the site, and what other extensions published. Every method is safe to call from the pool's threads.
 */
public interface Site {
    /** The output folder the report is of, where experiments keep their results. */
    Path out();

    /** The report's worker pool ({@link #threads} threads), for pictures and pages; shut down when the site is written. */
    ExecutorService pool();

    int threads();

    /** A thumbnail's longest side in pixels (16 to 512; 96 by default). */
    int thumbnail();

    ProgressListener progress();

    /** Seconds since the report began. */
    double elapsedSeconds();

    /**
     * Files named {@code fileName} anywhere under OUT (four folders deep at most; the report, and the folders
     * extensions name as bulky, left out), sorted by path: where experiments left their results.
     */
    List<Path> find(String fileName);

    /** Makes the cards of a layer known to the other extensions; during {@link ReportExtension#prepare}. */
    void publish(UnitCards cards);

    /** The cards of the layer named {@code layer}, if an extension drew them. */
    Optional<UnitCards> cards(String layer);

    /** Every extension's sections for the page of layer {@code layer}, in the order of the extensions. */
    List<ReportSection> layerSections(String layer);

    /** Every extension's lines for the card of {@code unit} of layer {@code layer}, in the order of the extensions. */
    List<CardNote> cardNotes(String layer, int unit);

    /**
     * Writes a page with the common header, navigation, style and script, and returns its link.
     *
     * @param file a file name such as {@code ablation-layer4.html} (letters, digits, {@code .-_}), used once;
     *             {@code index.html} is the site's own
     */
    String writePage(String file, String title, Content body);

    /**
     * The folder {@code img/<name>} of the site, created, for pictures an extension draws.
     *
     * @param name file-safe names separated by {@code /}
     */
    Folder imageFolder(String name);

    /** A folder of the site: where its files go, and their links from the site's pages. */
    record Folder(Path path, String link) {
        public Path file(String name) {
            return path.resolve(name);
        }

        public String link(String name) {
            return link + "/" + name;
        }
    }

    /** Copies a picture into the site as {@code img/<name>} and returns its link ({@code name}: as for imageFolder). */
    String copyImage(Path source, String name);

    /**
     * A chart for a page, also written as a paper-ready figure: {@code figures/<name>.svg} (standalone SVG) and
     * {@code figures/<name>.png} (the same drawn at twice its size); returns the chart followed by links to both.
     * A chart with nothing drawn is returned as it is, with no figure.
     *
     * @param name letters, digits, {@code .-_}, used once in the site; no extension
     */
    Content figure(String name, Chart chart);

    /** A warning for the user: a result that cannot be shown, and why. */
    void warn(String line);
}

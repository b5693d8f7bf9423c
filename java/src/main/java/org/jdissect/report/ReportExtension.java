package org.jdissect.report;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * How other experiments add to the report (intervention curves, ranked unit lists, GAN grids): an extension finds
 * its own results under OUT when the report is written and returns sections for the index page and for layer
 * pages; it may write pages of its own with {@link Context#writePage}. An extension whose results are absent
 * returns no section. List it in {@link HtmlReport#EXTENSIONS} so that every command that writes the report
 * includes it.
 */
public interface ReportExtension {
    /** Sections after the built-in ones on the index page. */
    default List<ReportSection> indexSections(Context context) {
        return List.of();
    }

    /** Sections after the unit cards on a layer's page. */
    default List<ReportSection> layerSections(Context context, ReportLayer layer) {
        return List.of();
    }

    /** What an extension can use while the report is written. */
    interface Context {
        /** The dissection's output folder, where experiments keep their results. */
        Path out();

        /** The layers of the report, in the dissection's order. */
        List<ReportLayer> layers();

        /** A link, relative to any page of the report, to a unit's card: {@code unit} is 1-based. */
        String unitLink(ReportLayer layer, int unit);

        /**
         * Writes a page of the report with the common header, style and script, and returns its link.
         *
         * @param file a file name such as {@code curves-layer4.html} (letters, digits, {@code .-_})
         */
        String writePage(String file, String title, Consumer<Html> body);

        /** Category colour, the same on every page and chart. */
        String categoryColour(String category);

        /** True for the report of a gan-dissect output, false for a dissection of a classifier. */
        boolean gan();

        /**
         * Files named {@code fileName} anywhere under OUT (four folders deep at most, the report and the activation
         * cache left out), sorted by path: where experiments left their results.
         */
        List<Path> find(String fileName);

        /** Copies a picture into the report as {@code img/<name>} and returns its link ({@code name}: file-safe). */
        String copyImage(Path source, String name);

        /** A warning for the user (a result that cannot be shown, and why). */
        void log(String line);

        /** A value computed once per report and shared by the calls of every extension. */
        <T> T once(String key, java.util.function.Supplier<T> compute);
    }
}

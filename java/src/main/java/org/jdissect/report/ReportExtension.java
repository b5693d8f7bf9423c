package org.jdissect.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What adds pages to the report. Each experiment (a dissection, ablations, GAN edits, ...) has one, in its own
 * package, that finds its results under OUT and writes its pages; the site only lays them out. Who writes the report
 * hands it the extensions ({@link HtmlReport.Builder#extension}); a new experiment adds its pages by adding its
 * extension there, without a change to this package.
 *
 * <p>The site calls, in this order: {@link #bulkFolders}; {@link #prepare} of every extension (read results,
 * {@linkplain Site#publish publish} cards); {@link #navigation}; {@link #writePages} of every extension, in turn
 * (each may spread its work over {@link Site#pool}; a page about a layer asks every extension for its
 * {@link #layerSections}); {@link #indexSections} and {@link #indexTitle} for {@code index.html}; and at last
 * {@link #close}, however the report ended. An extension whose results are absent adds nothing.
 */
public interface ReportExtension extends AutoCloseable {
    /**
     * Folders under OUT that hold many files and no experiment's results (a cache, pictures): {@link Site#find}
     * does not walk them.
     */
    default List<Path> bulkFolders(Path out) {
        return List.of();
    }

    /** Reads what the pages need, before any page is written. */
    default void prepare(Site site) {
    }

    /** Entries of the header navigation on every page. */
    default List<NavLink> navigation(Site site) {
        return List.of();
    }

    /** Writes the extension's own pages and pictures. */
    default void writePages(Site site) throws IOException {
    }

    /**
     * Lines this extension adds to the card of {@code unit} (1-based) of layer {@code layer}, asked while the cards
     * are drawn (after every {@link #prepare}); none by default.
     */
    default List<CardNote> cardNotes(Site site, String layer, int unit) {
        return List.of();
    }

    /** Sections for the page of another extension about layer {@code layer} (by name, as the model spells it). */
    default List<ReportSection> layerSections(Site site, String layer) {
        return List.of();
    }

    /** Sections of the index page, ordered there by their {@link ReportSection#place}. */
    default List<ReportSection> indexSections(Site site) {
        return List.of();
    }

    /** The index page's title, if this extension's results are what the report is about (the first one given wins). */
    default Optional<String> indexTitle(Site site) {
        return Optional.empty();
    }

    /** Releases what {@link #prepare} opened. */
    @Override
    default void close() {
    }
}

package org.jdissect.dissect;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jdissect.io.Provenance;
import org.jdissect.model.LayerInfo;
import org.jdissect.stats.LabelSource;

/**
 * An opened {@link Probe}: its models loaded and its images listed. This is where the three probes differ; the
 * {@link Dissection} pipeline does everything else the same way. Images are addressed by a source row (a Broden
 * index row, a file of the folder, a sample number); the candidates are the rows to dissect, in order.
 */
interface Source extends AutoCloseable {
    /** The layers dissected, in the order asked. */
    List<LayerInfo> layers();

    /** What the activation cache holds per image: the layers, then a segmentation when a segmenter labels them. */
    List<LayerInfo> cachedLayers();

    /** What the cache is computed from: a cache whose key differs is started afresh. */
    Map<String, Object> cacheKey();

    /** How many candidate images there are. */
    int candidates();

    /** How many source rows there are: a cached row is below this (a Broden dataset's rows, not all candidates). */
    default int rowCount() {
        return candidates();
    }

    /**
     * The size and modification time (ns) of a source row's image file, so that a cache notices an image replaced
     * since; null where images are generated.
     */
    default java.util.function.IntFunction<long[]> stamper() {
        return null;
    }

    /** {@code [size, modification time in ns]} of a file; an unreadable file stamps as {@code [-1, -1]}. */
    static long[] stamp(Path file) {
        try {
            var a = java.nio.file.Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            return new long[] {a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS)};
        } catch (java.io.IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    /** "images" or "samples", for messages. */
    String noun();

    /** What filling the cache is called in progress lines and timings. */
    default String task() {
        return "inference";
    }

    /** Produces the cached values of candidates in consecutive ranges, starting at candidate {@code first}. */
    Producer producer(int first);

    /** Frees what only the filling of the cache needed (inference sessions), once the cache is complete. */
    default void release() {
    }

    /**
     * The labels of cached images, image {@code i} being source row {@code rows.get(i)}; {@code cached} gives the
     * values of those images of a cached layer by its index in {@link #cachedLayers} (where a segmenter's labels are
     * cached beside the layers: the activation cache's, or a batch's computed elsewhere).
     */
    LabelSource labels(List<Integer> rows, java.util.function.IntFunction<org.jdissect.stats.ActivationSource> cached);

    /** The source row of candidate {@code candidate} (the candidates are the rows, unless a dataset says otherwise). */
    default int candidateRow(int candidate) {
        return candidate;
    }

    /** Category names, in the tally's order. */
    List<String> categories();

    String labelName(int label);

    /** For each label number, the index of its primary category. */
    int[] primaryCategory();

    /** The name of a source row's image, as tally consumers and report.json name it. */
    String imageName(int row);

    /** Where a source row comes from: its index.csv line, or its number. */
    int imageLine(int row);

    /** Candidates dropped before caching: malformed index rows skipped under --skip-bad. */
    default int skippedBefore() {
        return 0;
    }

    /** report.json's "source", for {@code images} dissected and {@code skipped} skipped. */
    LayerRecord.Source record(int images, int skipped);

    /** The models, for the provenance. */
    List<Provenance.Model> models();

    /** The dataset, for the provenance; null where the images are generated. */
    Provenance.Dataset dataset();

    /** Seeds, for the provenance. */
    default Map<String, Long> seeds() {
        return Map.of();
    }

    /** Writes what a layer's folder holds beyond the common files (a generator's top samples); {@code rows}: by cache position. */
    default void writeExtras(LayerResult result, List<Integer> rows, Path dir) {
    }

    @Override
    void close();

    /** The cached values of consecutive candidate ranges. */
    interface Producer extends AutoCloseable {
        /** Candidates {@code from .. to - 1}; the next call asks for the range that follows. */
        Batch next(int from, int to);

        @Override
        void close();
    }

    /**
     * One batch: the source rows cached (in order), per cached layer the values of those rows, and why the other
     * candidates of the range were skipped.
     */
    record Batch(int[] rows, List<float[]> outputs, List<String> skipped) {
    }
}

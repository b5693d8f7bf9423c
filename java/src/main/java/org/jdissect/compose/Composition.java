package org.jdissect.compose;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.RoaringBitmapWriter;

import org.jdissect.JdissectException;
import org.jdissect.data.BrodenDataset;
import org.jdissect.dissect.DissectionOutput;
import org.jdissect.dissect.LayerRecord;
import org.jdissect.io.Invocation;
import org.jdissect.io.ProgressListener;
import org.jdissect.io.Provenance;
import org.jdissect.io.Threads;
import org.jdissect.model.LayerInfo;
import org.jdissect.stats.ActivationSource;
import org.jdissect.stats.LabelSource;
import org.jdissect.stats.Upsampling;

/**
 * {@code jdissect compose}: compositional explanations of a dissected layer's units, from the dissection's own
 * activation cache, thresholds and dataset, with no second inference.
 *
 * <p>A unit's mask is the dissection's: its cached map upsampled to each image's label size (the same
 * {@link Upsampling}) and {@code > threshold} (the threshold report.json records). A concept's mask is its label's
 * pixels ({@link PixelMasks}). IoU(u, F) = |M_u AND F| / |M_u OR F| summed over every label pixel of the probe (not the
 * per-category IoU of the tally, whose activation counts only images where the category is labelled). The search is
 * {@link BeamSearch}'s, unit by unit on every core.
 */
public final class Composition {
    private static final System.Logger LOG = System.getLogger(Composition.class.getName());
    /** compexp's defaults. */
    public static final int LENGTH = 3;
    public static final int BEAM = 5;
    /** Units in the first group, before their masks' size says how many fit the memory budget. */
    static final int GROUP = 64;
    /** A unit's mask's size guessed for the first group (fewer units where the budget is below 64 of these). */
    static final long GUESS = 64 << 10;

    /** A gain of IoU this large counts as a unit explained better by a formula (the and the README's). */
    public static final double GAIN = 0.02;

    private Composition() {
    }

    /**
     * What to search.
     *
     * @param dissection the dissection's OUT
     * @param layer      the layer, as the dissection names it
     * @param length     formulas of at most this many concepts
     * @param beam       formulas kept at each step
     * @param units      0-based units to explain; empty: all
     * @param categories the categories a concept may come from (by its primary category); empty: all the
     *                   dissection's
     * @param threads    worker threads
     * @param memory     bytes the units' masks may take at once (units are explained in groups that fit)
     */
    public record Spec(Path dissection, String layer, int length, int beam, int[] units, List<String> categories,
                       int threads, long memory) {
        public Spec {
            if (length < 1 || length > 10) {
                throw new JdissectException("--length must be 1 to 10, got " + length);
            }
            if (beam < 1 || beam > 1000) {
                throw new JdissectException("--beam must be 1 to 1000, got " + beam);
            }
            if (threads < 1) {
                throw new JdissectException("--threads must be >= 1, got " + threads);
            }
            if (memory < 1) {
                throw new JdissectException("--memory must be positive, got " + memory);
            }
            units = units.clone();
            categories = List.copyOf(categories);
        }
    }

    /** What a run wrote, and where. */
    public record Composed(ComposeRecord record, Path dir) {
    }

    /** Runs the search and writes compose.csv and compose.json into the layer's folder. */
    public static Composed run(Spec spec, ProgressListener progress, Invocation invocation) {
        long start = System.nanoTime();
        try (DissectionOutput out = DissectionOutput.open(spec.dissection())) {
            DissectionOutput.Layer layer = out.layer(spec.layer());
            LayerRecord record = layer.record();
            BrodenDataset dataset = out.dataset(null);
            List<String> categories = record.settings().categories();
            for (String c : spec.categories()) {
                if (!categories.contains(c)) {
                    throw new JdissectException("--categories: '" + c + "' is not a category of this dissection; it "
                            + "has " + String.join(", ", categories));
                }
            }
            int[] units = unitsOf(spec, record.layer().units());
            LabelSource labels = out.labels(dataset);
            int images = out.cache().rows().size();
            int[] primary = dataset.primaryCategory();
            List<String> allowed = spec.categories().isEmpty() ? categories : spec.categories();
            PixelMasks concepts;
            try (ProgressListener.Tracker bar = progress.begin("compose: concept masks", images)) {
                concepts = PixelMasks.read(labels, images,
                        l -> primary[l] >= 0 && allowed.contains(dataset.categories().get(primary[l])), bar);
            }
            List<Integer> present = new ArrayList<>();
            for (int l = 1; l < concepts.numLabels(); l++) {
                if (!concepts.label(l).isEmpty()) {
                    present.add(l);
                }
            }
            if (present.isEmpty()) {
                throw new JdissectException("compose: no label of " + String.join(", ", allowed) + " has a pixel in "
                        + "the " + images + " images the dissection read");
            }
            // what compose holds for the whole run (README, "Compositional explanations": how it scales)
            LOG.log(System.Logger.Level.INFO, String.format(java.util.Locale.ROOT, "compose: %d concept masks over "
                    + "%,d label pixels of %d images: %.1f MB", present.size(), concepts.pixels(), images,
                    concepts.bytes() / 1e6));
            int[] candidates = present.stream().mapToInt(Integer::intValue).toArray();
            BeamSearch search = new BeamSearch(concepts, candidates);
            BeamSearch.Result[] results = new BeamSearch.Result[units.length];
            // Units go in groups whose masks fit the memory budget: a first group of GROUP, then as many as the
            // first ones' size says fit. Each group reads the cache once; every unit is searched on its own, so the
            // grouping changes no result.
            int first = 0;
            int group = (int) Math.max(1, Math.min(Math.min(units.length, GROUP), spec.memory() / GUESS));
            try (ProgressListener.Tracker bar = progress.begin("compose: formulas", units.length)) {
                while (first < units.length) {
                    int[] part = java.util.Arrays.copyOfRange(units, first, first + group);
                    RoaringBitmap[] masks = unitMasks(out, record, part, concepts, spec.threads(),
                            ProgressListener.NONE);
                    long bytes = 0;
                    for (RoaringBitmap m : masks) {
                        bytes += m.getLongSizeInBytes();
                    }
                    search(search, masks, spec, results, first, bar);
                    first += group;
                    long perUnit = Math.max(1, bytes / part.length);
                    if (first == part.length) {
                        LOG.log(System.Logger.Level.INFO, String.format(java.util.Locale.ROOT, "compose: unit masks "
                                + "%.2f MB each; groups of up to %d units in --memory", perUnit / 1e6,
                                Math.max(1, Math.min(units.length, spec.memory() / perUnit))));
                    }
                    group = (int) Math.max(1, Math.min(units.length - first, spec.memory() / perUnit));
                }
            }
            LayerRecord.Source.Broden source = (LayerRecord.Source.Broden) record.source();
            Provenance provenance = invocation.provenance(record.provenance() == null ? List.of()
                            : record.provenance().models(), new Provenance.Dataset("broden", source.dataset(),
                            source.fingerprint()), null, "cpu (" + spec.threads() + " threads)", null, null, null);
            ComposeRecord r = ComposeRecord.of(provenance, spec, record, allowed, candidates.length, concepts.pixels(),
                    units, results, dataset::labelName, l -> dataset.categories().get(primary[l]),
                    (System.nanoTime() - start) / 1e9);
            Path dir = out.out().resolve(layer.dir());
            r.write(dir);
            return new Composed(r, dir);
        }
    }

    /** Searches the units whose masks are given, results[offset + i] for masks[i], on every thread. */
    private static void search(BeamSearch search, RoaringBitmap[] masks, Spec spec, BeamSearch.Result[] results,
                               int offset, ProgressListener.Tracker bar) {
        ExecutorService pool = Threads.pool("compose", spec.threads());
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < spec.threads(); t++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < masks.length; i = next.getAndIncrement()) {
                        results[offset + i] = search.search(masks[i], spec.length(), spec.beam());
                        masks[i] = null;
                        bar.advance(1);
                    }
                }));
            }
            Threads.awaitAll(futures);
        } finally {
            pool.shutdownNow();
        }
    }

    private static int[] unitsOf(Spec spec, int count) {
        if (spec.units().length == 0) {
            int[] all = new int[count];
            for (int u = 0; u < count; u++) {
                all[u] = u;
            }
            return all;
        }
        for (int u : spec.units()) {
            if (u >= count) {
                throw new JdissectException("--units: the layer has units 1 to " + count + ", got " + (u + 1));
            }
        }
        return spec.units();
    }

    /**
     * Each unit's mask over the label pixels: its cached map upsampled to each image's label size and
     * {@code > threshold}, image by image in cache order. Only maps with a sample above the threshold are upsampled
     * (a resized value is a convex mix of samples, so the others have empty masks).
     */
    public static RoaringBitmap[] unitMasks(DissectionOutput out, LayerRecord record, int[] units, PixelMasks concepts,
                                     int threads, ProgressListener progress) {
        LayerRecord.Layer shape = record.layer();
        LayerInfo info = new LayerInfo(shape.name(), shape.op(), shape.units(), shape.height(), shape.width());
        ActivationSource source = out.cache().source(info);
        int[] exponents = out.cache().exponents(shape.name(), shape.units());
        java.util.Map<Integer, Float> recorded = new java.util.HashMap<>();
        for (LayerRecord.Unit u : record.units()) {
            recorded.put(u.unit(), u.threshold());
        }
        float[] thresholds = new float[units.length];
        for (int i = 0; i < units.length; i++) {
            Float t = recorded.get(units[i] + 1);
            if (t == null) {
                throw new JdissectException(record.layer().name() + ": report.json has no threshold for unit "
                        + (units[i] + 1));
            }
            // the cache holds a unit at its power-of-two scale; report.json's threshold is in the model's units
            thresholds[i] = Math.scalb(t, exponents[units[i]]);
        }
        int h = shape.height();
        int w = shape.width();
        int hw = h * w;
        int per = source.valuesPerImage();
        int chunk = source.imagesPerChunk(4 << 20);
        float[] buf = new float[chunk * per];
        List<RoaringBitmapWriter<RoaringBitmap>> writers = new ArrayList<>();
        for (int i = 0; i < units.length; i++) {
            writers.add(RoaringBitmapWriter.writer().get());
        }
        ExecutorService pool = Threads.pool("compose-masks", threads);
        try (ProgressListener.Tracker bar = progress.begin("compose: unit masks", source.images())) {
            for (int first = 0; first < source.images(); first += chunk) {
                int m = Math.min(chunk, source.images() - first);
                source.readFloats(first, m, buf);
                int base = first;
                AtomicInteger next = new AtomicInteger();
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    futures.add(pool.submit(() -> {
                        float[] map = new float[hw];
                        java.util.Map<Long, Upsampling.Axis[]> axes = new java.util.HashMap<>();
                        for (int i = next.getAndIncrement(); i < units.length; i = next.getAndIncrement()) {
                            float t0 = thresholds[i];
                            RoaringBitmapWriter<RoaringBitmap> writer = writers.get(i);
                            for (int k = 0; k < m; k++) {
                                int p = (k * shape.units() + units[i]) * hw;
                                boolean any = false;
                                for (int j = 0; j < hw; j++) {
                                    map[j] = buf[p + j];
                                    any |= map[j] > t0;
                                }
                                if (!any) {
                                    continue;
                                }
                                int image = base + k;
                                int sh = concepts.height(image);
                                int sw = concepts.width(image);
                                Upsampling.Axis[] a = axes.computeIfAbsent(((long) sh << 32) | sw,
                                        key -> new Upsampling.Axis[] {Upsampling.axis(h, sh), Upsampling.axis(w, sw)});
                                float[] up = Upsampling.upsample(map, h, w, a[0], a[1]);
                                int offset = concepts.offset(image);
                                for (int q = 0; q < up.length; q++) {
                                    if (up[q] > t0) {
                                        writer.add(offset + q);
                                    }
                                }
                            }
                        }
                    }));
                }
                Threads.awaitAll(futures);
                bar.advance(m);
            }
        } finally {
            pool.shutdownNow();
        }
        RoaringBitmap[] masks = new RoaringBitmap[units.length];
        for (int i = 0; i < units.length; i++) {
            masks[i] = writers.get(i).get();
            masks[i].runOptimize();
        }
        return masks;
    }
}

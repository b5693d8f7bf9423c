package org.jdissect.dissect.pages;

import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.jdissect.JdissectException;
import org.jdissect.dissect.CacheSnapshot;
import org.jdissect.dissect.DissectionOutput;
import org.jdissect.dissect.ImageStore;
import org.jdissect.dissect.LayerRecord;
import org.jdissect.io.ProgressListener;
import org.jdissect.io.Threads;
import org.jdissect.report.Format;
import org.jdissect.report.Site;
import org.jdissect.report.UnitImages;

/**
 * The pictures of the unit cards: a thumbnail per top image (drawn once, however many units rank it) and each unit's
 * mask over its top images, drawn from the activation cache, in sprites of {@link #SPRITE_UNITS} units. The images
 * are a dataset's or, of a generator, its top samples cut from the strips gan-dissect wrote ({@link TopSamples});
 * the masks are drawn the same way for both.
 */
final class LayerPictures {
    /**
     * Units whose mask strips share one overlay file, one strip below the other: a layer of 2,048 units needs 64
     * files, not 2,048 (creating files is what a busy disk does slowest); each card shows its row of the sprite.
     */
    static final int SPRITE_UNITS = 32;

    private final Site site;
    private final DissectionOutput output;
    private final int cell;
    private final Map<String, Integer> cacheIndex = new HashMap<>();
    private final Set<Integer> pngThumbnails = ConcurrentHashMap.newKeySet();
    private final Map<Integer, String> thumbnailLinks = new ConcurrentHashMap<>();
    private final Map<String, Site.Folder> folders = new ConcurrentHashMap<>();
    private Site.Folder base;
    /** A generator's top samples, cut from its strips; null for a dataset's images. */
    private TopSamples samples;

    LayerPictures(Site site, DissectionOutput output) {
        this.site = site;
        this.output = output;
        this.cell = site.thumbnail();
    }

    private Site.Folder folder(String name) {
        return folders.computeIfAbsent(name, site::imageFolder);
    }

    /** What the cards show: distinct images, and pictures (a unit's top image is one; an image shared by units is many). */
    record Drawn(int images, int pictures) {
    }

    /** Whether unit {@code u}'s top images can be drawn. */
    private boolean drawable(DissectionOutput.Layer l, LayerRecord.Unit u) {
        return !u.topImages().isEmpty() && (samples == null || samples.why(l, u) == null);
    }

    /**
     * Draws the thumbnails (once per image, however many units share it), then every unit's mask overlay, with
     * {@code pages} written meanwhile (they need only the thumbnails' names).
     */
    Drawn drawUnitImages(ImageStore dataset, List<Callable<Void>> pages) throws IOException {
        samples = dataset instanceof TopSamples t ? t : null;
        CacheSnapshot cache = output.cache();
        List<Integer> rows = cache.rows();
        for (int i = 0; i < rows.size(); i++) {
            int row = rows.get(i);
            if (row < 0 || row >= dataset.size()) {
                throw new JdissectException("the activation cache names image " + row + ", but " + dataset.where()
                        + " has " + dataset.size() + "; run the dissection again");
            }
            cacheIndex.putIfAbsent(dataset.name(row), i);
        }
        UnitImages images = new UnitImages(cell, 0.88f);
        Set<Integer> needed = new TreeSet<>();
        int total = 0;
        int strips = 0;
        for (DissectionOutput.Layer l : output.layers()) {
            folder(l.dir());
            for (LayerRecord.Unit u : l.record().units()) {
                if (!drawable(l, u)) {
                    continue;
                }
                for (LayerRecord.TopImage t : u.topImages()) {
                    needed.add(rowOf(l, u, t.image()));
                }
                total += u.topImages().size();
                strips++;
            }
        }
        base = folder("base");
        Map<Integer, UnitImages.Geometry> geometry = new ConcurrentHashMap<>();
        ThreadLocal<UnitImages.Scratch> scratch = ThreadLocal.withInitial(UnitImages.Scratch::new);
        ExecutorService pool = site.pool();
        try (ProgressListener.Tracker bar = site.progress().begin("report: thumbnails", needed.size())) {
            List<Future<?>> futures = new ArrayList<>();
            for (int row : needed) {
                futures.add(pool.submit(() -> {
                    UnitImages.Scratch s = scratch.get();
                    BufferedImage image = dataset.read(row, s.decoder());
                    if (images.png(image.getHeight(), image.getWidth())) {
                        pngThumbnails.add(row);
                    }
                    try (OutputStream out = new BufferedOutputStream(
                            Files.newOutputStream(base.file(thumbnailFile(row))), 1 << 14)) {
                        geometry.put(row, images.writeThumbnail(image, out, s));
                    }
                    bar.advance(1);
                    return null;
                }));
            }
            Threads.awaitAll(futures);
        }
        try (ProgressListener.Tracker bar = site.progress().begin("report: unit masks", strips)) {
            List<Future<?>> futures = new ArrayList<>();
            for (Callable<Void> page : pages) {
                futures.add(pool.submit(page));
            }
            for (DissectionOutput.Layer l : output.layers()) {
                LayerRecord.Layer shape = l.record().layer();
                CacheSnapshot.LayerMaps maps = cache.maps(shape.name(), shape.units(), shape.height(), shape.width());
                for (int block = 0; block * SPRITE_UNITS < l.record().units().size(); block++) {
                    int k = block;
                    futures.add(pool.submit(() -> {
                        drawSprite(l, k, maps, images, scratch.get(), geometry, bar);
                        return null;
                    }));
                }
            }
            Threads.awaitAll(futures);
        }
        return new Drawn(needed.size(), total);
    }

    private String thumbnailFile(int row) {
        return "r" + row + (pngThumbnails.contains(row) ? ".png" : ".jpg");
    }

    /** The dataset row of a top image: the images named in report.json are found among the cached rows. */
    private int rowOf(DissectionOutput.Layer l, LayerRecord.Unit u, String image) {
        Integer index = cacheIndex.get(image);
        if (index == null) {
            throw new JdissectException(output.out().resolve(l.dir()).resolve(LayerRecord.FILE) + ": top image "
                    + image + " of unit " + u.unit() + " is not among the cached images of the dataset");
        }
        return output.cache().rows().get(index);
    }

    /** Width and height of sprite {@code block} of a layer: its widest strip, a row per unit. */
    private int[] spriteSize(List<LayerRecord.Unit> units, int block) {
        int first = block * SPRITE_UNITS;
        int last = Math.min(units.size(), first + SPRITE_UNITS);
        int cells = 1;
        for (int i = first; i < last; i++) {
            cells = Math.max(cells, units.get(i).topImages().size());
        }
        return new int[] {cells * cell + (cells - 1) * UnitImages.GAP, (last - first) * cell};
    }

    private static String spriteFile(int block) {
        return "m" + block + ".png";
    }

    private void drawSprite(DissectionOutput.Layer l, int block, CacheSnapshot.LayerMaps maps, UnitImages images,
                            UnitImages.Scratch s, Map<Integer, UnitImages.Geometry> geometry,
                            ProgressListener.Tracker bar) throws IOException {
        List<LayerRecord.Unit> units = l.record().units();
        LayerRecord.Layer shape = l.record().layer();
        int[] size = spriteSize(units, block);
        byte[] overlay = s.sprite(size[0] * size[1]);
        float[] map = s.map(shape.height() * shape.width());
        int first = block * SPRITE_UNITS;
        int last = Math.min(units.size(), first + SPRITE_UNITS);
        // the cache holds a unit at its power-of-two scale; report.json's threshold is in the model's units
        int[] exponents = output.cache().exponents(shape.name(), shape.units());
        boolean any = false;
        for (int i = first; i < last; i++) {
            LayerRecord.Unit u = units.get(i);
            if (!drawable(l, u)) {
                continue;
            }
            float threshold = Math.scalb(u.threshold(), exponents[u.unit() - 1]);
            for (int r = 0; r < u.topImages().size(); r++) {
                int index = cacheIndex.get(u.topImages().get(r).image());
                UnitImages.Geometry g = geometry.get(output.cache().rows().get(index));
                maps.read(index, u.unit() - 1, map);
                images.drawUnitMask(overlay, size[0], (i - first) * cell, r, map, shape.height(), shape.width(),
                        threshold, g, s);
            }
            any = true;
            bar.advance(1);
        }
        if (any) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(1 << 16);
            images.writeOverlay(overlay, size[0], size[1], buf);
            Files.write(folder(l.dir()).file(spriteFile(block)), buf.toByteArray());
        }
    }

    /** What the card of unit {@code u} of layer {@code l} shows; after the pictures are drawn. */
    CardPictures of(DissectionOutput.Layer l, LayerRecord.Unit u) {
        List<LayerRecord.TopImage> top = u.topImages();
        if (top.isEmpty()) {
            return new CardPictures.None("no top images (--topk 0)");
        }
        if (samples != null && samples.why(l, u) != null) {
            return new CardPictures.None(samples.why(l, u));
        }
        int n = top.size();
        List<CardPictures.Thumb> thumbs = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            LayerRecord.TopImage t = top.get(r);
            String src = thumbnailLinks.computeIfAbsent(rowOf(l, u, t.image()), row -> base.link(thumbnailFile(row)));
            thumbs.add(new CardPictures.Thumb(src, t.image(), (r + 1) + ". " + t.image() + ", max "
                    + Format.sig(t.maxActivation())));
        }
        int block = (u.unit() - 1) / SPRITE_UNITS;
        int[] sprite = spriteSize(l.record().units(), block);
        return new CardPictures.Thumbnails(n * cell + (n - 1) * UnitImages.GAP, cell, thumbs,
                folder(l.dir()).link(spriteFile(block)), sprite[0], sprite[1], ((u.unit() - 1) % SPRITE_UNITS) * cell);
    }
}

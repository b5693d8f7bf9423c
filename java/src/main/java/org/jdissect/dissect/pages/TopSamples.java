package org.jdissect.dissect.pages;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jdissect.JdissectException;
import org.jdissect.data.ImageDecoder;
import org.jdissect.dissect.DissectionOutput;
import org.jdissect.dissect.ImageStore;
import org.jdissect.dissect.LayerRecord;
import org.jdissect.dissect.Probe;
import org.jdissect.report.IndexedPng;

/**
 * A generator's top samples as images by sample number, cut out of the strips gan-dissect wrote
 * ({@code <layer>/top/unit_NNNN.png}, each unit's top samples side by side): the activation cache holds each
 * sample's maps but no picture of it, so these strips are the only pictures there are. A unit's strip that is
 * missing or not as wide as its samples is left out, and {@link #why} says so for its card.
 */
final class TopSamples implements ImageStore {
    /** Where a sample is drawn: strip {@code file}, cell {@code slot}, each cell {@code width x height}. */
    private record Cell(Path file, int slot, int width, int height) {
    }

    private final long seed;
    private final int samples;
    private final String where;
    private final Map<String, Cell> cells = new HashMap<>();
    /** "layer dir/unit" of units whose strip cannot be used, and why. */
    private final Map<String, String> missing = new HashMap<>();

    TopSamples(DissectionOutput output) {
        LayerRecord.Source.Generated g = (LayerRecord.Source.Generated) output.first().source();
        this.seed = g.seed();
        this.samples = g.images();
        this.where = output.out().toString();
        for (DissectionOutput.Layer l : output.layers()) {
            Path dir = output.out().resolve(l.dir());
            for (LayerRecord.Unit u : l.record().units()) {
                List<LayerRecord.TopImage> top = u.topImages();
                if (top.isEmpty()) {
                    continue;
                }
                Path strip = DissectionOutput.topSamples(dir, u.unit());
                String problem = null;
                int[] size = null;
                if (!Files.isRegularFile(strip)) {
                    problem = "is missing from the dissection";
                } else {
                    try {
                        size = IndexedPng.size(strip);
                        if (size[0] % top.size() != 0 || size[0] == 0 || size[1] == 0) {
                            problem = "is " + size[0] + " pixels wide, not a strip of " + top.size() + " samples";
                        }
                    } catch (IOException | JdissectException e) {
                        problem = "cannot be read: " + e.getMessage();
                    }
                }
                if (problem != null) {
                    missing.put(key(l, u), "no picture: " + l.dir() + "/top/" + strip.getFileName() + " " + problem);
                    continue;
                }
                int width = size[0] / top.size();
                for (int r = 0; r < top.size(); r++) {
                    cells.putIfAbsent(top.get(r).image(), new Cell(strip, r, width, size[1]));
                }
            }
        }
    }

    private static String key(DissectionOutput.Layer l, LayerRecord.Unit u) {
        return l.dir() + "/" + u.unit();
    }

    /** Why unit {@code u}'s samples cannot be drawn, or null when they can. */
    String why(DissectionOutput.Layer l, LayerRecord.Unit u) {
        return missing.get(key(l, u));
    }

    @Override
    public BufferedImage read(int row, ImageDecoder decoder) {
        Cell c = cells.get(name(row));
        if (c == null) {
            throw new JdissectException("no strip in " + where + " shows " + name(row));
        }
        BufferedImage strip;
        try {
            strip = (decoder != null ? decoder : new ImageDecoder()).decode(Files.readAllBytes(c.file()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + c.file() + ": " + e.getMessage(), e);
        }
        if (strip == null || strip.getWidth() < (c.slot() + 1) * c.width() || strip.getHeight() != c.height()) {
            throw new JdissectException(c.file() + " changed while the report was written");
        }
        BufferedImage sample = new BufferedImage(c.width(), c.height(), BufferedImage.TYPE_INT_RGB);
        int[] px = strip.getRGB(c.slot() * c.width(), 0, c.width(), c.height(), null, 0, c.width());
        sample.setRGB(0, 0, c.width(), c.height(), px, 0, c.width());
        return sample;
    }

    @Override
    public int size() {
        return samples;
    }

    @Override
    public String name(int row) {
        return Probe.Generated.sampleName(row, seed);
    }

    @Override
    public String where() {
        return "the top samples in " + where;
    }
}

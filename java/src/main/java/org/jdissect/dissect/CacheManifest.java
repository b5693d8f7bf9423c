package org.jdissect.dissect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jdissect.JdissectException;
import org.jdissect.io.Json;

/**
 * What {@code OUT/cache/manifest.json} says about the cache: what it was computed from ({@code key}), whether it is
 * complete, its layers and their files, how many candidate images the run has consumed, the source rows cached (in
 * cache order), each cached image's file stamp (size and modification time, to notice an image replaced since), and
 * per layer file a CRC-32C of every appended segment (to notice a file altered since). It is rewritten atomically
 * after the layer files are flushed, so it never claims more than they hold.
 *
 * @param stamps    per cached row, the size and the modification time (ns) of its image file, flattened; empty for
 *                  generated images
 * @param checksums per layer, the byte length and the CRC-32C of each appended segment, flattened
 * @param exponents per layer, each unit's power-of-two scale: the cache holds {@code x * 2^e} (see
 *                  {@link ActivationCache}); null before the first batch
 * @param nonFinite per layer, each unit's count of non-finite values (stored as -65504)
 */
record CacheManifest(Map<String, Object> key, boolean complete, List<String> layers, List<String> files, int consumed,
                     List<Integer> rows, long[] stamps, List<long[]> checksums, List<int[]> exponents,
                     List<long[]> nonFinite) {
    static final String FILE = "manifest.json";

    /** Reads the manifest in {@code dir}; a file that cannot be read or parsed is an error saying so. */
    static CacheManifest read(Path dir) {
        CacheManifest m = Json.read(dir.resolve(FILE), CacheManifest.class);
        if (m.key() == null || m.files() == null || m.rows() == null) {
            throw new JdissectException(dir.resolve(FILE) + " is malformed: key, files and rows are needed");
        }
        return m;
    }

    void write(Path dir) {
        Json.write(dir.resolve(FILE), this);
    }

    /** The layer names, from manifests written before they were recorded too. */
    @SuppressWarnings("unchecked")
    List<String> layerNames() {
        return layers != null ? layers : (List<String>) key.get("layers");
    }

    /**
     * Why the manifest's numbers cannot be right for files of these layers ({@code bytesPerImage} each),
     * {@code candidates} candidate images and {@code rowCount} source rows, or null when they can: rows distinct and
     * in range, no more consumed than there are candidates, a stamp per row, segments adding up to the rows' bytes.
     */
    String problem(List<Long> bytesPerImage, int candidates, int rowCount, boolean stamped) {
        if (files.size() != bytesPerImage.size()) {
            return "it lists " + files.size() + " layer files, the run has " + bytesPerImage.size() + " layers";
        }
        Set<Integer> seen = new HashSet<>();
        for (Integer r : rows) {
            if (r == null || r < 0 || r >= rowCount || !seen.add(r)) {
                return "its rows name image " + r + (r != null && r >= 0 && r < rowCount ? " twice"
                        : ", outside 0.." + (rowCount - 1));
            }
        }
        if (consumed < rows.size() || consumed > candidates) {
            return "it has consumed " + consumed + " images for " + rows.size() + " cached of " + candidates;
        }
        if (stamped && (stamps == null || stamps.length != 2 * rows.size())) {
            return "it has no file stamp for every cached image";
        }
        if (checksums == null || checksums.size() != files.size()) {
            return "it has no checksums for every layer file";
        }
        if (!rows.isEmpty() && (exponents == null || exponents.size() != files.size()
                || nonFinite == null || nonFinite.size() != files.size())) {
            return "it has no scale for every layer";
        }
        for (int l = 0; l < files.size(); l++) {
            long[] c = checksums.get(l);
            long sum = 0;
            for (int i = 0; c != null && i + 1 < c.length; i += 2) {
                sum += c[i];
            }
            if (c == null || c.length % 2 != 0 || sum != rows.size() * bytesPerImage.get(l)) {
                return "the checksums of " + files.get(l) + " cover " + sum + " bytes, " + rows.size()
                        + " images need " + rows.size() * bytesPerImage.get(l);
            }
        }
        return null;
    }

    /** The entries of {@code key} that differ from this manifest's, by name. */
    List<String> differences(Map<String, Object> other) {
        // through text, as the file holds it: a float written is a double read
        var a = Json.tree(Json.text(key));
        var b = Json.tree(Json.text(other));
        List<String> names = new ArrayList<>();
        Set<String> all = new java.util.TreeSet<>();
        a.fieldNames().forEachRemaining(all::add);
        b.fieldNames().forEachRemaining(all::add);
        for (String n : all) {
            if (!a.path(n).equals(b.path(n))) {
                names.add(n);
            }
        }
        return names;
    }
}

package org.jdissect.model;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jdissect.JdissectException;
import org.jdissect.data.ImageDecoder;
import org.jdissect.stats.Upsampling;

/**
 * How an image becomes the model's input: resized to {@code height x width}, then each value
 * {@code x} (0..255) becomes {@code ((x / scale) - mean[c]) / std[c]}, written CHW in {@code channels} order.
 * {@code mean} and {@code std} are indexed by the output channel, i.e. listed in {@code channels} order
 * (for a BGR model, mean[0] is the blue mean). {@code tokens}, when not null, is the user's layout of the model's token
 * layers (N x T x D) at this input size, for a graph without a patch embedding to read it from (it replaces the
 * embedding's grid): it rides with the preprocessing because the input size fixes it and because the preprocessing
 * goes wherever a layer is looked up, is recorded, and is part of a cache's key.
 */
public record Preprocessing(int height, int width, ChannelOrder channels, float scale, float[] mean, float[] std,
                            TokenLayout tokens) {

    public enum ChannelOrder { RGB, BGR }

    /** torchvision's ImageNet normalisation at 224 x 224. */
    public static final Preprocessing IMAGENET = new Preprocessing(224, 224, ChannelOrder.RGB, 255f,
            new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    public Preprocessing {
        if (height <= 0 || width <= 0) {
            throw new JdissectException("preprocessing size must be positive, got " + height + "x" + width);
        }
        if (channels == null) {
            throw new JdissectException("preprocessing channel order missing; valid: RGB, BGR");
        }
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new JdissectException("preprocessing scale must be a positive number, got " + scale);
        }
        if (mean == null || mean.length != 3 || std == null || std.length != 3) {
            throw new JdissectException("preprocessing mean and std need 3 values each (one per channel), got "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        for (int c = 0; c < 3; c++) {
            if (!Float.isFinite(mean[c])) {
                throw new JdissectException("preprocessing mean must be finite, got " + Arrays.toString(mean));
            }
            if (!(std[c] > 0) || !Float.isFinite(std[c])) {
                throw new JdissectException("preprocessing std values must be positive, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Without a token layout: token layers are read on the model's patch embedding's grid. */
    public Preprocessing(int height, int width, ChannelOrder channels, float scale, float[] mean, float[] std) {
        this(height, width, channels, scale, mean, std, null);
    }

    /** The same preprocessing with token layers read as {@code layout} (null: on the patch embedding's grid). */
    public Preprocessing withTokens(TokenLayout layout) {
        return new Preprocessing(height, width, channels, scale, mean, std, layout);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    public int valuesPerImage() {
        return 3 * height * width;
    }

    /**
     * Resizes {@code img} to height x width and writes {@link #valuesPerImage()} normalised CHW floats into
     * {@code dst} from {@code offset}. Resizing is PIL's bilinear filter: a triangle kernel on half-pixel
     * centres which, when shrinking, is widened by the shrink factor so every source pixel contributes
     * (antialiasing); when enlarging it is plain bilinear interpolation with edge clamping.
     */
    public void apply(BufferedImage img, float[] dst, int offset) {
        if (offset < 0 || dst.length - offset < valuesPerImage()) {
            throw new IllegalArgumentException("destination too small: " + dst.length + " floats from offset " + offset
                    + ", need " + valuesPerImage());
        }
        Scratch scratch = SCRATCH.get();
        if (img.getWidth() == width && img.getHeight() == height && normalizeBytes(img, dst, offset, scratch)) {
            return;
        }
        float[] rgb = Rasters.readRgb(img, scratch.rgb); // planar R, G, B, each inH * inW, values 0..255
        scratch.rgb = Scratch.keep(rgb);
        apply(rgb, img.getWidth(), img.getHeight(), dst, offset, scratch);
    }

    /**
     * This preprocessing as a layout a colour JPEG of the input's size can be decoded straight into
     * ({@link ImageDecoder#decodePlanes}): the same tables {@link #apply(BufferedImage, float[], int)} reads an
     * 8-bit image through, so the values are the same bit for bit.
     */
    public ImageDecoder.Planes jpegPlanes() {
        float[][] table = new Scratch().table(this);
        int r = channels == ChannelOrder.RGB ? 0 : 2; // the output channel of red, green (1) and blue
        int b = 2 - r;
        float[] tables = new float[768];
        System.arraycopy(table[r], 0, tables, 0, 256);
        System.arraycopy(table[1], 0, tables, 256, 256);
        System.arraycopy(table[b], 0, tables, 512, 256);
        return new ImageDecoder.Planes(width, height, tables, new int[] {r, 1, b});
    }

    /**
     * As {@link #apply(BufferedImage, float[], int)} for an image given as planar R, G, B values in 0..255 (each
     * {@code inH * inW}, as {@link Rasters#readRgb} gives them): what an attack that edits pixels feeds, without a
     * {@code BufferedImage} per candidate.
     */
    public void apply(float[] rgb, int inW, int inH, float[] dst, int offset) {
        if (offset < 0 || dst.length - offset < valuesPerImage() || rgb.length < 3 * inW * inH) {
            throw new IllegalArgumentException("destination too small or image short: " + dst.length + " floats from "
                    + "offset " + offset + ", need " + valuesPerImage() + "; image " + rgb.length + " values for "
                    + inW + " x " + inH);
        }
        apply(rgb, inW, inH, dst, offset, SCRATCH.get());
    }

    private void apply(float[] rgb, int inW, int inH, float[] dst, int offset, Scratch scratch) {
        int plane = height * width;
        float[] resized; // planar R, G, B, each height * width
        if (inW == width && inH == height) {
            resized = rgb;
        } else {
            Upsampling.FilterTaps wx = scratch.taps(inW, width, true);
            Upsampling.FilterTaps wy = scratch.taps(inH, height, false);
            float[] rows = Scratch.atLeast(scratch.rows, inH * width);
            scratch.rows = Scratch.keep(rows);
            resized = scratch.resized = Scratch.atLeast(scratch.resized, 3 * plane);
            for (int c = 0; c < 3; c++) {
                int base = c * inW * inH;
                for (int y = 0; y < inH; y++) {
                    int src = base + y * inW;
                    int out = y * width;
                    for (int x = 0; x < width; x++) {
                        int first = wx.first()[x];
                        int count = wx.count()[x];
                        int k = wx.offset()[x];
                        double sum = 0;
                        for (int j = 0; j < count; j++) {
                            sum += wx.weight()[k + j] * rgb[src + first + j];
                        }
                        rows[out + x] = (float) sum;
                    }
                }
                int result = c * plane;
                for (int y = 0; y < height; y++) {
                    int first = wy.first()[y];
                    int count = wy.count()[y];
                    int k = wy.offset()[y];
                    int out = result + y * width;
                    for (int x = 0; x < width; x++) {
                        double sum = 0;
                        for (int j = 0; j < count; j++) {
                            sum += wy.weight()[k + j] * rows[(first + j) * width + x];
                        }
                        resized[out + x] = (float) sum;
                    }
                }
            }
        }
        for (int c = 0; c < 3; c++) {
            int source = (channels == ChannelOrder.RGB ? c : 2 - c) * plane;
            float m = mean[c];
            float s = std[c];
            int out = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                dst[out + i] = (resized[source + i] / scale - m) / s;
            }
        }
    }

    /**
     * An image of the input's size in one of the two 8-bit layouts ({@link Rasters#readPackedRgb(BufferedImage, int[])}),
     * normalised straight from its bytes: a value {@code x} becomes one of 256 per channel, tabulated with the very
     * float operations the planar path does ({@code (x / scale - mean) / std}), so the result is the same bit for bit,
     * without the planes or the two divisions per value (they took 0.57 ms of a 224 x 224 image, the table a pass per
     * channel 0.21 ms, with C1's code and C2's alike: 2026-11-28, 2-core VM; one pass, below). False for other images.
     */
    private boolean normalizeBytes(BufferedImage img, float[] dst, int offset, Scratch scratch) {
        DataBufferByte bgr = Rasters.bgrBytes(img);
        DataBufferInt rgb = bgr == null ? Rasters.rgbInts(img) : null;
        if (bgr == null && rgb == null) {
            return false;
        }
        float[][] table = scratch.table(this);
        int plane = height * width;
        // one pass over the pixels writing the three planes, each colour through its channel's table: a pass per
        // channel read every pixel three times, 0.38 against 0.19 ms per 224 x 224 image under C1 (2-core VM,
        // 2026-11-28)
        int r = channels == ChannelOrder.RGB ? 0 : 2; // the channel of red, green (1) and blue
        int b = 2 - r;
        float[] tr = table[r];
        float[] tg = table[1];
        float[] tb = table[b];
        int outR = offset + r * plane;
        int outG = offset + plane;
        int outB = offset + b * plane;
        if (bgr != null) {
            byte[] d = bgr.getData();
            for (int i = 0, p = bgr.getOffset(); i < plane; i++, p += 3) { // bytes B, G, R
                dst[outB + i] = tb[d[p] & 0xff];
                dst[outG + i] = tg[d[p + 1] & 0xff];
                dst[outR + i] = tr[d[p + 2] & 0xff];
            }
        } else {
            int[] d = rgb.getData();
            for (int i = 0, p = rgb.getOffset(); i < plane; i++, p++) { // 0xRRGGBB
                int v = d[p];
                dst[outR + i] = tr[(v >>> 16) & 0xff];
                dst[outG + i] = tg[(v >>> 8) & 0xff];
                dst[outB + i] = tb[v & 0xff];
            }
        }
        return true;
    }

    /**
     * Each decoding thread's working arrays and resize taps, kept between images: per image a 224 x 224 input
     * allocated about 1.8 MB of planes and tables that lived for one image, and on a VM every fresh page of heap
     * is a page fault (a 1,000-image dissection allocated 3.7 GB in all before; see README, Performance).
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        float[] rgb;
        float[] rows;
        float[] resized;
        private final int[] tapsKey = {-1, -1, -1, -1};
        private Preprocessing tableOf;
        private final float[][] table = new float[3][256];

        /** The normalised value of each 8-bit value x per output channel c: {@code (x / scale - mean[c]) / std[c]}. */
        float[][] table(Preprocessing p) {
            if (tableOf != p) {
                for (int c = 0; c < 3; c++) {
                    for (int x = 0; x < 256; x++) {
                        table[c][x] = ((float) x / p.scale - p.mean[c]) / p.std[c];
                    }
                }
                tableOf = p;
            }
            return table;
        }
        private final Upsampling.FilterTaps[] taps = new Upsampling.FilterTaps[2];

        Upsampling.FilterTaps taps(int in, int out, boolean xAxis) {
            int a = xAxis ? 0 : 1;
            if (tapsKey[2 * a] != in || tapsKey[2 * a + 1] != out) {
                taps[a] = Upsampling.filterTaps(in, out);
                tapsKey[2 * a] = in;
                tapsKey[2 * a + 1] = out;
            }
            return taps[a];
        }

        /** The largest array a thread keeps: 16 MB (a 1,150 x 1,150 image's planes); larger ones are dropped. */
        private static final int KEEP = 4 << 20;

        static float[] keep(float[] a) {
            return a.length <= KEEP ? a : null;
        }

        static float[] atLeast(float[] a, int n) {
            return a != null && a.length >= n ? a : new float[n];
        }
    }


    /** Every field, for reports. */
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("height", height);
        d.put("width", width);
        d.put("channels", channels.name());
        d.put("scale", scale);
        d.put("mean", toList(mean));
        d.put("std", toList(std));
        d.put("resize", "bilinear, half-pixel centres, antialiased when shrinking (PIL)");
        if (tokens != null) {
            d.put("tokens", tokens.toString());
        }
        return d;
    }

    /**
     * The preprocessing {@link #describe} wrote (a provenance records it), read back; null when {@code d} is null,
     * a usage error naming what is missing when it is not a description.
     */
    public static Preprocessing fromDescription(Map<String, Object> d) {
        if (d == null) {
            return null;
        }
        try {
            return new Preprocessing(((Number) d.get("height")).intValue(), ((Number) d.get("width")).intValue(),
                    ChannelOrder.valueOf(String.valueOf(d.get("channels"))), ((Number) d.get("scale")).floatValue(),
                    floats(d.get("mean")), floats(d.get("std")),
                    d.get("tokens") == null ? null : TokenLayout.parse("tokens", String.valueOf(d.get("tokens"))));
        } catch (RuntimeException e) {
            throw new JdissectException("a recorded preprocessing is incomplete (" + d + "): " + e.getMessage(), e);
        }
    }

    private static float[] floats(Object list) {
        List<?> l = (List<?>) list;
        float[] v = new float[l.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((Number) l.get(i)).floatValue();
        }
        return v;
    }

    private static List<Float> toList(float[] values) {
        List<Float> list = new ArrayList<>(values.length);
        for (float v : values) {
            list.add(v);
        }
        return List.copyOf(list);
    }

    /**
     * Parses command-line style options: size "H" or "H,W"; channels "RGB" or "BGR"; mean and std "a,b,c"
     * (a single value is used for all three channels).
     */
    public static Preprocessing parse(String size, String channels, float scale, String mean, String std) {
        return parse("", size, channels, scale, mean, std);
    }

    /** As {@link #parse(String, String, float, String, String)}, errors naming the options with {@code prefix}. */
    public static Preprocessing parse(String prefix, String size, String channels, float scale, String mean,
                                      String std) {
        if (size == null || size.isBlank()) {
            throw new JdissectException(prefix + "size missing: expected H or H,W (positive integers), e.g. 224 or 224,224");
        }
        String[] parts = size.split(",", -1);
        if (parts.length > 2) {
            throw new JdissectException(prefix + "size '" + size + "' is not valid: expected H or H,W (positive integers)");
        }
        int h = parsePositiveInt(parts[0], prefix + "size '" + size + "'");
        int w = parts.length == 2 ? parsePositiveInt(parts[1], prefix + "size '" + size + "'") : h;
        ChannelOrder order;
        try {
            order = ChannelOrder.valueOf(channels == null ? "" : channels.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new JdissectException(prefix + "channels '" + channels + "' is not valid; valid: RGB, BGR");
        }
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new JdissectException(prefix + "scale " + scale + " is not valid: expected a positive number (255 maps 0..255 to 0..1, 1 keeps 0..255)");
        }
        float[] m = parseTriple(prefix + "mean", mean);
        float[] s = parseTriple(prefix + "std", std);
        for (float v : s) {
            if (!(v > 0)) {
                throw new JdissectException(prefix + "std '" + std + "' is not valid: every value must be positive");
            }
        }
        return new Preprocessing(h, w, order, scale, m, s);
    }

    /**
     * A side of a model input: at most 4096 (192 MB of floats per image at 4096 x 4096); anything larger is a typo,
     * and would fail deep inside ONNX Runtime or the Java heap instead of here.
     */
    private static int parsePositiveInt(String text, String what) {
        try {
            int v = Integer.parseInt(text.trim());
            if (v > 0 && v <= 4096) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new JdissectException(what + " is not valid: expected H or H,W (positive integers up to 4096)");
    }

    private static float[] parseTriple(String what, String text) {
        if (text == null || text.isBlank()) {
            throw new JdissectException(what + " missing: expected three comma-separated numbers, e.g. 0.485,0.456,0.406");
        }
        String[] parts = text.split(",", -1);
        if (parts.length != 1 && parts.length != 3) {
            throw new JdissectException(what + " '" + text + "' is not valid: expected three comma-separated numbers (one per channel)");
        }
        float[] values = new float[3];
        for (int i = 0; i < 3; i++) {
            String p = parts[parts.length == 1 ? 0 : i].trim();
            try {
                values[i] = Float.parseFloat(p);
            } catch (NumberFormatException e) {
                throw new JdissectException(what + " '" + text + "' is not valid: '" + p + "' is not a number");
            }
            if (!Float.isFinite(values[i])) {
                throw new JdissectException(what + " '" + text + "' is not valid: values must be finite");
            }
        }
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && p.height == height && p.width == width && p.channels == channels
                && Float.compare(p.scale, scale) == 0 && Arrays.equals(p.mean, mean) && Arrays.equals(p.std, std);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * (31 * (31 * height + width) + channels.hashCode()) + Float.hashCode(scale))
                + Arrays.hashCode(mean)) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Preprocessing[" + height + "x" + width + ", " + channels + ", scale " + scale + ", mean "
                + Arrays.toString(mean) + ", std " + Arrays.toString(std) + "]";
    }
}

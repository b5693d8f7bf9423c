package org.jdissect.world;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;

import java.util.concurrent.Future;

import org.jdissect.data.BrodenWriter;
import org.jdissect.io.Threads;
import org.jdissect.JdissectException;
import org.jdissect.io.Progress;

/**
 * SceneWorld: a seeded, procedural world of scenes with exact pixel annotations, written in Broden layout.
 *
 * <p>Each image is one of {@link #SCENES} (the image-level {@code scene} label a classifier learns), composed of
 * objects with parts, materials, colours and textures. Concepts are shared between scenes (snow in ski resorts and
 * mountains, water at beaches and harbours, houses in five scenes), so a classifier must combine them. Objects are
 * painted far to near: a nearer thing hides a farther one, and the hidden thing stays complete in a second object
 * layer (a tree in front of a house: the house's full extent is in {@code _object_2.png}). Context rules hold by
 * construction: doors, windows and paintings only on walls, snow only on the ground and on mountains, boats only on
 * water. Colour, texture, scale, position and lighting vary.
 *
 * <p>Label maps are half the image size (Broden's convention): object, part, material and texture labels are sampled
 * at the centre of each 2x2 block, the colour label names the block's mean colour, so every pixel has a colour.
 * Image {@code i} depends only on the seed and {@code i}, so datasets are identical byte for byte whatever the number
 * of threads. Rows with {@code i % 5 == 0} form the val split.
 */
public final class SceneWorld {
    public static final List<String> CATEGORIES = List.of("color", "object", "part", "material", "scene", "texture");

    /** Every label, numbered from 1 in declaration order; its category is where SceneWorld uses it first. */
    public enum Concept {
        // colour
        BLACK("black", "color"), WHITE("white", "color"), GREY("grey", "color"), RED("red", "color"),
        ORANGE("orange", "color"), YELLOW("yellow", "color"), GREEN("green", "color"), BLUE("blue", "color"),
        PURPLE("purple", "color"), PINK("pink", "color"), BROWN("brown", "color"),
        // object
        SKY("sky", "object"), CLOUD("cloud", "object"), SUN("sun", "object"), MOUNTAIN("mountain", "object"),
        WATER("water", "object"), GROUND("ground", "object"), ROAD("road", "object"), HOUSE("house", "object"),
        TREE("tree", "object"), CAR("car", "object"), BOAT("boat", "object"), PERSON("person", "object"),
        FENCE("fence", "object"), ROCK("rock", "object"), CACTUS("cactus", "object"), WALL("wall", "object"),
        FLOOR("floor", "object"), BED("bed", "object"), TABLE("table", "object"), CABINET("cabinet", "object"),
        LAMP("lamp", "object"), PAINTING("painting", "object"), UMBRELLA("umbrella", "object"),
        // part (a house's wall is the label "wall" in the part category)
        DOOR("door", "part"), WINDOW("window", "part"), ROOF("roof", "part"), CHIMNEY("chimney", "part"),
        BODY("body", "part"), WHEEL("wheel", "part"), TRUNK("trunk", "part"), FOLIAGE("foliage", "part"),
        HULL("hull", "part"), SAIL("sail", "part"), MAST("mast", "part"), HEAD("head", "part"),
        TORSO("torso", "part"), LEG("leg", "part"), PILLOW("pillow", "part"), BLANKET("blanket", "part"),
        TABLETOP("tabletop", "part"), DRAWER("drawer", "part"), SHADE("shade", "part"),
        // material
        WOOD("wood", "material"), BRICK("brick", "material"), GLASS("glass", "material"),
        METAL("metal", "material"), FABRIC("fabric", "material"), GRASS("grass", "material"),
        SNOW("snow", "material"), SAND("sand", "material"), STONE("stone", "material"),
        ASPHALT("asphalt", "material"), TILE("tile", "material"),
        // texture
        STRIPED("striped", "texture"), CHECKERED("checkered", "texture"), DOTTED("dotted", "texture"),
        WAVY("wavy", "texture"), SPECKLED("speckled", "texture"),
        // scene (Broden's "-s" suffix)
        SKI_RESORT("ski_resort-s", "scene"), MOUNTAIN_S("mountain-s", "scene"), BEACH("beach-s", "scene"),
        HARBOUR("harbour-s", "scene"), STREET("street-s", "scene"), TOWN_SQUARE("town_square-s", "scene"),
        FOREST("forest-s", "scene"), FARM("farm-s", "scene"), DESERT("desert-s", "scene"),
        BEDROOM("bedroom-s", "scene"), KITCHEN("kitchen-s", "scene");

        private final String label;
        private final String category;

        Concept(String label, String category) {
            this.label = label;
            this.category = category;
        }

        public int number() {
            return ordinal() + 1;
        }

        public String label() {
            return label;
        }

        public String category() {
            return category;
        }
    }

    /** The scene classes, in the order of their class index (0..10) as the demo classifier uses it. */
    public static final List<Concept> SCENES = List.of(Concept.SKI_RESORT, Concept.MOUNTAIN_S, Concept.BEACH,
            Concept.HARBOUR, Concept.STREET, Concept.TOWN_SQUARE, Concept.FOREST, Concept.FARM, Concept.DESERT,
            Concept.BEDROOM, Concept.KITCHEN);

    /** One rendered image and its label maps (half size, row-major, 0 = none). */
    public record Scene(BufferedImage image, Concept scene, int labelSize, int[] color, int[] object,
                        int[] objectBehind, int[] part, int[] material, int[] texture) {
        /** Non-empty pixel layers per category, as {@link BrodenWriter#addImage} takes them. */
        public Map<String, List<int[]>> pixelLayers() {
            Map<String, List<int[]>> m = new LinkedHashMap<>();
            m.put("color", List.of(color));
            m.put("object", anyNonZero(objectBehind) ? List.of(object, objectBehind) : List.of(object));
            m.put("part", anyNonZero(part) ? List.of(part) : List.of());
            m.put("material", anyNonZero(material) ? List.of(material) : List.of());
            m.put("texture", anyNonZero(texture) ? List.of(texture) : List.of());
            return m;
        }
    }

    private SceneWorld() {
    }

    /** Scene class of image {@code index}: the classes in turn, so every split is balanced. */
    public static Concept sceneOf(int index) {
        return SCENES.get(index % SCENES.size());
    }

    public static String splitOf(int index) {
        return index % 5 == 0 ? "val" : "train";
    }

    /** Renders image {@code index} of the world with {@code seed} at {@code size} x {@code size} pixels. */
    public static Scene render(long seed, int index, int size) {
        if (size < 16 || size % 2 != 0) {
            throw new IllegalArgumentException("SceneWorld image size must be even and at least 16, got " + size);
        }
        Random rnd = new Random(seed * 0x9E3779B97F4A7C15L + index * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L);
        Canvas c = new Canvas(size, rnd.nextInt());
        Concept scene = sceneOf(index);
        new Composer(c, rnd).compose(scene);
        c.light(rnd);
        return c.toScene(scene);
    }

    /**
     * Writes {@code images} images of size {@code size} as a Broden dataset at {@code dir} (JPEG images, PNG label
     * maps), rendering on {@code threads} threads.
     */
    public static Path write(Path dir, int images, int size, long seed, int threads, boolean replaceExisting,
                             Progress progress) {
        if (images < 1) {
            throw JdissectException.usage("--images must be at least 1, got " + images);
        }
        if (size < 16 || size % 2 != 0) {
            throw JdissectException.usage("--size must be even and at least 16, got " + size);
        }
        ExecutorService pool = Threads.pool("sceneworld", Math.max(1, threads));
        try (BrodenWriter w = BrodenWriter.create(dir, CATEGORIES, BrodenWriter.ImageFormat.JPEG)) {
            w.replaceExisting(replaceExisting);
            for (Concept k : Concept.values()) {
                w.label(k.number(), k.label());
            }
            int window = 8 * Math.max(1, threads);
            ArrayDeque<Future<BrodenWriter.Prepared>> pending = new ArrayDeque<>();
            int next = 0;
            for (int i = 0; i < images; i++) {
                while (next < images && pending.size() < window) {
                    int index = next++;
                    pending.add(pool.submit(() -> {
                        Scene s = render(seed, index, size);
                        return w.prepare(String.format("sceneworld/%06d", index), splitOf(index), s.image(),
                                s.labelSize(), s.labelSize(), s.pixelLayers(),
                                Map.of("scene", new int[] {s.scene().number()}));
                    }));
                }
                w.add(pending.poll().get());
                progress.advance(1);
            }
            w.finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JdissectException("interrupted while writing SceneWorld to " + dir, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("rendering a SceneWorld image failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return dir;
    }

    private static boolean anyNonZero(int[] a) {
        for (int v : a) {
            if (v != 0) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- rasteriser

    /** A region of the unit square (coordinates are fractions of the image size). */
    interface Region {
        boolean contains(float x, float y);

        /** Bounding box x0, y0, x1, y1 as fractions. */
        float[] bounds();
    }

    record Rect(float x0, float y0, float x1, float y1) implements Region {
        public boolean contains(float x, float y) {
            return x >= x0 && x < x1 && y >= y0 && y < y1;
        }

        public float[] bounds() {
            return new float[] {x0, y0, x1, y1};
        }
    }

    record Ellipse(float cx, float cy, float rx, float ry) implements Region {
        public boolean contains(float x, float y) {
            float dx = (x - cx) / rx;
            float dy = (y - cy) / ry;
            return dx * dx + dy * dy <= 1;
        }

        public float[] bounds() {
            return new float[] {cx - rx, cy - ry, cx + rx, cy + ry};
        }
    }

    /** A polygon, even-odd rule. */
    record Poly(float[] xs, float[] ys) implements Region {
        public boolean contains(float x, float y) {
            boolean in = false;
            for (int i = 0, j = xs.length - 1; i < xs.length; j = i++) {
                if ((ys[i] > y) != (ys[j] > y) && x < (xs[j] - xs[i]) * (y - ys[i]) / (ys[j] - ys[i]) + xs[i]) {
                    in = !in;
                }
            }
            return in;
        }

        public float[] bounds() {
            float[] b = {Float.MAX_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
            for (int i = 0; i < xs.length; i++) {
                b[0] = Math.min(b[0], xs[i]);
                b[1] = Math.min(b[1], ys[i]);
                b[2] = Math.max(b[2], xs[i]);
                b[3] = Math.max(b[3], ys[i]);
            }
            return b;
        }
    }

    record Both(Region a, Region b) implements Region {
        public boolean contains(float x, float y) {
            return a.contains(x, y) && b.contains(x, y);
        }

        public float[] bounds() {
            float[] p = a.bounds();
            float[] q = b.bounds();
            return new float[] {Math.max(p[0], q[0]), Math.max(p[1], q[1]), Math.min(p[2], q[2]), Math.min(p[3], q[3])};
        }
    }

    static Poly tri(float x0, float y0, float x1, float y1, float x2, float y2) {
        return new Poly(new float[] {x0, x1, x2}, new float[] {y0, y1, y2});
    }

    /** Surface patterns; the first five carry a texture label. */
    enum Pattern { STRIPES_H, STRIPES_V, STRIPES_D, CHECKS, DOTS, WAVES, SPECKLE, PLAIN, GRADIENT, BRICKS, PLANKS }

    /** How a region is painted: two colours, a pattern of period {@code period} (fraction of the image). */
    record Paint(int c1, int c2, Pattern pattern, float period, int noise) {
        static Paint plain(int c, int noise) {
            return new Paint(c, c, Pattern.PLAIN, 1, noise);
        }

        Concept texture() {
            return switch (pattern) {
                case STRIPES_H, STRIPES_V, STRIPES_D -> Concept.STRIPED;
                case CHECKS -> Concept.CHECKERED;
                case DOTS -> Concept.DOTTED;
                case WAVES -> Concept.WAVY;
                case SPECKLE -> Concept.SPECKLED;
                default -> null;
            };
        }
    }

    static final class Canvas {
        final int s;
        final int[] rgb;
        final int[] obj;
        final int[] behind;
        final int[] part;
        final int[] mat;
        final int[] tex;
        final int salt;
        private static final boolean[] THING = new boolean[Concept.values().length + 1];

        static {
            for (Concept k : List.of(Concept.HOUSE, Concept.TREE, Concept.CAR, Concept.BOAT, Concept.PERSON,
                    Concept.FENCE, Concept.ROCK, Concept.CACTUS, Concept.BED, Concept.TABLE, Concept.CABINET,
                    Concept.LAMP, Concept.UMBRELLA, Concept.MOUNTAIN)) {
                THING[k.number()] = true;
            }
        }

        Canvas(int s, int salt) {
            this.s = s;
            int n = s * s;
            rgb = new int[n];
            obj = new int[n];
            behind = new int[n];
            part = new int[n];
            mat = new int[n];
            tex = new int[n];
            this.salt = salt;
        }

        /** Paints {@code r}; a thing painted over another thing keeps the hidden one in the behind layer. */
        void fill(Region r, Paint p, Concept object, Concept partLabel, Concept material) {
            float[] b = r.bounds();
            int x0 = Math.max(0, (int) Math.floor(b[0] * s));
            int y0 = Math.max(0, (int) Math.floor(b[1] * s));
            int x1 = Math.min(s - 1, (int) Math.ceil(b[2] * s));
            int y1 = Math.min(s - 1, (int) Math.ceil(b[3] * s));
            int o = object.number();
            int pl = partLabel == null ? 0 : partLabel.number();
            int m = material == null ? 0 : material.number();
            Concept t = p.texture();
            int tl = t == null ? 0 : t.number();
            float inv = 1f / s;
            float span = Math.max(1, y1 - y0);
            for (int y = y0; y <= y1; y++) {
                float fy = (y + 0.5f) * inv;
                for (int x = x0; x <= x1; x++) {
                    float fx = (x + 0.5f) * inv;
                    if (!r.contains(fx, fy)) {
                        continue;
                    }
                    int i = y * s + x;
                    int prev = obj[i];
                    if (prev != o) {
                        behind[i] = THING[prev] && THING[o] ? prev : 0;
                    }
                    obj[i] = o;
                    part[i] = pl;
                    mat[i] = m;
                    tex[i] = tl;
                    rgb[i] = shade(p, x, y, (y - y0) / span);
                }
            }
        }

        private int shade(Paint p, int x, int y, float v) {
            float per = Math.max(2f, p.period() * s);
            boolean second = switch (p.pattern()) {
                case STRIPES_H -> ((int) Math.floor(y / per) & 1) == 1;
                case STRIPES_V -> ((int) Math.floor(x / per) & 1) == 1;
                case STRIPES_D -> ((int) Math.floor((x + y) / per) & 1) == 1;
                case CHECKS -> (((int) Math.floor(x / per) + (int) Math.floor(y / per)) & 1) == 1;
                case DOTS -> {
                    float cx = (float) (x - (Math.floor(x / per) + 0.5) * per);
                    float cy = (float) (y - (Math.floor(y / per) + 0.5) * per);
                    yield cx * cx + cy * cy < per * per * 0.1f;
                }
                case WAVES -> (((int) Math.floor((y + per * 0.35 * Math.sin(x * 2.1 / per)) / per)) & 1) == 1;
                case SPECKLE -> (hash(x, y, salt ^ 0x5bd1e995) & 7) == 0;
                case BRICKS -> {
                    int row = (int) Math.floor(y / per);
                    float off = (row & 1) * per;
                    yield y - row * per < 1 || ((x + off) % (2 * per)) < 1;
                }
                case PLANKS -> (y % Math.max(3, (int) per)) == 0;
                default -> false;
            };
            int c = p.pattern() == Pattern.GRADIENT ? mix(p.c1(), p.c2(), v) : second ? p.c2() : p.c1();
            if (p.noise() > 0) {
                int n = ((hash(x, y, salt) & 255) - 128) * p.noise() / 128;
                c = add(c, n);
            }
            return c;
        }

        /** Global lighting: brightness and a warm or cool cast, then the colour labels from the final pixels. */
        void light(Random rnd) {
            float gain = 0.7f + 0.5f * rnd.nextFloat();
            float tr = 1 + 0.12f * (rnd.nextFloat() * 2 - 1);
            float tb = 1 + 0.12f * (rnd.nextFloat() * 2 - 1);
            for (int i = 0; i < rgb.length; i++) {
                int c = rgb[i];
                int r = clamp(Math.round(((c >> 16) & 255) * gain * tr));
                int g = clamp(Math.round(((c >> 8) & 255) * gain));
                int b = clamp(Math.round((c & 255) * gain * tb));
                rgb[i] = (r << 16) | (g << 8) | b;
            }
        }

        Scene toScene(Concept scene) {
            BufferedImage img = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
            System.arraycopy(rgb, 0, ((DataBufferInt) img.getRaster().getDataBuffer()).getData(), 0, rgb.length);
            int h = s / 2;
            int[] color = new int[h * h];
            int[] o = new int[h * h];
            int[] ob = new int[h * h];
            int[] pa = new int[h * h];
            int[] ma = new int[h * h];
            int[] te = new int[h * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < h; x++) {
                    int j = y * h + x;
                    int i = (2 * y + 1) * s + 2 * x + 1;
                    o[j] = obj[i];
                    ob[j] = behind[i];
                    pa[j] = part[i];
                    ma[j] = mat[i];
                    te[j] = tex[i];
                    int r = 0;
                    int g = 0;
                    int b = 0;
                    for (int dy = 0; dy < 2; dy++) {
                        for (int dx = 0; dx < 2; dx++) {
                            int c = rgb[(2 * y + dy) * s + 2 * x + dx];
                            r += (c >> 16) & 255;
                            g += (c >> 8) & 255;
                            b += c & 255;
                        }
                    }
                    color[j] = colourName(r / 4, g / 4, b / 4).number();
                }
            }
            return new Scene(img, scene, h, color, o, ob, pa, ma, te);
        }
    }

    /** The colour word for an sRGB value: black, white and grey by value and saturation, the rest by hue. */
    public static Concept colourName(int r, int g, int b) {
        int max = Math.max(r, Math.max(g, b));
        int min = Math.min(r, Math.min(g, b));
        float v = max / 255f;
        float sat = max == 0 ? 0 : (max - min) / (float) max;
        if (v < 0.18f) {
            return Concept.BLACK;
        }
        if (sat < 0.18f) {
            return v > 0.78f ? Concept.WHITE : Concept.GREY;
        }
        float hue;
        float d = max - min;
        if (max == r) {
            hue = 60 * (((g - b) / d) % 6);
        } else if (max == g) {
            hue = 60 * ((b - r) / d + 2);
        } else {
            hue = 60 * ((r - g) / d + 4);
        }
        if (hue < 0) {
            hue += 360;
        }
        if (hue < 15 || hue >= 345) {
            return sat < 0.45f && v > 0.7f ? Concept.PINK : v < 0.55f ? Concept.BROWN : Concept.RED;
        }
        if (hue < 45) {
            return v < 0.62f ? Concept.BROWN : Concept.ORANGE;
        }
        if (hue < 70) {
            return v < 0.5f ? Concept.BROWN : Concept.YELLOW;
        }
        if (hue < 170) {
            return Concept.GREEN;
        }
        if (hue < 260) {
            return Concept.BLUE;
        }
        if (hue < 300) {
            return Concept.PURPLE;
        }
        return Concept.PINK;
    }

    static int hash(int x, int y, int salt) {
        int h = x * 0x27d4eb2d ^ y * 0x165667b1 ^ salt;
        h ^= h >>> 15;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h;
    }

    static int clamp(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }

    static int add(int c, int n) {
        return (clamp(((c >> 16) & 255) + n) << 16) | (clamp(((c >> 8) & 255) + n) << 8) | clamp((c & 255) + n);
    }

    static int mix(int a, int b, float t) {
        int r = Math.round(((a >> 16) & 255) * (1 - t) + ((b >> 16) & 255) * t);
        int g = Math.round(((a >> 8) & 255) * (1 - t) + ((b >> 8) & 255) * t);
        int bl = Math.round((a & 255) * (1 - t) + (b & 255) * t);
        return (r << 16) | (g << 8) | bl;
    }

    static int scale(int c, float f) {
        return (clamp(Math.round(((c >> 16) & 255) * f)) << 16) | (clamp(Math.round(((c >> 8) & 255) * f)) << 8)
                | clamp(Math.round((c & 255) * f));
    }

    // ---------------------------------------------------------------- scenes

    /** Composes one scene on a canvas: background first, then things from far to near. */
    static final class Composer {
        private final Canvas c;
        private final Random rnd;

        Composer(Canvas c, Random rnd) {
            this.c = c;
            this.rnd = rnd;
        }

        float u(float a, float b) {
            return a + (b - a) * rnd.nextFloat();
        }

        int n(int a, int b) {
            return a + rnd.nextInt(b - a + 1);
        }

        boolean p(double probability) {
            return rnd.nextDouble() < probability;
        }

        int jitter(int rgb, int amount) {
            int r = clamp(((rgb >> 16) & 255) + rnd.nextInt(2 * amount + 1) - amount);
            int g = clamp(((rgb >> 8) & 255) + rnd.nextInt(2 * amount + 1) - amount);
            int b = clamp((rgb & 255) + rnd.nextInt(2 * amount + 1) - amount);
            return (r << 16) | (g << 8) | b;
        }

        int pick(int... colours) {
            return jitter(colours[rnd.nextInt(colours.length)], 18);
        }

        /**
         * Any of the eleven colour words: painted things (cars, doors, clothes, blankets, umbrellas, hulls, walls)
         * take their colour from here, so that no colour belongs to one kind of object.
         */
        int anyColour() {
            return pick(0xd02828, 0xf08020, 0xf0d020, 0x30a040, 0x2850c8, 0x8040b0, 0xf090b0, 0x7a4a22, 0xf4f4f4,
                    0x202020, 0x909090);
        }

        /** A random textured or plain paint around {@code base}: stripes, checks, dots, waves or plain. */
        Paint fabric(int base) {
            int other = p(0.6) ? anyColour() : scale(base, 0.45f);
            return switch (rnd.nextInt(6)) {
                case 0 -> new Paint(base, other, p(0.5) ? Pattern.STRIPES_H : Pattern.STRIPES_V, u(0.02f, 0.04f), 6);
                case 1 -> new Paint(base, other, Pattern.CHECKS, u(0.025f, 0.05f), 6);
                case 2 -> new Paint(base, other, Pattern.DOTS, u(0.03f, 0.05f), 6);
                case 3 -> new Paint(base, other, Pattern.WAVES, u(0.025f, 0.04f), 6);
                default -> Paint.plain(base, 8);
            };
        }

        void compose(Concept scene) {
            switch (scene) {
                case SKI_RESORT -> skiResort();
                case MOUNTAIN_S -> mountainScene();
                case BEACH -> beach();
                case HARBOUR -> harbour();
                case STREET -> street();
                case TOWN_SQUARE -> townSquare();
                case FOREST -> forest();
                case FARM -> farm();
                case DESERT -> desert();
                case BEDROOM -> bedroom();
                case KITCHEN -> kitchen();
                default -> throw new IllegalArgumentException("not a scene: " + scene);
            }
        }

        // ---- backgrounds

        void sky(float horizon) {
            int kind = rnd.nextInt(10);
            int top;
            int bottom;
            if (kind < 6) {
                top = pick(0x2a5cc8, 0x3a70d8, 0x1e4fb0);
                bottom = pick(0x9cc8f0, 0xb0d4f4);
            } else if (kind < 8) {
                top = pick(0x3a3f8a, 0x5a4a9a);
                bottom = pick(0xf09040, 0xf0a060, 0xe87060);
            } else {
                top = pick(0x8a9098, 0x9aa0a8);
                bottom = pick(0xc8ccd0, 0xb8bcc0);
            }
            c.fill(new Rect(0, 0, 1, horizon + 0.01f), new Paint(top, bottom, Pattern.GRADIENT, 1, 3), Concept.SKY,
                    null, null);
            if (kind < 8 && p(0.6)) {
                float r = u(0.04f, 0.08f);
                c.fill(new Ellipse(u(0.1f, 0.9f), u(0.08f, horizon - r), r, r),
                        Paint.plain(kind < 6 ? pick(0xfff8c0, 0xfff0a0) : pick(0xff9040, 0xffb060), 2), Concept.SUN,
                        null, null);
            }
            int clouds = kind >= 8 ? n(2, 5) : n(0, 3);
            for (int k = 0; k < clouds; k++) {
                float cx = u(0, 1);
                float cy = u(0.05f, Math.max(0.06f, horizon - 0.08f));
                float w = u(0.08f, 0.18f);
                int col = kind >= 8 ? pick(0xa0a4a8, 0xd8d8dc) : pick(0xf4f4f8, 0xe8e8f0);
                for (int b = 0; b < 3; b++) {
                    c.fill(new Ellipse(cx + (b - 1) * w * 0.6f, cy + (b == 1 ? -w * 0.15f : 0), w * 0.55f, w * 0.3f),
                            Paint.plain(col, 4), Concept.CLOUD, null, null);
                }
            }
        }

        void ground(float top, Paint paint, Concept material) {
            c.fill(new Rect(0, top, 1, 1.001f), paint, Concept.GROUND, null, material);
        }

        void mountains(float horizon, int count, int rock, double snowChance) {
            for (int k = 0; k < count; k++) {
                float cx = u(-0.1f, 1.1f);
                float w = u(0.3f, 0.6f);
                float peak = u(0.08f, Math.max(0.1f, horizon - 0.12f));
                int pts = 7;
                float[] xs = new float[pts + 2];
                float[] ys = new float[pts + 2];
                for (int i = 0; i < pts; i++) {
                    float t = i / (float) (pts - 1);
                    xs[i] = cx - w + 2 * w * t;
                    float ridge = 1 - Math.abs(2 * t - 1);
                    ys[i] = i == 0 || i == pts - 1 ? horizon + 0.01f
                            : horizon - (horizon - peak) * ridge * u(0.75f, 1.05f);
                }
                xs[pts] = cx + w;
                ys[pts] = horizon + 0.02f;
                xs[pts + 1] = cx - w;
                ys[pts + 1] = horizon + 0.02f;
                Poly m = new Poly(xs, ys);
                int col = jitter(scale(rock, u(0.8f, 1.1f)), 12);
                c.fill(m, new Paint(col, scale(col, 0.8f), Pattern.PLAIN, 1, 10), Concept.MOUNTAIN, null,
                        Concept.STONE);
                if (p(snowChance)) {
                    float line = peak + (horizon - peak) * u(0.25f, 0.5f);
                    c.fill(new Both(m, new Rect(-1, -1, 2, line)), Paint.plain(pick(0xf4f6fa, 0xe8ecf4), 6),
                            Concept.MOUNTAIN, null, Concept.SNOW);
                }
            }
        }

        void water(float top, float bottom) {
            int col = pick(0x2060a0, 0x1a70a8, 0x207890, 0x305890, 0x3a6a6a, 0x4a7a90);
            int roll = rnd.nextInt(10);
            Pattern pattern = roll < 5 ? Pattern.WAVES : roll < 8 ? Pattern.PLAIN : Pattern.SPECKLE;
            c.fill(new Rect(0, top, 1, bottom), new Paint(col, scale(col, 1.35f), pattern, u(0.025f, 0.04f), 8),
                    Concept.WATER, null, null);
        }

        // ---- things (x is the centre, base the bottom, h the height, as fractions)

        void house(float x, float base, float w, float h, boolean wooden, int wallColour) {
            float x0 = x - w / 2;
            float x1 = x + w / 2;
            float top = base - h;
            Paint wall = wooden ? new Paint(wallColour, scale(wallColour, 0.7f), Pattern.STRIPES_H, u(0.015f, 0.025f), 5)
                    : p(0.5) ? new Paint(wallColour, pick(0xd8d0c0, 0xc0c0c0), Pattern.BRICKS, u(0.02f, 0.03f), 8)
                    : Paint.plain(wallColour, 6);
            Concept wallMaterial = wooden ? Concept.WOOD : wall.pattern() == Pattern.BRICKS ? Concept.BRICK : null;
            float roofH = h * u(0.3f, 0.55f);
            int roofColour = pick(0x8a2a1a, 0x503020, 0x404048, 0x6a3a2a, 0x2a3a5a);
            if (p(0.5)) {
                float cx = x1 - w * u(0.15f, 0.3f);
                c.fill(new Rect(cx, top - roofH * 0.9f, cx + w * 0.1f, top), Paint.plain(pick(0x8a3a2a, 0x606060), 6),
                        Concept.HOUSE, Concept.CHIMNEY, Concept.BRICK);
            }
            c.fill(new Rect(x0, top, x1, base), wall, Concept.HOUSE, Concept.WALL, wallMaterial);
            Region roof = p(0.6) ? tri(x0 - w * 0.06f, top + 0.002f, x1 + w * 0.06f, top + 0.002f, x, top - roofH)
                    : new Poly(new float[] {x0 - w * 0.06f, x1 + w * 0.06f, x1 - w * 0.15f, x0 + w * 0.15f},
                    new float[] {top + 0.002f, top + 0.002f, top - roofH, top - roofH});
            c.fill(roof, new Paint(roofColour, scale(roofColour, 0.75f), p(0.4) ? Pattern.STRIPES_H : Pattern.PLAIN,
                    0.015f, 6), Concept.HOUSE, Concept.ROOF, null);
            float doorW = w * u(0.16f, 0.24f);
            float doorH = h * u(0.45f, 0.6f);
            float dx = x0 + u(0.12f, 0.88f - doorW / w) * w;
            c.fill(new Rect(dx, base - doorH, dx + doorW, base), Paint.plain(p(0.5) ? anyColour() : pick(0x5a3418, 0x7a4a20, 0x8a1a1a,
                    0x1a4a2a, 0x203060), 6), Concept.HOUSE, Concept.DOOR, Concept.WOOD);
            int windows = Math.min(n(1, 4), Math.max(1, (int) (w / 0.07f)));
            float ww = w * u(0.12f, 0.18f);
            float wh = h * u(0.18f, 0.28f);
            float wy = top + h * u(0.12f, 0.2f);
            int glass = pick(0x90c0e0, 0x304060, 0xf0d070, 0xa0d0f0);
            for (int k = 0; k < windows; k++) {
                float wx = x0 + w * (0.15f + 0.7f * (k + 0.5f) / windows) - ww / 2;
                if (wx + ww > dx && wx < dx + doorW && wy + wh > base - doorH) {
                    continue;
                }
                c.fill(new Rect(wx, wy, wx + ww, wy + wh), new Paint(glass, 0xf0f0f0, Pattern.PLAIN, 1, 4),
                        Concept.HOUSE, Concept.WINDOW, Concept.GLASS);
            }
        }

        void tree(float x, float base, float h, boolean pine, int leaves) {
            float tw = h * u(0.07f, 0.11f);
            float trunkH = h * (pine ? 0.25f : 0.45f);
            c.fill(new Rect(x - tw / 2, base - trunkH - h * 0.05f, x + tw / 2, base),
                    Paint.plain(pick(0x5a3a20, 0x4a3020, 0x6a4a30), 8), Concept.TREE, Concept.TRUNK, Concept.WOOD);
            Paint foliage = p(0.5) ? new Paint(leaves, scale(leaves, 0.65f), Pattern.SPECKLE, 1, 10)
                    : Paint.plain(leaves, 12);
            if (pine) {
                float w = h * u(0.28f, 0.4f);
                for (int k = 0; k < 3; k++) {
                    float t = base - trunkH - k * h * 0.22f;
                    c.fill(tri(x - w * (1 - 0.22f * k), t, x + w * (1 - 0.22f * k), t, x, t - h * 0.4f), foliage,
                            Concept.TREE, Concept.FOLIAGE, null);
                }
            } else {
                float r = h * u(0.3f, 0.4f);
                c.fill(new Ellipse(x, base - trunkH - r * 0.7f, r, r * u(0.85f, 1.1f)), foliage, Concept.TREE,
                        Concept.FOLIAGE, null);
            }
        }

        int leafColour(boolean pine) {
            // autumn too: foliage is not the only green, green is not only foliage
            return pine ? pick(0x1a4a2a, 0x205a30, 0x184020, 0x3a5a40)
                    : pick(0x2a7a2a, 0x3a8a30, 0x4a9a3a, 0xc07020, 0xa09020, 0xb03020, 0xe0b030, 0x8a5a20);
        }

        void car(float x, float base, float w) {
            float h = w * u(0.42f, 0.5f);
            int body = anyColour();
            Paint bp = Paint.plain(body, 6);
            float x0 = x - w / 2;
            float cab = base - h * 0.55f;
            c.fill(new Poly(new float[] {x0 + w * 0.2f, x0 + w * 0.78f, x0 + w * 0.7f, x0 + w * 0.3f},
                    new float[] {cab, cab, base - h, base - h}), bp, Concept.CAR, Concept.BODY, Concept.METAL);
            c.fill(new Rect(x0, cab, x0 + w, base - h * 0.15f), bp, Concept.CAR, Concept.BODY, Concept.METAL);
            int glass = pick(0x80b0d0, 0x405060);
            c.fill(new Poly(new float[] {x0 + w * 0.25f, x0 + w * 0.48f, x0 + w * 0.48f, x0 + w * 0.33f},
                    new float[] {cab, cab, base - h * 0.92f, base - h * 0.92f}), Paint.plain(glass, 4), Concept.CAR,
                    Concept.WINDOW, Concept.GLASS);
            c.fill(new Poly(new float[] {x0 + w * 0.52f, x0 + w * 0.73f, x0 + w * 0.66f, x0 + w * 0.52f},
                    new float[] {cab, cab, base - h * 0.92f, base - h * 0.92f}), Paint.plain(glass, 4), Concept.CAR,
                    Concept.WINDOW, Concept.GLASS);
            float r = h * 0.2f;
            for (float wx : new float[] {x0 + w * 0.22f, x0 + w * 0.78f}) {
                c.fill(new Ellipse(wx, base - r, r, r), Paint.plain(pick(0x181818, 0x282828), 4), Concept.CAR,
                        Concept.WHEEL, null);
            }
        }

        void boat(float x, float waterline, float w) {
            float h = w * u(0.22f, 0.3f);
            int hull = anyColour();
            c.fill(new Poly(new float[] {x - w / 2, x + w / 2, x + w * 0.38f, x - w * 0.38f},
                    new float[] {waterline - h, waterline - h, waterline, waterline}), Paint.plain(hull, 6),
                    Concept.BOAT, Concept.HULL, Concept.WOOD);
            if (p(0.8)) {
                float mh = w * u(0.7f, 1.0f);
                float mw = Math.max(0.012f, w * 0.04f);
                c.fill(new Rect(x - mw / 2, waterline - h - mh, x + mw / 2, waterline - h), Paint.plain(pick(0x6a4a2a,
                        0x909090), 6), Concept.BOAT, Concept.MAST, Concept.WOOD);
                int sail = pick(0xf4f4f0, 0xf0e8d0, 0xd03030);
                Paint sp = p(0.3) ? new Paint(sail, pick(0x2040a0, 0xd03030), Pattern.STRIPES_V, 0.02f, 4)
                        : Paint.plain(sail, 4);
                c.fill(tri(x + mw, waterline - h - mh * 0.95f, x + mw, waterline - h - mh * 0.1f,
                        x + w * u(0.3f, 0.45f), waterline - h - mh * 0.1f), sp, Concept.BOAT, Concept.SAIL,
                        Concept.FABRIC);
            }
        }

        void person(float x, float base, float h) {
            float w = h * 0.32f;
            int skin = pick(0xf0c8a0, 0xc89870, 0x8a5a3a, 0xe0b090);
            Paint trousers = Paint.plain(pick(0x203050, 0x303030, 0x5a4030, 0x406080), 6);
            c.fill(new Rect(x - w * 0.45f, base - h * 0.45f, x - w * 0.05f, base), trousers, Concept.PERSON,
                    Concept.LEG, Concept.FABRIC);
            c.fill(new Rect(x + w * 0.05f, base - h * 0.45f, x + w * 0.45f, base), trousers, Concept.PERSON,
                    Concept.LEG, Concept.FABRIC);
            c.fill(new Rect(x - w / 2, base - h * 0.82f, x + w / 2, base - h * 0.43f),
                    fabric(anyColour()),
                    Concept.PERSON, Concept.TORSO, Concept.FABRIC);
            c.fill(new Ellipse(x, base - h * 0.9f, w * 0.33f, h * 0.09f), Paint.plain(skin, 5), Concept.PERSON,
                    Concept.HEAD, null);
        }

        void fence(float y0, float y1, float x0, float x1) {
            Paint wood = Paint.plain(pick(0xf0f0f0, 0x8a6a40, 0x6a4a2a), 6);
            float h = y1 - y0;
            for (float r : new float[] {0.2f, 0.6f}) {
                c.fill(new Rect(x0, y0 + h * r, x1, y0 + h * (r + 0.15f)), wood, Concept.FENCE, null, Concept.WOOD);
            }
            float step = h * 0.8f;
            for (float x = x0; x < x1; x += step) {
                c.fill(new Rect(x, y0, x + h * 0.15f, y1), wood, Concept.FENCE, null, Concept.WOOD);
            }
        }

        void rock(float x, float base, float r) {
            int col = pick(0x808080, 0x6a6058, 0x908878, 0xa08060);
            c.fill(new Ellipse(x, base - r * 0.5f, r, r * 0.6f), new Paint(col, scale(col, 0.75f), Pattern.PLAIN, 1,
                    14), Concept.ROCK, null, Concept.STONE);
        }

        void cactus(float x, float base, float h) {
            Paint green = new Paint(pick(0x3a7a30, 0x4a8a3a, 0x2a6a3a), 0, Pattern.PLAIN, 1, 10);
            float w = h * 0.16f;
            c.fill(new Rect(x - w / 2, base - h, x + w / 2, base), green, Concept.CACTUS, null, null);
            float ay = base - h * u(0.45f, 0.65f);
            c.fill(new Rect(x - w * 1.8f, ay, x, ay + w * 0.6f), green, Concept.CACTUS, null, null);
            c.fill(new Rect(x - w * 1.8f, ay - h * 0.25f, x - w * 1.2f, ay + w * 0.6f), green, Concept.CACTUS, null,
                    null);
            if (p(0.6)) {
                float by = base - h * u(0.35f, 0.55f);
                c.fill(new Rect(x, by, x + w * 1.8f, by + w * 0.6f), green, Concept.CACTUS, null, null);
                c.fill(new Rect(x + w * 1.2f, by - h * 0.2f, x + w * 1.8f, by + w * 0.6f), green, Concept.CACTUS,
                        null, null);
            }
        }

        void umbrella(float x, float base, float h) {
            int a = anyColour();
            c.fill(new Rect(x - 0.006f, base - h, x + 0.006f, base), Paint.plain(0xe0e0e0, 4), Concept.UMBRELLA, null,
                    Concept.METAL);
            float w = h * u(0.5f, 0.7f);
            c.fill(tri(x - w, base - h * 0.75f, x + w, base - h * 0.75f, x, base - h * 1.05f),
                    new Paint(a, 0xf4f4f4, Pattern.STRIPES_V, w / 3, 4), Concept.UMBRELLA, null, Concept.FABRIC);
        }

        void streetLamp(float x, float base, float h) {
            Paint metal = Paint.plain(pick(0x303030, 0x404850), 6);
            c.fill(new Rect(x - 0.008f, base - h, x + 0.008f, base), metal, Concept.LAMP, null, Concept.METAL);
            c.fill(new Ellipse(x, base - h, 0.025f, 0.02f), Paint.plain(pick(0xfff0b0, 0xf0f0e0), 4), Concept.LAMP,
                    Concept.SHADE, Concept.GLASS);
        }

        // ---- indoors

        float room(boolean kitchen) {
            float floorY = u(0.55f, 0.72f);
            int wc = p(0.5) ? pick(0xe8e0d0, 0xd0e0e8, 0xe8d0d0, 0xd8e8c8, 0xf0e8a0, 0xc0c8d8, 0xa0b8d0) : anyColour();
            int roll = rnd.nextInt(4);
            Paint wall = roll == 0 ? new Paint(wc, scale(wc, 0.75f), Pattern.STRIPES_V, u(0.03f, 0.05f), 4)
                    : roll == 1 && !kitchen ? new Paint(wc, scale(wc, 0.7f), Pattern.DOTS, u(0.04f, 0.06f), 4)
                    : Paint.plain(wc, 5);
            c.fill(new Rect(0, 0, 1, floorY), wall, Concept.WALL, null, null);
            Paint floor;
            Concept floorMaterial;
            if (kitchen || p(0.2)) {
                int a = pick(0xe8e8e8, 0xd0c0a0, 0x808890);
                floor = new Paint(a, pick(0x303030, 0x8a3020, 0x405070), Pattern.CHECKS, u(0.04f, 0.07f), 4);
                floorMaterial = Concept.TILE;
            } else if (p(0.6)) {
                int a = pick(0x9a6a3a, 0x7a5030, 0xb08050);
                floor = new Paint(a, scale(a, 0.8f), Pattern.PLANKS, u(0.03f, 0.05f), 8);
                floorMaterial = Concept.WOOD;
            } else {
                floor = Paint.plain(pick(0x8a2a3a, 0x3a4a7a, 0x6a6a6a, 0xb0a080), 6);
                floorMaterial = Concept.FABRIC;
            }
            c.fill(new Rect(0, floorY, 1, 1.001f), floor, Concept.FLOOR, null, floorMaterial);
            return floorY;
        }

        /** Windows, a door and a painting on the room's wall (all within the wall region above the floor). */
        void wallOpenings(float floorY, boolean allowPainting) {
            float used0 = -1;
            float used1 = -1;
            if (p(0.7)) {
                float dw = u(0.12f, 0.18f);
                float dx = u(0.02f, 0.98f - dw);
                c.fill(new Rect(dx, floorY * u(0.2f, 0.35f), dx + dw, floorY),
                        Paint.plain(pick(0x6a4020, 0x8a5a30, 0xf0f0f0, 0x40506a), 6), Concept.WALL, Concept.DOOR,
                        Concept.WOOD);
                used0 = dx;
                used1 = dx + dw;
            }
            int windows = n(0, 2);
            for (int k = 0; k < windows; k++) {
                float ww = u(0.15f, 0.25f);
                float wx = u(0.02f, 0.98f - ww);
                if (wx + ww > used0 - 0.02f && wx < used1 + 0.02f) {
                    continue;
                }
                float wy = floorY * u(0.1f, 0.25f);
                float wh = floorY * u(0.3f, 0.45f);
                int glass = pick(0x90c8f0, 0x203050, 0xa0d0f8);
                c.fill(new Rect(wx, wy, wx + ww, wy + wh), new Paint(glass, 0xf0f0f0, Pattern.PLAIN, 1, 4),
                        Concept.WALL, Concept.WINDOW, Concept.GLASS);
                used0 = Math.min(used0 < 0 ? wx : used0, wx);
                used1 = Math.max(used1, wx + ww);
            }
            if (allowPainting && p(0.5)) {
                float pw = u(0.1f, 0.18f);
                float px = u(0.02f, 0.98f - pw);
                if (px + pw < used0 - 0.02f || px > used1 + 0.02f) {
                    float py = floorY * u(0.15f, 0.3f);
                    c.fill(new Rect(px, py, px + pw, py + pw * 0.8f), Paint.plain(pick(0x5a3a1a, 0xc0a040), 4),
                            Concept.PAINTING, null, Concept.WOOD);
                    c.fill(new Rect(px + pw * 0.12f, py + pw * 0.1f, px + pw * 0.88f, py + pw * 0.7f),
                            new Paint(pick(0x3060a0, 0xd05030, 0x50a050, 0xe0c040), pick(0xf0f0f0, 0x303030),
                                    p(0.5) ? Pattern.GRADIENT : Pattern.PLAIN, 1, 10),
                            Concept.PAINTING, null, null);
                }
            }
        }

        void lamp(float x, float base, float h) {
            c.fill(new Rect(x - 0.006f, base - h * 0.7f, x + 0.006f, base), Paint.plain(pick(0x303030, 0xb0a070), 4),
                    Concept.LAMP, null, Concept.METAL);
            c.fill(new Rect(x - 0.03f, base - 0.012f, x + 0.03f, base), Paint.plain(0x303030, 4), Concept.LAMP, null,
                    Concept.METAL);
            float w = h * u(0.22f, 0.3f);
            c.fill(new Poly(new float[] {x - w, x + w, x + w * 0.6f, x - w * 0.6f},
                    new float[] {base - h * 0.65f, base - h * 0.65f, base - h, base - h}),
                    Paint.plain(pick(0xf8f0c0, 0xf0e0a0, 0xe8e8e8, 0xd0a060), 4), Concept.LAMP, Concept.SHADE,
                    Concept.FABRIC);
        }

        void bed(float x, float base, float w) {
            float h = w * u(0.35f, 0.45f);
            int woodC = pick(0x6a4020, 0x8a5a30, 0xe0e0e0, 0x40302a);
            c.fill(new Rect(x - w / 2, base - h * 1.5f, x - w / 2 + w * 0.06f, base), Paint.plain(woodC, 6),
                    Concept.BED, null, Concept.WOOD);
            c.fill(new Rect(x - w / 2, base - h * 0.35f, x + w / 2, base), Paint.plain(woodC, 6), Concept.BED, null,
                    Concept.WOOD);
            c.fill(new Rect(x - w / 2 + w * 0.06f, base - h * 0.9f, x + w / 2, base - h * 0.3f),
                    fabric(anyColour()), Concept.BED,
                    Concept.BLANKET, Concept.FABRIC);
            c.fill(new Ellipse(x - w / 2 + w * 0.2f, base - h * 0.95f, w * 0.12f, h * 0.15f),
                    Paint.plain(pick(0xf8f8f8, 0xf0e8d8, 0xd0e0f0), 4), Concept.BED, Concept.PILLOW, Concept.FABRIC);
        }

        void table(float x, float base, float w) {
            float h = w * u(0.45f, 0.6f);
            Paint wood = Paint.plain(pick(0x8a5a30, 0x6a4020, 0xb08050, 0xe0e0e0), 8);
            float leg = Math.max(0.012f, w * 0.07f);
            c.fill(new Rect(x - w / 2 + leg * 0.3f, base - h, x - w / 2 + leg * 1.3f, base), wood, Concept.TABLE,
                    Concept.LEG, Concept.WOOD);
            c.fill(new Rect(x + w / 2 - leg * 1.3f, base - h, x + w / 2 - leg * 0.3f, base), wood, Concept.TABLE,
                    Concept.LEG, Concept.WOOD);
            c.fill(new Rect(x - w / 2, base - h - w * 0.08f, x + w / 2, base - h), wood, Concept.TABLE,
                    Concept.TABLETOP, Concept.WOOD);
        }

        void cabinets(float floorY) {
            float h = u(0.2f, 0.3f);
            float x0 = u(-0.1f, 0.3f);
            float x1 = Math.min(1.1f, x0 + u(0.4f, 0.8f));
            int col = pick(0xf0f0f0, 0x8a5a30, 0x406080, 0xa0b0a0, 0xd0c090);
            float top = floorY + 0.02f - h;
            c.fill(new Rect(x0, top, x1, floorY + 0.02f), Paint.plain(col, 6), Concept.CABINET, null, Concept.WOOD);
            c.fill(new Rect(x0 - 0.01f, top - 0.025f, x1 + 0.01f, top), Paint.plain(pick(0x303030, 0xc0c0c0, 0x8a7a6a), 6),
                    Concept.CABINET, null, Concept.STONE);
            int drawers = Math.max(2, Math.round((x1 - x0) / 0.15f));
            float dw = (x1 - x0) / drawers;
            for (int k = 0; k < drawers; k++) {
                float dx = x0 + k * dw;
                c.fill(new Rect(dx + dw * 0.1f, top + h * 0.1f, dx + dw * 0.9f, top + h * 0.4f),
                        Paint.plain(scale(col, 0.85f), 6), Concept.CABINET, Concept.DRAWER, Concept.WOOD);
            }
        }

        // ---- scenes

        void skiResort() {
            float horizon = u(0.35f, 0.55f);
            sky(horizon);
            mountains(horizon, n(1, 3), pick(0x707888, 0x606a7a), 0.9);
            int snow = pick(0xf4f6fa, 0xe8eef8, 0xdde4f0);
            ground(horizon, new Paint(snow, scale(snow, 0.9f), p(0.5) ? Pattern.SPECKLE : Pattern.PLAIN, 1, 5),
                    Concept.SNOW);
            Things things = new Things();
            if (p(0.6)) {
                float base = horizon + u(0.05f, 0.15f);
                float sc = 0.5f + base;
                things.add(base, () -> house(u(0.2f, 0.8f), base, 0.25f * sc, 0.16f * sc, true,
                        pick(0x8a5a30, 0x6a4020, 0xa06a3a)));
            }
            int trees = n(1, 4);
            for (int k = 0; k < trees; k++) {
                float base = u(horizon + 0.05f, 0.95f);
                things.add(base, () -> tree(u(0, 1), base, 0.3f * (0.4f + base), true, leafColour(true)));
            }
            int people = n(1, 4);
            for (int k = 0; k < people; k++) {
                float base = u(horizon + 0.1f, 0.98f);
                things.add(base, () -> person(u(0.05f, 0.95f), base, 0.22f * (0.3f + base)));
            }
            things.draw();
        }

        void mountainScene() {
            float horizon = u(0.45f, 0.65f);
            sky(horizon);
            mountains(horizon, n(2, 4), pick(0x6a6a70, 0x7a6a5a, 0x5a6070), 0.6);
            boolean snowy = p(0.35);
            if (snowy) {
                ground(horizon, Paint.plain(pick(0xf0f2f8, 0xe4e8f0), 5), Concept.SNOW);
            } else {
                int g = pick(0x5a8a3a, 0x6a9a40, 0x4a7a30, 0x8a9a50);
                ground(horizon, new Paint(g, scale(g, 0.8f), Pattern.PLAIN, 1, 10), Concept.GRASS);
            }
            Things things = new Things();
            int rocks = n(1, 3);
            for (int k = 0; k < rocks; k++) {
                float base = u(horizon + 0.05f, 1);
                things.add(base, () -> rock(u(0, 1), base, 0.08f * (0.3f + base)));
            }
            int trees = n(0, 3);
            for (int k = 0; k < trees; k++) {
                float base = u(horizon + 0.05f, 1);
                things.add(base, () -> tree(u(0, 1), base, 0.3f * (0.3f + base), true, leafColour(true)));
            }
            things.draw();
        }

        void beach() {
            float horizon = u(0.3f, 0.45f);
            sky(horizon);
            float shore = horizon + u(0.12f, 0.25f);
            water(horizon, shore + 0.01f);
            int sand = pick(0xe8d4a0, 0xf0dcb0, 0xd8c090);
            ground(shore, new Paint(sand, scale(sand, 0.85f), Pattern.SPECKLE, 1, 8), Concept.SAND);
            if (p(0.5)) {
                boat(u(0.1f, 0.9f), horizon + (shore - horizon) * u(0.4f, 0.8f), u(0.08f, 0.14f));
            }
            Things things = new Things();
            int umbrellas = n(1, 3);
            for (int k = 0; k < umbrellas; k++) {
                float base = u(shore + 0.15f, 0.98f);
                things.add(base, () -> umbrella(u(0.05f, 0.95f), base, 0.25f * (0.3f + base)));
            }
            int people = n(0, 3);
            for (int k = 0; k < people; k++) {
                float base = u(shore + 0.1f, 0.98f);
                things.add(base, () -> person(u(0.05f, 0.95f), base, 0.22f * (0.3f + base)));
            }
            things.draw();
        }

        void harbour() {
            float horizon = u(0.3f, 0.45f);
            sky(horizon);
            int houses = n(2, 5);
            for (int k = 0; k < houses; k++) {
                house(u(0.05f, 0.95f), horizon + 0.005f, u(0.1f, 0.16f), u(0.08f, 0.13f), p(0.3),
                        pick(0xe0d0b0, 0xc05030, 0xf0f0e0, 0x6080a0, 0xe0b040));
            }
            float quay = u(0.82f, 0.92f);
            water(horizon, quay + 0.01f);
            ground(quay, Paint.plain(pick(0x808080, 0x8a8070, 0x707070), 10), Concept.STONE);
            int boats = n(2, 4);
            float[] lines = new float[boats];
            for (int k = 0; k < boats; k++) {
                lines[k] = u(horizon + 0.1f, quay - 0.03f);
            }
            java.util.Arrays.sort(lines);
            for (float line : lines) {
                boat(u(0.1f, 0.9f), line, 0.28f * (line - horizon + 0.15f) + 0.04f);
            }
            if (p(0.5)) {
                streetLamp(u(0.05f, 0.95f), 1f, u(0.25f, 0.35f));
            }
        }

        void street() {
            float horizon = u(0.4f, 0.55f);
            sky(horizon);
            float houseBase = horizon + u(0.12f, 0.18f);
            ground(horizon, Paint.plain(pick(0x909090, 0xa09888, 0x808078), 8), Concept.STONE);
            float roadTop = houseBase + u(0.08f, 0.12f);
            c.fill(new Rect(0, roadTop, 1, 1.001f), new Paint(pick(0x404040, 0x505050, 0x383838), 0x303030,
                    Pattern.PLAIN, 1, 8), Concept.ROAD, null, Concept.ASPHALT);
            float lane = roadTop + (1 - roadTop) * 0.5f;
            for (float x = u(0, 0.1f); x < 1; x += 0.2f) {
                c.fill(new Rect(x, lane - 0.008f, x + 0.1f, lane + 0.008f), Paint.plain(0xf0f0f0, 4), Concept.ROAD,
                        null, Concept.ASPHALT);
            }
            int houses = n(2, 4);
            float x = u(-0.05f, 0.1f);
            for (int k = 0; k < houses && x < 1.05f; k++) {
                float w = u(0.2f, 0.32f);
                house(x + w / 2, houseBase, w, u(0.2f, 0.3f), false,
                        pick(0xb04030, 0xa05a40, 0xe0d0b0, 0xd0d0c8, 0x8a8aa0, 0xc08050));
                x += w + u(0.01f, 0.06f);
            }
            Things things = new Things();
            int trees = n(0, 2);
            for (int k = 0; k < trees; k++) {
                things.add(houseBase + 0.02f, () -> tree(u(0, 1), houseBase + 0.02f, u(0.25f, 0.35f), false, leafColour(false)));
            }
            if (p(0.5)) {
                things.add(houseBase + 0.05f, () -> streetLamp(u(0.05f, 0.95f), houseBase + 0.05f, u(0.28f, 0.36f)));
            }
            int people = n(0, 2);
            for (int k = 0; k < people; k++) {
                float base = u(houseBase + 0.02f, roadTop);
                things.add(base, () -> person(u(0.05f, 0.95f), base, 0.22f * (0.3f + base)));
            }
            int cars = n(1, 3);
            for (int k = 0; k < cars; k++) {
                float base = u(roadTop + 0.08f, 0.99f);
                things.add(base, () -> car(u(0.1f, 0.9f), base, 0.3f * (0.3f + base)));
            }
            things.draw();
        }

        void townSquare() {
            float horizon = u(0.35f, 0.5f);
            sky(horizon);
            int pave = pick(0xb0a890, 0xa0a0a0, 0xc0a080);
            ground(horizon, new Paint(pave, scale(pave, 0.75f), Pattern.CHECKS, u(0.04f, 0.07f), 6), Concept.STONE);
            float base = horizon + u(0.03f, 0.08f);
            float x = u(-0.1f, 0.05f);
            while (x < 1.05f) {
                float w = u(0.14f, 0.24f);
                house(x + w / 2, base, w, u(0.22f, 0.32f), false,
                        p(0.5) ? anyColour() : pick(0xe0b040, 0xd06040, 0xf0e0c0, 0x70a0c0, 0xe08080, 0xa0c080));
                x += w;
            }
            Things things = new Things();
            int people = n(2, 5);
            for (int k = 0; k < people; k++) {
                float b = u(base + 0.05f, 0.99f);
                things.add(b, () -> person(u(0.05f, 0.95f), b, 0.22f * (0.3f + b)));
            }
            int trees = n(0, 2);
            for (int k = 0; k < trees; k++) {
                float b = u(base + 0.05f, 0.6f + base / 2);
                things.add(b, () -> tree(u(0.05f, 0.95f), b, 0.35f * (0.3f + b), false, leafColour(false)));
            }
            int lamps = n(0, 2);
            for (int k = 0; k < lamps; k++) {
                float b = u(base + 0.05f, 0.99f);
                things.add(b, () -> streetLamp(u(0.05f, 0.95f), b, 0.35f * (0.3f + b)));
            }
            things.draw();
        }

        void forest() {
            float horizon = u(0.25f, 0.38f);
            sky(horizon);
            int g = pick(0x3a6a2a, 0x4a7a30, 0x5a5a30, 0x6a7a3a);
            ground(horizon, new Paint(g, scale(g, 0.7f), Pattern.SPECKLE, 1, 10), Concept.GRASS);
            Things things = new Things();
            int trees = n(6, 11);
            boolean pines = p(0.5);
            for (int k = 0; k < trees; k++) {
                float base = u(horizon + 0.05f, 1.02f);
                boolean pine = p(pines ? 0.8 : 0.2);
                things.add(base, () -> tree(u(-0.05f, 1.05f), base, 0.45f * (0.3f + base), pine, leafColour(pine)));
            }
            int rocks = n(0, 2);
            for (int k = 0; k < rocks; k++) {
                float base = u(horizon + 0.1f, 1);
                things.add(base, () -> rock(u(0, 1), base, 0.06f * (0.3f + base)));
            }
            if (p(0.3)) {
                float base = u(horizon + 0.2f, 1);
                things.add(base, () -> person(u(0.1f, 0.9f), base, 0.22f * (0.3f + base)));
            }
            things.draw();
        }

        void farm() {
            float horizon = u(0.35f, 0.5f);
            sky(horizon);
            int g = pick(0x6a9a3a, 0x8aa040, 0xb0a050, 0x5a8a30);
            ground(horizon, new Paint(g, scale(g, 0.75f), Pattern.STRIPES_D, u(0.03f, 0.05f), 8), Concept.GRASS);
            Things things = new Things();
            float barnBase = horizon + u(0.1f, 0.2f);
            float bx = u(0.25f, 0.75f);
            float bw = u(0.3f, 0.42f);
            things.add(barnBase, () -> house(bx, barnBase, bw, bw * u(0.55f, 0.7f), true, pick(0xb02a20, 0x902a20, 0xa04030)));
            if (p(0.6)) {
                // a tree in front of the barn: the barn stays complete in the object layer behind
                things.add(barnBase + 0.02f, () -> tree(bx + u(-0.2f, 0.2f) * bw, barnBase + 0.02f, bw * u(0.8f, 1.1f), false,
                        leafColour(false)));
            }
            int trees = n(0, 2);
            for (int k = 0; k < trees; k++) {
                float base = u(horizon + 0.03f, 0.9f);
                things.add(base, () -> tree(u(0, 1), base, 0.35f * (0.3f + base), false, leafColour(false)));
            }
            if (p(0.7)) {
                float fy = u(barnBase + 0.05f, 0.9f);
                things.add(fy, () -> fence(fy - 0.08f, fy, u(-0.1f, 0.3f), u(0.6f, 1.1f)));
            }
            things.draw();
        }

        void desert() {
            float horizon = u(0.35f, 0.55f);
            sky(horizon);
            mountains(horizon, n(0, 2), pick(0xa07050, 0xb08060, 0x906850), 0);
            int sand = pick(0xe0b070, 0xd8a060, 0xe8c080);
            ground(horizon, new Paint(sand, scale(sand, 0.85f), p(0.5) ? Pattern.WAVES : Pattern.SPECKLE,
                    u(0.04f, 0.06f), 8), Concept.SAND);
            Things things = new Things();
            int cacti = n(1, 4);
            for (int k = 0; k < cacti; k++) {
                float base = u(horizon + 0.05f, 1);
                things.add(base, () -> cactus(u(0.05f, 0.95f), base, 0.35f * (0.3f + base)));
            }
            int rocks = n(0, 3);
            for (int k = 0; k < rocks; k++) {
                float base = u(horizon + 0.05f, 1);
                things.add(base, () -> rock(u(0, 1), base, 0.06f * (0.3f + base)));
            }
            things.draw();
        }

        void bedroom() {
            float floorY = room(false);
            wallOpenings(floorY, true);
            Things things = new Things();
            float bw = u(0.45f, 0.7f);
            float bx = u(bw / 2 - 0.1f, 1.1f - bw / 2);
            float bb = u(floorY + 0.15f, 0.97f);
            things.add(bb, () -> bed(bx, bb, bw));
            if (p(0.6)) {
                float lb = u(floorY + 0.05f, floorY + 0.12f);
                things.add(lb, () -> lamp(p(0.5) ? u(0.05f, 0.25f) : u(0.75f, 0.95f), lb, u(0.25f, 0.35f)));
            }
            things.draw();
        }

        void kitchen() {
            float floorY = room(true);
            wallOpenings(floorY, false);
            Things things = new Things();
            things.add(floorY, () -> cabinets(floorY));
            if (p(0.8)) {
                float tb = u(floorY + 0.15f, 0.97f);
                things.add(tb, () -> table(u(0.25f, 0.75f), tb, u(0.3f, 0.5f)));
            }
            if (p(0.4)) {
                float lb = u(floorY + 0.05f, floorY + 0.1f);
                things.add(lb, () -> lamp(u(0.05f, 0.95f), lb, u(0.22f, 0.3f)));
            }
            if (p(0.3)) {
                float pb = u(floorY + 0.15f, 0.98f);
                things.add(pb, () -> person(u(0.1f, 0.9f), pb, u(0.4f, 0.55f)));
            }
            things.draw();
        }

        /** Things drawn far to near: by base line, nearer (lower) last; ties in the order added. */
        static final class Things {
            private final List<Float> bases = new ArrayList<>();
            private final List<Runnable> draws = new ArrayList<>();

            void add(float base, Runnable draw) {
                bases.add(base);
                draws.add(draw);
            }

            void draw() {
                Integer[] order = new Integer[draws.size()];
                for (int k = 0; k < order.length; k++) {
                    order[k] = k;
                }
                java.util.Arrays.sort(order, (p, q) -> Float.compare(bases.get(p), bases.get(q)));
                for (int k : order) {
                    draws.get(k).run();
                }
            }
        }
    }
}

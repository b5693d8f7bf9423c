package org.jdissect.world;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.jdissect.data.BrodenWriter;
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
 *
 * <p>This class is the world's public face: its labels ({@link Concept}, {@link #CATEGORIES}, {@link #SCENES}) and
 * its entry points. Behind it, {@link Layouts} decides what a scene holds and where, with every random choice drawn
 * from {@link Dice}; the painters {@link Landscape}, {@link Things} and {@link Rooms} draw {@link Region}s with a
 * {@link Paint} on a {@link Canvas}, which keeps the full-size label layers; {@link LabelMaps} samples them to Broden's
 * label maps; {@link WorldWriter} writes the dataset.
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

        private static boolean anyNonZero(int[] a) {
            for (int v : a) {
                if (v != 0) {
                    return true;
                }
            }
            return false;
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

    /**
     * The versions of the world's generator, oldest first. 1 is the first world (commit 2cef280), on which the demo
     * models were trained, colours and textures tied to kinds of things (cars of seven colours, green or
     * orange foliage only, waves only on water); 2, the default, spreads every colour and texture over many kinds of
     * things, so that a unit detecting a colour is not an object detector in disguise. The same seed, size, count and
     * version give the same bytes.
     */
    public static final List<Integer> VERSIONS = List.of(1, 2);
    public static final int LATEST = 2;

    /** Renders image {@code index} of the latest world with {@code seed} at {@code size} x {@code size} pixels. */
    public static Scene render(long seed, int index, int size) {
        return render(seed, index, size, LATEST);
    }

    /** Renders image {@code index} of world {@code version} ({@link #VERSIONS}) with {@code seed}. */
    public static Scene render(long seed, int index, int size, int version) {
        if (size < 16 || size % 2 != 0) {
            throw new IllegalArgumentException("SceneWorld image size must be even and at least 16, got " + size);
        }
        if (!VERSIONS.contains(version)) {
            throw new IllegalArgumentException("SceneWorld version " + version + " (valid: " + VERSIONS + ")");
        }
        Random rnd = new Random(seed * 0x9E3779B97F4A7C15L + index * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L);
        Canvas c = new Canvas(size, rnd.nextInt());
        Concept scene = sceneOf(index);
        new Layouts(c, new Dice(rnd, version)).compose(scene);
        c.light(rnd);
        return LabelMaps.of(c, scene);
    }

    /**
     * Writes {@code images} images of size {@code size} as a Broden dataset at {@code dir} (JPEG images, PNG label
     * maps), rendering on {@code threads} threads.
     */
    public static Path write(Path dir, int images, int size, long seed, int threads, boolean replaceExisting,
                             Progress progress) {
        return write(dir, images, size, seed, LATEST, threads, replaceExisting, progress);
    }

    /** {@link #write(Path, int, int, long, int, boolean, Progress)} of world {@code version} ({@link #VERSIONS}). */
    public static Path write(Path dir, int images, int size, long seed, int version, int threads,
                             boolean replaceExisting, Progress progress) {
        return WorldWriter.write(dir, images, size, seed, version, threads, replaceExisting, progress);
    }

    /** The colour word for an sRGB value: black, white and grey by value and saturation, the rest by hue. */
    public static Concept colourName(int r, int g, int b) {
        return LabelMaps.colourName(r, g, b);
    }
}

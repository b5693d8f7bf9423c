package org.jdissect.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.jdissect.data.BrodenDataset;
import org.jdissect.data.ImageLabels;
import org.jdissect.io.Progress;
import org.jdissect.world.SceneWorld.Concept;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SceneWorld: deterministic bytes, a dataset BrodenDataset reads, and the context rules it promises. */
class SceneWorldTest {
    static final int SIZE = 128;
    static final int N = 330;
    static List<SceneWorld.Scene> scenes;

    @TempDir
    Path tmp;

    @BeforeAll
    static void render() {
        scenes = java.util.stream.IntStream.range(0, N).mapToObj(i -> SceneWorld.render(5, i, SIZE)).toList();
    }

    static Concept concept(int number) {
        return number == 0 ? null : Concept.values()[number - 1];
    }

    @Test
    void sameSeedSameBytesWhateverTheThreadsAndAnotherSeedDiffers() throws Exception {
        Path a = SceneWorld.write(tmp.resolve("a"), 40, 64, 3, 1, false, Progress.NONE);
        Path b = SceneWorld.write(tmp.resolve("b"), 40, 64, 3, 2, false, Progress.NONE);
        Path c = SceneWorld.write(tmp.resolve("c"), 40, 64, 4, 2, false, Progress.NONE);
        List<Path> files = files(a);
        assertThat(files).hasSizeGreaterThan(40 * 4);
        assertThat(files(b)).isEqualTo(files);
        for (Path f : files) {
            assertThat(Files.readAllBytes(b.resolve(f))).as(f.toString()).isEqualTo(Files.readAllBytes(a.resolve(f)));
        }
        assertThat(Files.readAllBytes(c.resolve("images/sceneworld/000001.jpg")))
                .isNotEqualTo(Files.readAllBytes(a.resolve("images/sceneworld/000001.jpg")));
    }

    private static List<Path> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }

    @Test
    void theDatasetReadsBackWithBrodenDataset() {
        Path dir = SceneWorld.write(tmp.resolve("w"), 55, SIZE, 9, 2, false, Progress.NONE);
        BrodenDataset d = BrodenDataset.open(dir, List.of(), false);
        assertThat(d.size()).isEqualTo(55);
        assertThat(d.categories()).containsExactlyInAnyOrderElementsOf(SceneWorld.CATEGORIES);
        assertThat(d.row(0).split()).isEqualTo("val");
        assertThat(d.row(1).split()).isEqualTo("train");
        for (int i = 0; i < d.size(); i++) {
            assertThat(d.readImage(i).getWidth()).isEqualTo(SIZE);
            ImageLabels labels = d.readLabels(i);
            assertThat(labels.sh()).isEqualTo(SIZE / 2);
            assertThat(labels.imageLevel()).containsExactly(SceneWorld.sceneOf(i).number());
            SceneWorld.Scene s = SceneWorld.render(9, i, SIZE);
            assertThat(labels.layers()[0]).isEqualTo(s.color());
            assertThat(labels.layers()[1]).isEqualTo(s.object());
        }
        for (Concept k : Concept.values()) {
            assertThat(d.labelName(k.number())).isEqualTo(k.label());
        }
        int[] primary = d.primaryCategory();
        assertThat(d.categories().get(primary[Concept.SKY.number()])).isEqualTo("object");
        assertThat(d.categories().get(primary[Concept.DOOR.number()])).isEqualTo("part");
        assertThat(d.categories().get(primary[Concept.STRIPED.number()])).isEqualTo("texture");
        assertThat(d.categories().get(primary[Concept.BEACH.number()])).isEqualTo("scene");
    }

    @Test
    void doorsAndWindowsLieOnWallsAndBoundedByTheirWall() {
        int h = SIZE / 2;
        int doors = 0;
        for (SceneWorld.Scene s : scenes) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < h; x++) {
                    int i = y * h + x;
                    Concept part = concept(s.part()[i]);
                    if (part != Concept.DOOR && part != Concept.WINDOW) {
                        continue;
                    }
                    doors++;
                    Concept object = concept(s.object()[i]);
                    assertThat(object).isIn(Concept.HOUSE, Concept.WALL, Concept.CAR);
                    if (object == Concept.CAR) {
                        assertThat(part).isEqualTo(Concept.WINDOW);
                        continue;
                    }
                    // the run of door (window) pixels in this row ends on its wall or on a thing in front of it
                    for (int dir : new int[] {-1, 1}) {
                        int xx = x;
                        while (xx >= 0 && xx < h && s.part()[y * h + xx] == part.number()) {
                            xx += dir;
                        }
                        if (xx < 0 || xx >= h) {
                            continue;
                        }
                        Concept beside = concept(s.object()[y * h + xx]);
                        assertThat(beside).as("beside a %s in %s", part, s.scene())
                                .isNotIn(Concept.SKY, Concept.GROUND, Concept.ROAD, Concept.WATER, Concept.FLOOR,
                                        Concept.CLOUD, Concept.SUN, Concept.MOUNTAIN);
                    }
                }
            }
        }
        assertThat(doors).isGreaterThan(4000);
    }

    @Test
    void snowOnlyOnGroundAndMountainsAndBoatsOnlyOnWater() {
        int h = SIZE / 2;
        int boats = 0;
        for (SceneWorld.Scene s : scenes) {
            for (int i = 0; i < h * h; i++) {
                if (s.material()[i] == Concept.SNOW.number()) {
                    assertThat(concept(s.object()[i])).isIn(Concept.GROUND, Concept.MOUNTAIN);
                }
            }
            for (int x = 0; x < h; x++) {
                int lowest = -1;
                for (int y = 0; y < h; y++) {
                    if (s.object()[y * h + x] == Concept.BOAT.number() && s.part()[y * h + x] == Concept.HULL.number()) {
                        lowest = y;
                    }
                }
                if (lowest >= 0 && lowest + 1 < h) {
                    boats++;
                    // water, or a thing standing in front of the boat
                    assertThat(concept(s.object()[(lowest + 1) * h + x])).as("below a hull")
                            .isIn(Concept.WATER, Concept.PERSON, Concept.UMBRELLA, Concept.LAMP, Concept.BOAT);
                }
            }
        }
        assertThat(boats).isGreaterThan(20);
    }

    @Test
    void occludedThingsStayCompleteInTheLayerBehind() {
        int h = SIZE / 2;
        int housesBehindTrees = 0;
        for (SceneWorld.Scene s : scenes) {
            for (int i = 0; i < h * h; i++) {
                if (s.objectBehind()[i] != 0) {
                    assertThat(s.objectBehind()[i]).isNotEqualTo(s.object()[i]);
                }
                if (s.objectBehind()[i] == Concept.HOUSE.number() && s.object()[i] == Concept.TREE.number()) {
                    housesBehindTrees++;
                }
            }
        }
        assertThat(housesBehindTrees).isGreaterThan(100);
    }

    @Test
    void labelStatisticsAreSane() {
        int h = SIZE / 2;
        Map<Concept, Integer> images = new EnumMap<>(Concept.class);
        Map<Concept, Integer> scenesSeen = new EnumMap<>(Concept.class);
        for (SceneWorld.Scene s : scenes) {
            scenesSeen.merge(s.scene(), 1, Integer::sum);
            Set<Concept> in = EnumSet.noneOf(Concept.class);
            for (int[] layer : List.of(s.color(), s.object(), s.objectBehind(), s.part(), s.material(), s.texture())) {
                for (int v : layer) {
                    if (v != 0) {
                        in.add(concept(v));
                    }
                }
            }
            for (int v : s.color()) {
                assertThat(v).isBetween(Concept.BLACK.number(), Concept.BROWN.number());
            }
            for (int v : s.object()) {
                assertThat(v).as("every pixel shows an object").isNotZero();
            }
            in.forEach(k -> images.merge(k, 1, Integer::sum));
        }
        // balanced scenes, every concept present somewhere, the shared ones in several scenes
        assertThat(scenesSeen).hasSize(SceneWorld.SCENES.size()).allSatisfy((k, v) -> assertThat(v).isEqualTo(N / 11));
        long concepts = Stream.of(Concept.values()).filter(k -> !k.category().equals("scene")).count();
        assertThat(concepts).isGreaterThanOrEqualTo(30);
        for (Concept k : Concept.values()) {
            if (!k.category().equals("scene")) {
                assertThat(images.getOrDefault(k, 0)).as(k.label()).isGreaterThanOrEqualTo(3);
            }
        }
        assertThat(images.get(Concept.SKY)).isBetween(N / 2, N);
        assertThat(scenesWith(Concept.SNOW)).contains(Concept.SKI_RESORT, Concept.MOUNTAIN_S);
        assertThat(scenesWith(Concept.WATER)).contains(Concept.BEACH, Concept.HARBOUR);
        assertThat(scenesWith(Concept.HOUSE)).hasSizeGreaterThanOrEqualTo(4);
    }

    private static Set<Concept> scenesWith(Concept k) {
        Set<Concept> out = EnumSet.noneOf(Concept.class);
        for (SceneWorld.Scene s : scenes) {
            for (int[] layer : List.of(s.object(), s.material())) {
                for (int v : layer) {
                    if (v == k.number()) {
                        out.add(s.scene());
                    }
                }
            }
        }
        return out;
    }

    @Test
    void colourNamesFollowHueAndValue() {
        assertThat(SceneWorld.colourName(10, 10, 10)).isEqualTo(Concept.BLACK);
        assertThat(SceneWorld.colourName(250, 250, 250)).isEqualTo(Concept.WHITE);
        assertThat(SceneWorld.colourName(128, 128, 128)).isEqualTo(Concept.GREY);
        assertThat(SceneWorld.colourName(220, 30, 30)).isEqualTo(Concept.RED);
        assertThat(SceneWorld.colourName(40, 180, 40)).isEqualTo(Concept.GREEN);
        assertThat(SceneWorld.colourName(40, 80, 200)).isEqualTo(Concept.BLUE);
        assertThat(SceneWorld.colourName(240, 200, 30)).isEqualTo(Concept.YELLOW);
        assertThat(SceneWorld.colourName(120, 70, 30)).isEqualTo(Concept.BROWN);
    }
}

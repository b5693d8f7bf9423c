package org.jdissect.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jdissect.JdissectException;
import org.jdissect.attack.AttackRecord.AttackedImage;
import org.jdissect.attack.AttackRecord.UnitChange;
import org.jdissect.io.Hashing;
import org.jdissect.io.Invocation;
import org.jdissect.io.ProgressListener;
import org.jdissect.model.OnnxModel;
import org.jdissect.stats.CpuBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attacks on {@link WarmCool}, whose decision is carried by two known units. */
class AttackTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path classes;
    static Path data;

    @BeforeAll
    static void fixture() {
        model = WarmCool.model(tmp.resolve("warmcool.onnx"));
        classes = WarmCool.mapping(tmp.resolve("classes.csv"));
        data = WarmCool.folder(tmp.resolve("data"), 10);
    }

    static Attack.Settings settings(String from, String to, double epsilon, int images, Path ranking) {
        return new Attack.Settings(model, WarmCool.LAYER, data, "scene", false, classes, from, to, epsilon, 600, images, 3,
                1, ranking, null, WarmCool.PRE, 4, 1, OnnxModel.Inference.CPU);
    }

    static AttackRecord run(Attack.Settings s, Path out) {
        try (CpuBackend backend = new CpuBackend(1)) {
            return Attack.run(s, out, backend, ProgressListener.NONE, Invocation.cli("attack"));
        }
    }

    @Test
    void theAttackLowersTheSourceUnitAndRaisesTheTargetUnitAndHoldingThemUndoesIt() throws Exception {
        Path out = tmp.resolve("targeted");
        AttackRecord r = run(settings("warm", "cool", 8 / 255.0, 6, null), out);
        assertThat(r.summary().attacked()).isEqualTo(6);
        assertThat(r.summary().misclassified()).isZero();
        assertThat(r.summary().succeeded()).isEqualTo(6);
        assertThat(r.summary().pngAgreement()).isEqualTo(6);
        assertThat(r.settings().epsilonLevels()).isEqualTo(8);
        // held-out images first: every fifth image of a class in name order is held out (04 and 09)
        assertThat(r.images().stream().map(AttackedImage::id).limit(2)).containsExactly("warm/04.png", "warm/09.png");
        for (AttackedImage a : r.images()) {
            assertThat(a.success()).isTrue();
            assertThat(a.linf()).isBetween(1, 8);
            assertThat(a.clean().className()).isEqualTo("warm");
            assertThat(a.adversarial().className()).isEqualTo("cool");
            assertThat(a.adversarial().pTarget()).isGreaterThan(a.adversarial().pSource());
            Path png = out.resolve(a.png());
            assertThat(png).isRegularFile();
            // the file is a plain 8-bit image inside the budget of the clean one
            var adv = javax.imageio.ImageIO.read(png.toFile());
            var clean = javax.imageio.ImageIO.read(data.resolve(a.id()).toFile());
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    int p = adv.getRGB(x, y);
                    int q = clean.getRGB(x, y);
                    for (int shift = 0; shift <= 16; shift += 8) {
                        assertThat(Math.abs(((p >> shift) & 255) - ((q >> shift) & 255))).isLessThanOrEqualTo(8);
                    }
                }
            }
        }
        Map<Integer, UnitChange> units = r.units().stream().collect(Collectors.toMap(UnitChange::unit,
                Function.identity()));
        // unit 1 (warm) falls in every attack, unit 2 (cool) rises in every attack
        assertThat(units.get(1).change()).isNegative();
        assertThat(units.get(1).fell()).isEqualTo(6);
        assertThat(units.get(2).change()).isPositive();
        assertThat(units.get(2).rose()).isEqualTo(6);
        assertThat(r.units().get(0).unit()).as("the largest fall first").isEqualTo(1);
        assertThat(r.units().get(3).unit()).as("the largest rise last").isEqualTo(2);
        // the classifier's ranking (computed into OUT/ranking) puts them first for their classes
        assertThat(out.resolve("ranking/rank.json")).isRegularFile();
        assertThat(units.get(1).sourceRank()).isEqualTo(1);
        assertThat(units.get(2).targetRank()).isEqualTo(1);
        AttackRecord.Groups g = r.groups();
        assertThat(g.attacks()).isEqualTo(6);
        assertThat(g.sourceTop()).containsExactly(1);
        assertThat(g.targetTop()).containsExactly(2);
        assertThat(g.restChange()).isZero();
        assertThat(g.sourceChange()).isLessThan(g.restChange());
        assertThat(g.targetChange()).isGreaterThan(g.restChange());
        assertThat(g.sourceVsRest().meanDifference()).isNegative();
        assertThat(g.targetVsRest().meanDifference()).isPositive();
        // every attack moves them the same way against units that cannot move: the exact signed-rank p is its
        // smallest, 2 / 2^6
        assertThat(g.sourceVsRest().pWilcoxon()).isCloseTo(2 / 64.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(g.targetVsRest().pWilcoxon()).isCloseTo(2 / 64.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(g.sourceVsRest().pT()).isLessThan(0.05);
        assertThat(g.targetVsRest().pT()).isLessThan(0.05);
        // holding the warm unit at its clean value undoes every attack; ablating the most raised unit (cool) too
        Map<String, AttackRecord.Defence> d = r.defences().stream().collect(Collectors.toMap(
                AttackRecord.Defence::name, Function.identity()));
        assertThat(d.get("restore-source-top").units()).containsExactly(1);
        assertThat(d.get("restore-source-top").attacks()).isEqualTo(6);
        assertThat(d.get("restore-source-top").undone()).isEqualTo(6);
        assertThat(d.get("restore-source-top").toSource()).isEqualTo(6);
        assertThat(d.get("ablate-raised").units()).containsExactly(2);
        assertThat(d.get("ablate-raised").undone()).isEqualTo(6);
        // the control holds one of units 2..4 (the seed picks which); it is recorded with its effect
        assertThat(d.get("restore-random").units()).hasSize(1).doesNotContain(1);
        // the files: attack.json read back equals the record, one CSV line per image and per unit
        AttackRecord read = AttackRecord.read(out);
        assertThat(read.settings()).isEqualTo(r.settings());
        assertThat(read.summary()).isEqualTo(r.summary());
        assertThat(read.groups()).isEqualTo(r.groups());
        assertThat(read.defences()).isEqualTo(r.defences());
        assertThat(read.units()).isEqualTo(r.units());
        assertThat(read.images()).isEqualTo(r.images());
        assertThat(Files.readAllLines(out.resolve("attack.csv"))).hasSize(7);
        assertThat(Files.readAllLines(out.resolve("units.csv"))).hasSize(5);
        // every image's every unit, clean and adversarial: unit 1 of image 0 as its change says
        List<String> act = Files.readAllLines(out.resolve(AttackRecord.ACTIVATIONS));
        assertThat(act).hasSize(1 + 6 * 4);
        String[] first = act.get(1).split(",");
        assertThat(first[0]).isEqualTo("0");
        assertThat(first[1]).isEqualTo("1");
        assertThat(Double.parseDouble(first[4])).isLessThan(Double.parseDouble(first[3]));
        double sum = 0;
        for (String line : act.subList(1, act.size())) {
            String[] c = line.split(",");
            if (c[1].equals("2")) {
                sum += Double.parseDouble(c[4]) - Double.parseDouble(c[3]);
            }
        }
        assertThat(sum / 6).isCloseTo(units.get(2).change(), org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void anUntargetedAttackIsResumedWhereItStopped() throws Exception {
        Path out = tmp.resolve("untargeted");
        AttackRecord first = run(settings("cool", "any", 8 / 255.0, 4, null), out);
        assertThat(first.summary().succeeded()).isEqualTo(4);
        for (AttackedImage a : first.images()) {
            assertThat(a.adversarial().className()).isNotEqualTo("cool");
        }
        assertThat(first.summary().queriesThisRun()).isEqualTo(first.summary().queries())
                .isEqualTo(first.images().stream().mapToLong(AttackedImage::queries).sum());
        // an interrupted run: image 2's attack did not finish (its record missing), the others did
        Files.delete(out.resolve("images/0002.json"));
        Files.delete(out.resolve("attack.json"));
        Map<String, FileTime> before = new java.util.HashMap<>();
        for (String f : List.of("0000.png", "0001.png", "0003.png")) {
            before.put(f, Files.getLastModifiedTime(out.resolve("images").resolve(f)));
        }
        String png2 = Hashing.sha256(out.resolve("images/0002.png"));
        Thread.sleep(20);
        AttackRecord again = run(settings("cool", "any", 8 / 255.0, 4, out.resolve("ranking")), out);
        for (var e : before.entrySet()) {
            assertThat(Files.getLastModifiedTime(out.resolve("images").resolve(e.getKey()))).isEqualTo(e.getValue());
        }
        assertThat(again.summary().queriesThisRun()).as("only image 2 is attacked again")
                .isEqualTo(first.images().get(2).queries());
        assertThat(again.summary().queries()).isEqualTo(first.summary().queries());
        assertThat(Hashing.sha256(out.resolve("images/0002.png"))).as("and attacked as before").isEqualTo(png2);
        assertThat(again.images()).isEqualTo(first.images());
        assertThat(again.units()).isEqualTo(first.units());
        // other settings (another seed) attack every image again
        Attack.Settings s = settings("cool", "any", 8 / 255.0, 4, out.resolve("ranking"));
        Attack.Settings reseeded = new Attack.Settings(s.model(), s.layer(), s.data(), s.category(), s.skipBad(), s.classes(),
                s.from(), s.to(), s.epsilon(), s.queries(), s.images(), 99, s.top(), s.ranking(), s.dissection(),
                s.preprocessing(), s.batch(), s.threads(), s.inference());
        AttackRecord third = run(reseeded, out);
        assertThat(third.summary().queriesThisRun()).isEqualTo(third.summary().queries());
    }

    @Test
    void badRequestsAreOneClearLine() {
        assertThatThrownBy(() -> run(settings("hot", "cool", 8 / 255.0, 2, null), tmp.resolve("bad1")))
                .isInstanceOf(JdissectException.class).hasMessage("unknown class 'hot'; valid classes: cool, warm");
        assertThatThrownBy(() -> run(settings("warm", "warm", 8 / 255.0, 2, null), tmp.resolve("bad2")))
                .hasMessageContaining("--to warm is the --from class");
        assertThatThrownBy(() -> settings("warm", "cool", 0, 2, null)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> settings("warm", "cool", 1.5, 2, null)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> settings("warm", "cool", 0.5 / 255, 2, null))
                .hasMessageContaining("below one 8-bit level");
        assertThatThrownBy(() -> run(settings("warm", "cool", 8 / 255.0, 11, null), tmp.resolve("bad3")))
                .hasMessage("--images 11 is more than the 10 images of class 'warm' in " + "image folder " + data
                        + "; give --images 10 or fewer");
        assertThatThrownBy(() -> Attack.parseEpsilon("eight")).hasMessageContaining("8/255");
        assertThat(Attack.parseEpsilon("8/255")).isEqualTo(8 / 255.0);
        assertThat(Attack.parseEpsilon(" 0.03 ")).isEqualTo(0.03);
        assertThat(Attack.Settings.levels(8 / 255.0)).isEqualTo(8);
        assertThat(Attack.Settings.levels(0.03)).isEqualTo(7);
        // a ranking of another layer or model is refused, naming both
        assertThatThrownBy(() -> run(settings("warm", "cool", 8 / 255.0, 2, tmp.resolve("nowhere")),
                tmp.resolve("bad4"))).isInstanceOf(JdissectException.class);
    }
}

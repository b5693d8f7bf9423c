package org.jdissect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import org.jdissect.attack.WarmCool;
import org.jdissect.intervene.KnownUnitsFixture;
import org.jdissect.io.Hashing;
import org.jdissect.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** attack end to end: printed, written, its page in the dissection's report, and one line for each user error. */
class AttackCliTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path data;
    static Path classes;
    static Path dissection;
    static CliTest.Run attack;
    static final String[] PRE = {"--size", "8", "--mean", "0", "--std", "1", "-q", "--threads", "1"};

    @BeforeAll
    static void fixture() {
        model = WarmCool.model(tmp.resolve("warmcool.onnx"));
        data = WarmCool.folder(tmp.resolve("data"), 10);
        classes = WarmCool.mapping(tmp.resolve("classes.csv"));
        // the units' concepts come from a dissection on colour images (red, green, blue, ...)
        Path broden = KnownUnitsFixture.broden(tmp.resolve("broden"), 8, 3);
        dissection = tmp.resolve("dissection");
        CliTest.Run r = CliTest.run(args("dissect", "--model", model.toString(), "--layer", "units", "--data",
                broden.toString(), "--out", dissection.toString(), "--quantile", "0.05"));
        assertThat(r.code()).as(r.err()).isZero();
        attack = CliTest.run(attack(dissection.resolve("attacks/warm"), "--to", "cool", "--images", "4",
                "--queries", "600", "--top", "1", "--dissection", dissection.toString()));
        assertThat(attack.code()).as(attack.err()).isZero();
    }

    static String[] args(String... a) {
        List<String> l = new ArrayList<>(List.of(a));
        l.addAll(List.of(PRE));
        return l.toArray(String[]::new);
    }

    static String[] attack(Path out, String... more) {
        List<String> l = new ArrayList<>(List.of("attack", "--model", model.toString(), "--layer", "units", "--data",
                data.toString(), "--classes", classes.toString(), "--from", "warm", "--out", out.toString()));
        l.addAll(List.of(more));
        l.addAll(List.of(PRE));
        return l.toArray(String[]::new);
    }

    @Test
    void printsWritesAndRecordsWhatMadeIt() throws Exception {
        assertThat(attack.out()).contains("warm -> cool, epsilon 8/255: 4 of 4 attacks succeed",
                "units that fell most:", "units that rose most:",
                "defence restore-source-top: 4 of 4 successful attacks undone (4 back to warm)", "results in ");
        Path out = dissection.resolve("attacks/warm");
        assertThat(out.resolve("attack.csv")).isRegularFile();
        assertThat(out.resolve("units.csv")).isRegularFile();
        assertThat(out.resolve("ranking/rank.json")).isRegularFile();
        for (int n = 0; n < 4; n++) {
            assertThat(out.resolve(String.format("images/%04d.png", n))).isRegularFile();
            assertThat(out.resolve(String.format("images/%04d-clean.png", n))).isRegularFile();
        }
        JsonNode json = Json.tree(out.resolve("attack.json"));
        JsonNode p = json.path("provenance");
        assertThat(p.path("models").get(0).path("sha256").asText()).isEqualTo(Hashing.sha256(model));
        assertThat(p.path("seeds").path("attack").asLong()).isEqualTo(1);
        assertThat(p.path("command").get(1).asText()).isEqualTo("attack");
        // the units carry the dissection's concepts
        assertThat(json.path("units").get(0).path("label").asText()).isNotBlank();
        assertThat(json.path("settings").path("dissection").asText()).isEqualTo(dissection.toString());
    }

    @Test
    void theAttackGetsAPageInTheDissectionsReport() throws Exception {
        assertThat(attack.out()).contains("report: ");
        Path site = dissection.resolve("report");
        String page = Files.readString(site.resolve("attack-attacks_warm.html"));
        assertThat(page).contains("<h1>Attack: warm &#8594; cool</h1>", "data-attacked=\"4\"", "data-succeeded=\"4\"",
                "data-defence=\"restore-source-top\" data-undone=\"4\" data-attacks=\"4\"");
        // unit 1 (warm) fell, unit 2 (cool) rose: each linked to its card
        Matcher fell = Pattern.compile("<h3>fell most</h3>.*?<tr data-unit=\"(\\d+)\" data-change=\"(-[^\"]+)\">"
                + "<td class=\"num\"><a href=\"([^\"]+)\"", Pattern.DOTALL).matcher(page);
        assertThat(fell.find()).isTrue();
        assertThat(fell.group(1)).isEqualTo("1");
        assertThat(fell.group(3)).isEqualTo("layer-units.html#u1");
        Matcher rose = Pattern.compile("<h3>rose most</h3>.*?<tr data-unit=\"(\\d+)\"", Pattern.DOTALL).matcher(page);
        assertThat(rose.find()).isTrue();
        assertThat(rose.group(1)).isEqualTo("2");
        // the images: clean, adversarial and difference, copied into the site
        Matcher img = Pattern.compile("<img class=\"gen\" src=\"(img/attack/[^\"]+)\"").matcher(page);
        int images = 0;
        while (img.find()) {
            assertThat(site.resolve(img.group(1))).isRegularFile();
            images++;
        }
        assertThat(images).isEqualTo(12);
        // the index and the layer's page list it
        assertThat(Files.readString(site.resolve("index.html"))).contains("href=\"attack-attacks_warm.html\"");
    }

    @Test
    void userErrorsAreOneLine() {
        Path out = tmp.resolve("bad");
        CliTest.Run r = CliTest.run(attack(out, "--to", "hot"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("jdissect: unknown class 'hot'; valid classes: cool, warm");
        r = CliTest.run(attack(out, "--epsilon", "2"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--epsilon must be in (0, 1]").doesNotContain("Exception");
        r = CliTest.run(attack(out, "--epsilon", "8/two"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--epsilon '8/two' is not a number");
        r = CliTest.run(attack(out, "--images", "20"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--images 20 is more than the 10 images of class 'warm'");
        String[] noLayer = attack(out);
        noLayer[4] = "nope";
        r = CliTest.run(noLayer);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("nope");
        r = CliTest.run(attack(out, "--images", "4", "--ranking", tmp.resolve("broden").toString()));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("rank.json");
    }
}

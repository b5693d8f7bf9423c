package org.jdissect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.roaringbitmap.RoaringBitmap;

import org.jdissect.compose.ComposeRecord;
import org.jdissect.compose.Composition;
import org.jdissect.compose.PixelMasks;
import org.jdissect.data.BrodenDataset;
import org.jdissect.demo.ColourWorld;
import org.jdissect.dissect.DissectionOutput;
import org.jdissect.dissect.LayerRecord;
import org.jdissect.io.Progress;
import org.jdissect.io.ProgressListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compose end to end on a real dissection: its masks are the tally's, its files what it found, its errors one line. */
class ComposeCliTest {
    @TempDir
    static Path tmp;
    static Path out;

    @BeforeAll
    static void dissect() {
        Path data = ColourWorld.writeDataset(tmp.resolve("world"), 40, 5);
        Path model = ColourWorld.writeModel(tmp.resolve("colour.onnx"));
        out = tmp.resolve("out");
        CliTest.Run r = CliTest.run("dissect", "--model", model.toString(), "--data", data.toString(), "--out",
                out.toString(), "--layer", "pool", "--size", "32", "--mean", "0", "--std", "1", "--quantile", "0.02",
                "-q");
        assertThat(r.code()).as(r.err()).isZero();
    }

    /**
     * The unit masks compose searches with are the ones the tally counted: the same size (report.json's mask_pixels)
     * and, for each category's best label, the same intersection (ColourWorld has each label in one layer).
     */
    @Test
    void unitMasksAreTheTallysMasks() {
        try (DissectionOutput o = DissectionOutput.open(out)) {
            LayerRecord record = o.layer("pool").record();
            BrodenDataset ds = o.dataset(null);
            int images = o.cache().rows().size();
            PixelMasks concepts = PixelMasks.read(o.labels(ds), images, l -> true, Progress.NONE);
            int units = record.layer().units();
            int[] all = new int[units];
            for (int u = 0; u < units; u++) {
                all[u] = u;
            }
            RoaringBitmap[] masks = Composition.unitMasks(o, record, all, concepts, 2, ProgressListener.NONE);
            int checked = 0;
            for (int u = 0; u < units; u++) {
                LayerRecord.Unit unit = record.units().get(u);
                assertThat(masks[u].getLongCardinality()).as("unit %d", u + 1).isEqualTo(unit.maskPixels());
                for (Map.Entry<String, LayerRecord.CategoryBest> e : unit.categories().entrySet()) {
                    LayerRecord.CategoryBest best = e.getValue();
                    int label = labelNumbered(ds, best.label());
                    if (label > 0 && ds.primaryCategory()[label] == ds.categories().indexOf(e.getKey())
                            && best.intersect() > 0) {
                        assertThat(RoaringBitmap.andCardinality(masks[u], concepts.label(label)))
                                .as("unit %d %s", u + 1, best.label()).isEqualTo(best.intersect());
                        checked++;
                    }
                }
            }
            assertThat(checked).isGreaterThan(3);
        }
    }

    private static int labelNumbered(BrodenDataset ds, String name) {
        for (int l = 1; l < ds.numLabels(); l++) {
            if (ds.labelName(l).equals(name)) {
                return l;
            }
        }
        return -1;
    }

    @Test
    void writesTheFormulasAndPrintsTheGainers() throws Exception {
        CliTest.Run r = CliTest.run("compose", "--dissection", out.toString(), "--layer", "pool", "--threads", "2",
                "-q");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("pool: ", "units gain >= 0.02 IoU", "results in");
        ComposeRecord rec = ComposeRecord.read(out.resolve("pool"));
        assertThat(rec.units()).hasSize(5);
        assertThat(rec.settings().length()).isEqualTo(3);
        assertThat(rec.settings().beam()).isEqualTo(5);
        assertThat(rec.provenance().command()).contains("compose");
        List<String> csv = Files.readAllLines(out.resolve("pool").resolve(ComposeRecord.CSV));
        assertThat(csv.get(0)).isEqualTo("unit,formula,iou,length,label,label_iou,gain");
        assertThat(csv).hasSize(6);
        for (ComposeRecord.Unit u : rec.units()) {
            ComposeRecord.Explained f = u.formula();
            long union = u.unitPixels() + f.formulaPixels() - f.intersection();
            assertThat(f.iou()).isEqualTo(union == 0 ? 0.0 : (double) f.intersection() / union);
            assertThat(f.iou()).isGreaterThanOrEqualTo(u.single().iou());
            assertThat(u.gain()).isEqualTo(f.iou() - u.single().iou());
            assertThat(f.terms()).hasSize(f.length());
        }
        // the colour detectors' best single concept is their colour, as the dissection says
        assertThat(rec.units().get(0).single().text()).isEqualTo("red");
        // the report was rewritten: the layer's page lists every unit (5 < the 60 listed) with its formula and gain,
        // linked to its card; the index says how many gained
        String page = Files.readString(out.resolve("report/layer-pool.html"));
        assertThat(page).contains("id=\"compose\"", "Compositional explanations");
        for (ComposeRecord.Unit u : rec.units()) {
            assertThat(page).contains("<tr data-unit=\"" + u.unit() + "\" data-iou=\"" + u.formula().iou() + "\"",
                    "<a href=\"layer-pool.html#u" + u.unit() + "\">" + u.unit() + "</a>", u.formula().text());
        }
        // and each unit's card shows its formula where it has more than one concept
        int pictured = 0;
        for (ComposeRecord.Unit u : rec.units()) {
            int card = page.indexOf("id=\"u" + u.unit() + "\"");
            String cardHtml = page.substring(card, page.indexOf("</article>", card));
            if (u.formula().length() > 1) {
                assertThat(cardHtml).contains("<dt>formula</dt>", u.formula().text());
                // with the formula's mask drawn over the unit's top images, a cell each as the card's thumbnails
                String src = "img/compose/pool/u" + u.unit() + ".png";
                assertThat(cardHtml).contains("<img class=\"notepic\" loading=\"lazy\" src=\"" + src + "\"");
                java.awt.image.BufferedImage strip = javax.imageio.ImageIO.read(out.resolve("report").resolve(src)
                        .toFile());
                int tops = org.jdissect.dissect.LayerRecord.read(out.resolve("pool")).units().get(u.unit() - 1)
                        .topImages().size();
                assertThat(strip.getHeight()).isEqualTo(96);
                assertThat(strip.getWidth()).isEqualTo(tops * 96 + (tops - 1) * 4);
                pictured++;
            } else {
                assertThat(cardHtml).doesNotContain("<dt>formula</dt>");
            }
        }
        assertThat(pictured).as("units with a formula of two concepts or more").isEqualTo(rec.units().stream()
                .filter(u -> u.formula().length() > 1).count());
        long gaining = rec.units().stream().filter(u -> u.gain() >= 0.02).count();
        assertThat(Files.readString(out.resolve("report/index.html"))).contains("href=\"layer-pool.html#compose\"",
                gaining + " of 5 units gain at least 0.02");
        // units in groups of one (a memory budget of one byte) give the same results as all at once
        List<String> together = Files.readAllLines(out.resolve("pool").resolve(ComposeRecord.CSV));
        r = CliTest.run("compose", "--dissection", out.toString(), "--layer", "pool", "--memory", "1", "-q");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readAllLines(out.resolve("pool").resolve(ComposeRecord.CSV))).isEqualTo(together);
        r = CliTest.run("compose", "--dissection", out.toString(), "--layer", "pool", "--memory", "lots", "-q");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--memory", "lots");
        // one concept, one step: the single concepts alone
        r = CliTest.run("compose", "--dissection", out.toString(), "--layer", "pool", "--length", "1", "--units",
                "1,2", "--categories", "color", "-q");
        assertThat(r.code()).as(r.err()).isZero();
        rec = ComposeRecord.read(out.resolve("pool"));
        assertThat(rec.units()).extracting(ComposeRecord.Unit::unit).containsExactly(1, 2);
        assertThat(rec.units()).allSatisfy(u -> assertThat(u.gain()).isZero());
        assertThat(rec.units()).allSatisfy(u -> assertThat(u.formula().terms().get(0).category()).isEqualTo("color"));
    }

    @Test
    void aForeignComposeJsonIsOneWarningAndTheReportIsWritten() throws Exception {
        CliTest.Run r = CliTest.run("compose", "--dissection", out.toString(), "--layer", "pool", "--length", "2",
                "-q");
        assertThat(r.code()).as(r.err()).isZero();
        Path file = out.resolve("pool").resolve(ComposeRecord.FILE);
        String kept = Files.readString(file);
        try {
            Files.writeString(file, "{\"tool\": \"other\", \"kind\": \"compose\"}");
            r = CliTest.run("report", out.toString(), "-q");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err()).contains(file + " left out: ", "is not a jdissect compose record");
            assertThat(Files.readString(out.resolve("report/layer-pool.html"))).doesNotContain("id=\"compose\"")
                    .contains("id=\"u1\"");
        } finally {
            Files.writeString(file, kept);
        }
    }

    @Test
    void badRequestsAreOneLine() {
        CliTest.Run r = CliTest.run("compose", "--dissection", out.toString(), "--layer", "nope", "-q");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).contains("has no dissection of layer 'nope'", "pool").doesNotContain("\n");
        r = CliTest.run("compose", "--dissection", out.toString(), "--layer", "pool", "--categories", "texture", "-q");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).contains("--categories: 'texture'", "color").doesNotContain("\n");
        r = CliTest.run("compose", "--dissection", out.toString(), "--layer", "pool", "--units", "9", "-q");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).contains("--units", "1 to 5", "9");
        r = CliTest.run("compose", "--dissection", out.toString(), "--layer", "pool", "--beam", "0", "-q");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).contains("--beam must be 1 to 1000");
        r = CliTest.run("compose", "--dissection", tmp.resolve("missing").toString(), "--layer", "pool", "-q");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).contains("no dissection in").doesNotContain("\n");
        assertThat(tmp.resolve("missing")).doesNotExist();
    }
}

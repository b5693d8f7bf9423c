package org.jdissect.intervene;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jdissect.dissect.Dissection;
import org.jdissect.dissect.DissectionResult;
import org.jdissect.dissect.LayerResult;
import org.jdissect.dissect.Probe;
import org.jdissect.dissect.Segmentation;
import org.jdissect.io.LogCapture;
import org.jdissect.dissect.IouTable;
import org.jdissect.io.ProgressListener;
import org.jdissect.dissect.Scoring;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Generator;
import org.jdissect.model.Preprocessing;
import org.jdissect.model.Segmenter;
import org.jdissect.model.SegmenterLabels;
import org.jdissect.stats.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GanTest {
    static final Preprocessing SEG = new Preprocessing(16, 16, Preprocessing.ChannelOrder.RGB, 255f,
            new float[] {0.5f, 0.5f, 0.5f}, new float[] {1, 1, 1});

    @TempDir
    static Path tmp;
    static Path gen;
    static Path seg;
    static Path labels;
    static Path out;
    static DissectionResult dissection;
    static CpuBackend backend = new CpuBackend(2);

    @BeforeAll
    static void setUp() throws Exception {
        gen = ColourGan.generator(tmp.resolve("gen.onnx"));
        seg = ColourGan.segmenter(tmp.resolve("seg.onnx"));
        labels = ColourGan.labels(tmp.resolve("seg_labels.txt"));
        out = tmp.resolve("gan");
        dissection = dissect();
    }

    private static DissectionResult dissect() {
        return Dissection.builder().probe(new Probe.Generated(gen, "feat", -1f, 1f, 120, 5,
                        Segmentation.of(seg, labels, SEG))).batch(16).quantile(0.3).out(out).backend(backend).run();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void unitsAreLabelledWithTheColoursTheyDraw() {
        LayerResult layer = dissection.layers().get(0);
        List<Scoring.UnitScore> s = layer.scores();
        String[] expected = {"red", "green", "blue"};
        for (int u = 0; u < 3; u++) {
            assertThat(layer.record().units().get(u).label()).as("unit %d", u).isEqualTo(expected[u]);
            assertThat(s.get(u).iou()).as("unit %d", u).isGreaterThan(0.5);
        }
        // unit 3 fires as often but draws nothing: its mask meets the colours by chance only (about 0.2 here)
        assertThat(s.get(3).iou()).as("unit 3 draws nothing").isLessThan(0.25)
                .isLessThan(Math.min(s.get(0).iou(), Math.min(s.get(1).iou(), s.get(2).iou())) / 2);
        assertThat(out.resolve("feat/tally.csv")).exists();
        assertThat(out.resolve("feat/top/unit_0001.png")).exists();
        assertThat(IouTable.read(out.resolve("feat/iou.csv")).ranking("green")[0]).isEqualTo(1);
    }

    @Test
    void resumingFromTheCacheGivesTheSameCounts() {
        DissectionResult again;
        try (LogCapture log = LogCapture.start()) {
            again = dissect();
            assertThat(log.messages()).contains("resuming: all 120 samples are in the activation cache");
        }
        assertThat(again.layers().get(0).counts().intersection())
                .isEqualTo(dissection.layers().get(0).counts().intersection());
    }

    @Test
    void ablatingTheRedUnitRemovesRedAndInsertingGreenAddsItWhereAsked() throws Exception {
        try (OnnxModel gm = OnnxModel.load(gen); OnnxModel sm = OnnxModel.load(seg);
             Generator g = Generator.open(gm, "feat", 2);
             Segmenter s = Segmenter.open(sm, SegmenterLabels.read(labels), SEG, 2)) {
            GanIntervention iv = new GanIntervention(g, backend, -1, 1);
            int red = s.labels().labelOf(s.labels().classNamed("red"));
            List<GanIntervention.Removal> curve = iv.removalCurve(s, 9, 40, 16, red, new int[] {0, 1, 2, 3},
                    new int[] {1, 2}, ProgressListener.NONE);
            assertThat(curve.get(0).pixelsBefore()).isPositive();
            assertThat(curve.get(0).removedShare()).isEqualTo(1.0);
            assertThat(curve.get(0).replacedBy()).containsKey("-");

            float[] values = GanIntervention.insertionValues(out, g.layer(), 0.995, backend);
            assertThat(values[1]).isGreaterThan(1.5f);
            // insert green at feature (1, 2): image pixels x 8..11, y 4..7
            GanIntervention.Edit edit = iv.edit(9, 0, 6, iv.alpha(new int[] {1}, new int[] {8, 4, 12, 8}),
                    iv.replacement(values));
            for (BufferedImage after : edit.after()) {
                int rgb = after.getRGB(9, 5);
                assertThat((rgb >> 8) & 0xff).as("green channel in the region").isGreaterThan(200);
            }
            // outside the region nothing changes
            assertThat(edit.after().get(0).getRGB(1, 14)).isEqualTo(edit.before().get(0).getRGB(1, 14));

            int green = s.labels().labelOf(s.labels().classNamed("green"));
            GanIntervention.Insertion ins = iv.insertion(s, 9, 16, 16, green, new int[] {1}, values, 0.5,
                    ProgressListener.NONE);
            assertThat(ins.rates().get("-")).as("green appears on dark ground").isGreaterThan(0.9);
            long trials = 0;
            for (long[] row : ins.trials()) {
                for (long t : row) {
                    trials += t;
                }
            }
            assertThat(trials).isPositive();
        }
        assertThat(Files.exists(out.resolve("cache/manifest.json"))).isTrue();
    }
}

package org.jdissect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jdissect.demo.ColourWorld;
import org.jdissect.demo.Demo;
import org.jdissect.demo.DemoModels;
import org.jdissect.io.Progress;
import org.jdissect.world.SceneWorld;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jdissect dissect ... --spark local[2]} through the command line, with the Spark module on the class path
 * (found by ServiceLoader): the same files and the same printed table as {@code jdissect dissect}, the data given
 * as a {@code file://} URI (read through Hadoop's file system API, as an hdfs:// or s3a:// one would be); and the
 * errors of URIs in one line.
 */
class SparkCliTest {
    @TempDir
    static Path tmp;
    static Path world;
    static Path model;

    @BeforeAll
    static void setUp() {
        world = SceneWorld.write(tmp.resolve("world"), 40, 64, 17, 2, false, Progress.NONE);
        model = DemoModels.locate(Demo.MODEL).resolve(Demo.MODEL);
    }

    record Run(int code, String out, String err) {
    }

    static Run run(List<String> args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o); // the layer table is printed on System.out
            System.setErr(e);
            int code = JdissectCommand.execute(o, e, args.toArray(String[]::new));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static List<String> dissect(Path out, String data, String... more) {
        List<String> args = new ArrayList<>(List.of("dissect", "--model", model.toString(), "--data", data,
                "--layer", "conv5", "--out", out.toString(), "--size", "64", "--mean", "0.5,0.5,0.5", "--std",
                "0.5,0.5,0.5", "--batch", "8", "-q"));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void dissectWithSparkWritesWhatDissectWrites() throws Exception {
        Path single = tmp.resolve("single");
        Run one = run(dissect(single, world.toString()));
        assertThat(one.code()).as(one.err()).isZero();
        Path spark = tmp.resolve("spark");
        Run many = run(dissect(spark, world.toUri().toString(), "--spark", "local[2]"));
        assertThat(many.code()).as(many.err()).isZero();
        // read through Hadoop's file system API (a copy per JVM): the records name the URI, not the copy
        assertThat(Files.readString(spark.resolve("conv5/report.json"))).contains(world.toUri().toString())
                .doesNotContain("jdissect-data-");
        for (String f : List.of("tally.csv", "thresholds.csv", "topk.csv", "iou.csv")) {
            assertThat(Files.readString(spark.resolve("conv5").resolve(f)))
                    .isEqualTo(Files.readString(single.resolve("conv5").resolve(f)));
        }
        // the same table; then the single machine's report line, and the Spark run's line saying why it has none
        String table = one.out().substring(0, one.out().indexOf("report: ")).replace(single.toString(),
                spark.toString());
        assertThat(table).contains("conv5");
        assertThat(many.out()).startsWith(table).contains("report: not written (its unit pictures need the "
                + "activation cache");
        // a local master on a path: the cache is written, and with it the report
        Path local = tmp.resolve("spark-local");
        Run withReport = run(dissect(local, world.toString(), "--spark", "local[2]"));
        assertThat(withReport.code()).as(withReport.err()).isZero();
        assertThat(withReport.out()).contains("report: " + local.resolve("report").resolve("index.html"));
        assertThat(Files.readString(local.resolve("report/index.html"))).contains("conv5");
    }

    /**
     * A campaign of two models (two copies of the demo classifier, one listed in a file) and two layers: each model's
     * folder as dissect writes it, and the summary's rows those of the layers' report.json.
     */
    @Test
    void aCampaignWritesEveryModelAsDissectDoesAndComparesThem() throws Exception {
        Path single = tmp.resolve("campaign-single");
        List<String> one = dissect(single, world.toString());
        one.addAll(List.of("--layer", "conv3"));
        assertThat(run(one).code()).isZero();
        Path models = Files.createDirectories(tmp.resolve("models"));
        Files.copy(model, models.resolve("epoch1.onnx"));
        Files.copy(model, models.resolve("epoch2.onnx"));
        Files.writeString(models.resolve("list.txt"), "# two checkpoints\nepoch1.onnx\n\nepoch2.onnx\n");
        Path out = tmp.resolve("campaign");
        List<String> args = dissect(out, world.toString(), "--layer", "conv3", "--spark", "local[2]");
        int m = args.indexOf("--model");
        args.set(m, "--models");
        args.set(m + 1, models.resolve("list.txt").toString());
        Run r = run(args);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("campaign: 2 models x 2 layers");
        for (String name : List.of("epoch1", "epoch2")) {
            for (String layer : List.of("conv3", "conv5")) {
                for (String f : List.of("tally.csv", "thresholds.csv", "topk.csv")) {
                    assertThat(Files.readString(out.resolve(name).resolve(layer).resolve(f)))
                            .as(name + "/" + layer + "/" + f)
                            .isEqualTo(Files.readString(single.resolve(layer).resolve(f)));
                }
            }
        }
        List<String> csv = Files.readAllLines(out.resolve("campaign.csv"));
        assertThat(csv).hasSize(5);
        assertThat(csv.get(0)).isEqualTo("model,layer,units,interpretable,concepts,color,object,part,material,scene,"
                + "texture");
        var summary = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(single.resolve("conv5/report.json").toFile()).get("summary");
        StringBuilder row = new StringBuilder("epoch2,conv5," + summary.get("units").asInt() + ","
                + summary.get("interpretable").asInt() + "," + summary.get("unique_concepts").asInt());
        summary.get("units_per_category").forEach(n -> row.append(',').append(n.asInt()));
        assertThat(csv).contains(row.toString());
        assertThat(Files.readString(out.resolve("report").resolve("index.html"))).contains("<svg")
                .contains("epoch2/conv5").contains("Campaign: 2 models")
                .contains("href=\"../epoch1/report/index.html\"");
        for (String name : List.of("epoch1", "epoch2")) {
            assertThat(out.resolve(name).resolve("report").resolve("index.html")).as(name + "'s own report")
                    .isRegularFile();
        }
    }

    /**
     * --images with a segmenter through the command line: the same files as without --spark, and the report drawn
     * from the cache the local job leaves; a missing folder is one line naming the option.
     */
    @Test
    void imagesWithASegmenterOnSparkWriteWhatDissectWrites() throws Exception {
        Path colours = ColourWorld.writeDataset(tmp.resolve("colours"), 24, 9);
        Path images = ColourWorld.copyImages(colours, tmp.resolve("colour-images"));
        ColourWorld.Segmenter seg = ColourWorld.writeSegmenter(tmp.resolve("seg"));
        Path colourModel = ColourWorld.writeModel(tmp.resolve("colour.onnx"));
        java.util.function.BiFunction<Path, Path, List<String>> args = (out, folder) -> new ArrayList<>(List.of(
                "dissect", "--model", colourModel.toString(), "--layer", "pool", "--images", folder.toString(),
                "--segmenter", seg.model().toString(), "--seg-labels", seg.labels().toString(), "--out",
                out.toString(), "--size", "32", "--mean", "0,0,0", "--std", "1,1,1", "--batch", "4", "-q"));
        Path single = tmp.resolve("images-single");
        Run one = run(args.apply(single, images));
        assertThat(one.code()).as(one.err()).isZero();
        Path spark = tmp.resolve("images-spark");
        List<String> withSpark = args.apply(spark, images);
        withSpark.addAll(List.of("--spark", "local[2]"));
        Run many = run(withSpark);
        assertThat(many.code()).as(many.err()).isZero();
        for (String f : List.of("tally.csv", "thresholds.csv", "topk.csv", "iou.csv")) {
            assertThat(Files.readString(spark.resolve("pool").resolve(f))).as(f)
                    .isEqualTo(Files.readString(single.resolve("pool").resolve(f)));
        }
        assertThat(many.out()).contains("report: " + spark.resolve("report").resolve("index.html"));

        List<String> missing = args.apply(tmp.resolve("images-missing"), tmp.resolve("no-such-folder"));
        missing.addAll(List.of("--spark", "local[2]"));
        Run r = run(missing);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines().filter(l -> l.startsWith("jdissect:")).toList())
                .containsExactly("jdissect: --images " + tmp.resolve("no-such-folder") + ": no such folder");
    }

    @Test
    void aHadoopUriWithoutSparkSaysWhatWorks() {
        Run r = run(dissect(tmp.resolve("hdfs"), "hdfs://namenode/broden"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).contains("--data").contains("hdfs://namenode/broden").contains("--spark");
    }

    @Test
    void aUriWithNoDatasetIsOneLine() {
        String missing = tmp.resolve("nowhere").toUri().toString();
        Run r = run(dissect(tmp.resolve("missing"), missing, "--spark", "local[2]"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines().filter(l -> l.startsWith("jdissect:")).toList())
                .containsExactly("jdissect: --data " + missing + ": no such dataset folder");
    }
}

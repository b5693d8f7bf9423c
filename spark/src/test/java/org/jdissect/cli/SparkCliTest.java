package org.jdissect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        assertThat(many.out()).startsWith(table).contains("report: not written with --spark");
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

package org.jdissect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jdissect.demo.ColourWorld;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark-submit form, run for real: {@code org.apache.spark.deploy.SparkSubmit} in a Java process of its own with
 * Spark's jars on the class path and the flags Spark's launcher adds on Java 17 (what a distribution's
 * {@code bin/spark-submit} runs through {@code bin/spark-class}), given the submit jar and the README's options;
 * its files against {@code jdissect dissect}'s, byte for byte.
 *
 * <p>It needs the submit jar, so it runs in the package phase, after the shade plugin (the module's surefire
 * execution "spark-submit" names the jar, Spark's jars and the flags); the test phase skips it.
 */
class SparkSubmitTest {
    @TempDir
    Path tmp;

    @Test
    void sparkSubmitWritesWhatDissectWrites() throws Exception {
        String jar = System.getProperty("jdissect.submitJar");
        Assumptions.assumeTrue(jar != null, "runs in the package phase, with the submit jar (mvn package)");
        Path sparkLib = Path.of(System.getProperty("jdissect.sparkLib"));
        assertThat(Path.of(jar)).isRegularFile();
        assertThat(sparkLib.resolve("spark-core_2.13-" + System.getProperty("jdissect.sparkVersion") + ".jar"))
                .isRegularFile();

        Path world = ColourWorld.writeDataset(tmp.resolve("world"), 30, 3);
        Path model = ColourWorld.writeModel(tmp.resolve("colour.onnx"));
        List<String> options = List.of("--model", model.toString(), "--layer", "pool", "--layer", "detect_relu",
                "--data", world.toString(), "--size", "32", "--mean", "0,0,0", "--std", "1,1,1", "--batch", "4",
                "--precision", "fp32");
        Path single = tmp.resolve("single");
        List<String> dissect = new ArrayList<>(List.of("dissect", "-q", "--out", single.toString()));
        dissect.addAll(options);
        SparkCliTest.Run one = SparkCliTest.run(dissect);
        assertThat(one.code()).as(one.err()).isZero();

        // spark-class's command: java -cp "$SPARK_HOME/jars/*" -Xmx1g <module flags> SparkSubmit <arguments>. Spark's
        // jars are spark-lib's, and Jackson's, which a distribution ships in jars/ too but the build pins for the
        // library (so spark-lib has none, and the submit jar leaves it to the cluster): taken from this class path
        Path submitted = tmp.resolve("submitted");
        List<String> classPath = new ArrayList<>(List.of(sparkLib + File.separator + "*"));
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.contains(File.separator + "com" + File.separator + "fasterxml" + File.separator
                        + "jackson" + File.separator + "core" + File.separator))
                .forEach(classPath::add);
        assertThat(classPath).hasSizeGreaterThan(3); // core, databind, annotations
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", String.join(File.pathSeparator, classPath), "-Xmx1g"));
        command.addAll(Arrays.asList(System.getProperty("jdissect.sparkOpens").trim().split("\\s+")));
        command.addAll(List.of("org.apache.spark.deploy.SparkSubmit", "--master", "local[2]", "--class",
                "org.jdissect.spark.SparkDissect", jar, "--out", submitted.toString()));
        command.addAll(options);
        Path log = tmp.resolve("spark-submit.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("spark-submit still running after 180 s:\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        assertThat(p.exitValue()).as(output).isZero();
        // the dissect command ran under Spark (its table, then its HTML report from the local cache)
        assertThat(output).contains("pool").contains("report: " + submitted.resolve("report").resolve("index.html"));
        for (String layer : List.of("pool", "detect_relu")) {
            for (String f : List.of("tally.csv", "thresholds.csv", "topk.csv", "iou.csv")) {
                assertThat(Files.readString(submitted.resolve(layer).resolve(f))).as(layer + "/" + f)
                        .isEqualTo(Files.readString(single.resolve(layer).resolve(f)));
            }
            assertThat(Files.readString(submitted.resolve(layer).resolve("report.json")))
                    .contains("\"backend\" : \"spark local[2]").contains("\"precision\" : \"fp32\"");
        }
    }
}

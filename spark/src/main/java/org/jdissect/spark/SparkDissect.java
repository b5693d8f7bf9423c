package org.jdissect.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The main class for spark-submit: {@code spark-submit --class org.jdissect.spark.SparkDissect jdissect-spark.jar
 * <the options of jdissect dissect>}. The master is the one spark-submit was given; the rest is {@code jdissect
 * dissect --spark} (the same options, checks, messages and exit codes).
 */
public final class SparkDissect {
    private SparkDissect() {
    }

    public static void main(String[] args) {
        List<String> all = new ArrayList<>();
        all.add("dissect");
        all.addAll(Arrays.asList(args));
        if (!all.contains("--spark") && all.stream().noneMatch(a -> a.startsWith("--spark="))) {
            // spark-submit passes its --master as this property; the context made under it uses it
            all.add("--spark");
            all.add(System.getProperty("spark.master", "local[*]"));
        }
        org.jdissect.cli.Main.main(all.toArray(String[]::new));
    }
}

package org.jdissect.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house reads top-down (README, "How the code is organised"): every package has a floor, and a package imports
 * only packages on lower floors, or on its own floor without a cycle. The dependencies are those of the compiled
 * classes as the JDK's jdeps finds them, so an import hidden in a fully qualified name counts too.
 */
class ArchitectureTest {
    /** Floor of every package; a new package must be placed here (the test fails on an unplaced one). */
    static final Map<String, Integer> FLOORS = Map.ofEntries(
            Map.entry("org.jdissect.cli", 6),
            Map.entry("org.jdissect.dissect", 5),
            Map.entry("org.jdissect.dissect.pages", 5),
            Map.entry("org.jdissect.intervene", 5),
            Map.entry("org.jdissect.intervene.pages", 5),
            Map.entry("org.jdissect.compose", 5),
            Map.entry("org.jdissect.compose.pages", 5),
            Map.entry("org.jdissect.attack", 5),
            Map.entry("org.jdissect.attack.pages", 5),
            Map.entry("org.jdissect.paint", 5),
            Map.entry("org.jdissect.demo", 5),
            Map.entry("org.jdissect.report", 4),
            Map.entry("org.jdissect.model", 3),
            Map.entry("org.jdissect.stats", 3),
            Map.entry("org.jdissect.cuda", 3),
            Map.entry("org.jdissect.data", 2),
            Map.entry("org.jdissect.world", 2),
            Map.entry("org.jdissect.io", 1),
            Map.entry("org.jdissect", 1));

    static Map<String, Set<String>> edges;

    @BeforeAll
    static void jdeps() throws Exception {
        Path classes = Path.of(org.jdissect.JdissectException.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI());
        assertThat(classes).isDirectory();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() ->
                new AssertionError("this JDK has no jdeps"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = jdeps.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "-verbose:package", "-e",
                "org\\.jdissect(\\..*)?", "--ignore-missing-deps", classes.toString());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        edges = new TreeMap<>();
        Pattern edge = Pattern.compile("^\\s+(org\\.jdissect[\\w.]*)\\s+->\\s+(org\\.jdissect[\\w.]*)\\s");
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            Matcher m = edge.matcher(line);
            if (m.find() && !m.group(1).equals(m.group(2))) {
                edges.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        try (Stream<Path> walk = Files.walk(classes)) {
            walk.filter(p -> p.toString().endsWith(".class")).map(p -> classes.relativize(p.getParent()).toString()
                    .replace('/', '.')).filter(p -> p.startsWith("org.jdissect"))
                    .forEach(p -> edges.computeIfAbsent(p, k -> new TreeSet<>()));
        }
        assertThat(edges).as("jdeps found the packages").containsKeys("org.jdissect.cli", "org.jdissect.dissect");
    }

    @Test
    void everyPackageHasAFloor() {
        assertThat(FLOORS.keySet()).as("packages without a floor in ArchitectureTest.FLOORS")
                .containsAll(edges.keySet());
    }

    @Test
    void importsRunDownTheFloors() {
        List<String> upward = new ArrayList<>();
        edges.forEach((from, tos) -> {
            for (String to : tos) {
                Integer a = FLOORS.get(from);
                Integer b = FLOORS.get(to);
                if (a != null && b != null && b > a) {
                    upward.add(from + " (floor " + a + ") -> " + to + " (floor " + b + ")");
                }
            }
        });
        assertThat(upward).as("imports that run up the floors").isEmpty();
    }

    @Test
    void noPackageCycle() {
        // Tarjan's strongly connected components: a component of more than one package is a cycle
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> cycles = new ArrayList<>();
        int[] counter = {0};
        for (String v : edges.keySet()) {
            if (!index.containsKey(v)) {
                strongConnect(v, index, low, stack, onStack, cycles, counter);
            }
        }
        assertThat(cycles).as("package cycles").isEmpty();
    }

    private static void strongConnect(String v, Map<String, Integer> index, Map<String, Integer> low,
                                      Deque<String> stack, Set<String> onStack, List<List<String>> cycles,
                                      int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : edges.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                strongConnect(w, index, low, stack, onStack, cycles, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                cycles.add(component);
            }
        }
    }

    /**
     * No main source file grows past what one person holds in mind (600 lines) unless it says why at its top, in a
     * comment starting "Longer than 600 lines:".
     */
    @Test
    void noSourceFileOver600LinesWithoutItsReason() throws Exception {
        Path classes = Path.of(org.jdissect.JdissectException.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        Path sources = classes.getParent().getParent().resolve("src/main/java");
        assertThat(sources).isDirectory();
        List<String> long_ = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(sources)) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(p);
                boolean reason = lines.stream().limit(40).anyMatch(l -> l.contains("Longer than 600 lines:"));
                if (lines.size() > 600 && !reason) {
                    long_.add(sources.relativize(p) + " (" + lines.size() + " lines)");
                }
            }
        }
        assertThat(long_).as("files over 600 lines without their reason").isEmpty();
    }

    /** The cycle check must be able to fail: a planted cycle is found. */
    @Test
    void aPlantedCycleIsFound() {
        Map<String, Set<String>> saved = edges;
        try {
            edges = new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a")));
            Map<String, Integer> index = new HashMap<>();
            List<List<String>> cycles = new ArrayList<>();
            strongConnect("d", index, new HashMap<>(), new ArrayDeque<>(), new TreeSet<>(), cycles, new int[1]);
            assertThat(cycles).hasSize(1);
            assertThat(cycles.get(0)).containsExactlyInAnyOrder("a", "b", "c");
        } finally {
            edges = saved;
        }
    }
}

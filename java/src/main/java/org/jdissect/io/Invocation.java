package org.jdissect.io;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Who is running: the tool's version and build commit, and the command line. The CLI makes one from its arguments;
 * a library user gets {@link #current()}, whose command line is the Java process's own. {@link #provenance} turns it,
 * with what a run used, into the record every JSON output carries.
 */
public record Invocation(String version, String commit, List<String> command) {
    /** Written by the build (Maven resource filtering and the git-commit-id plugin) into the jar. */
    private static final String BUILD = "build.properties";
    private static final String GIT = "git.properties";

    public Invocation {
        command = List.copyOf(command);
    }

    /** The CLI's invocation: {@code jdissect} followed by its arguments. */
    public static Invocation cli(String... args) {
        List<String> command = new ArrayList<>();
        command.add("jdissect");
        command.addAll(List.of(args));
        return new Invocation(buildVersion(), buildCommit(), command);
    }

    /** A library user's invocation: the command line of this Java process, as the operating system reports it. */
    public static Invocation current() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        List<String> command = new ArrayList<>();
        info.command().ifPresent(command::add);
        info.arguments().ifPresent(a -> command.addAll(List.of(a)));
        return new Invocation(buildVersion(), buildCommit(), command);
    }

    /**
     * The provenance of an output written now by this invocation.
     *
     * @param onnxruntime the ONNX Runtime version when a model ran, else null
     * @param cuda        the CUDA runtime and device when the statistics ran on a GPU, else null
     */
    public Provenance provenance(List<Provenance.Model> models, Provenance.Dataset dataset, Map<String, Long> seeds,
                                 String backend, String inference, String onnxruntime, String cuda) {
        return new Provenance("jdissect", version, commit, Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(),
                command, List.copyOf(models), dataset, seeds == null || seeds.isEmpty() ? null : Map.copyOf(seeds),
                backend, inference, new Provenance.Versions(java(), System.getProperty("os.name") + " "
                        + System.getProperty("os.arch"), onnxruntime, cuda));
    }

    private static String java() {
        return System.getProperty("java.vendor", "?") + " " + Runtime.version();
    }

    static String buildVersion() {
        return read(BUILD).getProperty("version", "unknown");
    }

    static String buildCommit() {
        Properties git = read(GIT);
        String id = git.getProperty("git.commit.id", "");
        if (id.isBlank() || id.startsWith("${")) {
            return "unknown";
        }
        return "true".equals(git.getProperty("git.dirty")) ? id + "-dirty" : id;
    }

    private static Properties read(String name) {
        Properties p = new Properties();
        try (InputStream in = Invocation.class.getResourceAsStream(name)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // a build without the file records "unknown"
        }
        return p;
    }
}

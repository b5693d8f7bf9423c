package org.jdissect.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** Headless Chromium for the report's browser tests: Debian's {@code chromium}, or $JDISSECT_CHROMIUM. */
public final class Chromium {
    private final Path binary;
    private final Path profile;

    private Chromium(Path binary, Path profile) {
        this.binary = binary;
        this.profile = profile;
    }

    /** The browser, or empty with no browser installed. */
    public static Optional<Chromium> find(Path scratch) {
        List<String> names = new ArrayList<>();
        String env = System.getenv("JDISSECT_CHROMIUM");
        if (env != null && !env.isBlank()) {
            names.add(env);
        }
        names.addAll(List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"));
        for (String name : names) {
            Path p = Path.of(name);
            if (p.isAbsolute() && Files.isExecutable(p)) {
                return Optional.of(new Chromium(p, scratch));
            }
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                    return Optional.of(new Chromium(candidate, scratch));
                }
            }
        }
        return Optional.empty();
    }

    /** The browser, or the calling test skipped (assumption failed) with the reason, where none is installed. */
    public static Chromium findOrSkip(Path scratch) {
        Optional<Chromium> browser = find(scratch);
        Assumptions.assumeTrue(browser.isPresent(),
                "chromium is not installed (CI installs it: apt-get install chromium); the browser check is skipped");
        return browser.get();
    }

    /** The DOM after the page's scripts ran (and the images it loads loaded), as Chromium serializes it. */
    public String dumpDom(String url) throws IOException, InterruptedException {
        return run(List.of("--virtual-time-budget=20000", "--dump-dom", url));
    }

    public void screenshot(String url, Path png, int width, int height) throws IOException, InterruptedException {
        Files.deleteIfExists(png);
        run(List.of("--hide-scrollbars", "--virtual-time-budget=20000", "--window-size=" + width + "," + height,
                "--screenshot=" + png.toAbsolutePath(), url));
        if (!Files.isRegularFile(png)) {
            throw new IOException("chromium wrote no screenshot to " + png);
        }
    }

    /** The page's own check: every image loaded (naturalWidth > 0), the cards counted, no injected script ran. */
    public static void assertSelftest(String dom, int images, int cards) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<div id=\"selftest\"([^>]*)>([^<]*)</div>")
                .matcher(dom);
        assertThat(m.find()).as("the page's self-test ran and wrote its result").isTrue();
        String attrs = m.group(1);
        assertThat(attr(attrs, "data-broken")).as("broken images: " + m.group(2)).isEqualTo("0");
        assertThat(Integer.parseInt(attr(attrs, "data-images"))).isEqualTo(images);
        assertThat(Integer.parseInt(attr(attrs, "data-cards"))).isEqualTo(cards);
        assertThat(attr(attrs, "data-injected")).as("an injected script ran").isEqualTo("false");
    }

    /**
     * That the self-test enlarged the page's first card (click-to-enlarge) into {@code cells} images with a mask
     * over each of {@code masks}, in an open dialog.
     */
    public static void assertZoom(String dom, int cells, int masks) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<div id=\"selftest\"([^>]*)>").matcher(dom);
        assertThat(m.find()).as("the page's self-test ran and wrote its result").isTrue();
        assertThat(attr(m.group(1), "data-zoom-open")).isEqualTo("true");
        assertThat(Integer.parseInt(attr(m.group(1), "data-zoom-cells"))).isEqualTo(cells);
        assertThat(Integer.parseInt(attr(m.group(1), "data-zoom-masks"))).isEqualTo(masks);
    }

    private static String attr(String attrs, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(" " + name + "=\"([^\"]*)\"").matcher(attrs);
        assertThat(m.find()).as(name).isTrue();
        return m.group(1);
    }

    /**
     * Opens {@code url} in a headless Chromium driven over the DevTools protocol, and evaluates {@code expression} in
     * the page every 200 ms of real time until it gives a non-empty string (returned) or {@code timeout} passes (an
     * IOException with the last value). For pages that work against a live server, where --dump-dom's virtual time
     * may run out while the page still waits for decodes and replies on a loaded machine.
     */
    public String evaluateUntil(String url, String expression, java.time.Duration timeout)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-dev-shm-usage",
                "--remote-debugging-port=0", "--remote-allow-origins=*",
                "--user-data-dir=" + profile.toAbsolutePath() + "-devtools", url));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            String port = null;
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8));
            StringBuilder log = new StringBuilder();
            for (String line; port == null && (line = in.readLine()) != null; ) {
                log.append(line).append('\n');
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("DevTools listening on ws://[^:]+:(\\d+)/")
                        .matcher(line);
                if (m.find()) {
                    port = m.group(1);
                }
            }
            if (port == null) {
                throw new IOException("chromium gave no DevTools port: " + log);
            }
            Thread drain = new Thread(() -> {
                try {
                    in.transferTo(java.io.Writer.nullWriter());
                } catch (IOException ignored) {
                    // the browser is gone
                }
            });
            drain.setDaemon(true);
            drain.start();
            var http = java.net.http.HttpClient.newHttpClient();
            String ws = null;
            while (ws == null && System.nanoTime() < deadline) {
                String list = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                        + port + "/json/list")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                for (var target : org.jdissect.io.Json.tree(list)) {
                    if ("page".equals(target.path("type").asText())) {
                        ws = target.path("webSocketDebuggerUrl").asText();
                    }
                }
                Thread.sleep(100);
            }
            if (ws == null) {
                throw new IOException("chromium opened no page for " + url);
            }
            var replies = new java.util.concurrent.LinkedBlockingQueue<String>();
            StringBuilder partial = new StringBuilder();
            var socket = http.newWebSocketBuilder().buildAsync(java.net.URI.create(ws),
                    new java.net.http.WebSocket.Listener() {
                        @Override
                        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w,
                                                                              CharSequence data, boolean last) {
                            partial.append(data);
                            if (last) {
                                replies.add(partial.toString());
                                partial.setLength(0);
                            }
                            w.request(1);
                            return null;
                        }
                    }).join();
            String value = "";
            for (int id = 1; System.nanoTime() < deadline; id++) {
                String request = org.jdissect.io.Json.text(java.util.Map.of("id", id, "method", "Runtime.evaluate",
                        "params", java.util.Map.of("expression", expression, "returnByValue", true)));
                socket.sendText(request, true).join();
                String reply = replies.poll(10, TimeUnit.SECONDS);
                if (reply != null) {
                    value = org.jdissect.io.Json.tree(reply).path("result").path("result").path("value").asText("");
                    if (!value.isEmpty()) {
                        socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done");
                        return value;
                    }
                }
                Thread.sleep(200);
            }
            throw new IOException("the page gave no value for " + expression + " in " + timeout + " (last: '" + value
                    + "')");
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private String run(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile.toAbsolutePath()));
        cmd.addAll(args);
        Path out = Files.createTempFile(profile.getParent(), "chromium", ".out");
        Path err = Files.createTempFile(profile.getParent(), "chromium", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("chromium did not finish in 120 s: " + cmd);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("chromium exited with " + p.exitValue() + ": " + cmd + "\n"
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return stdout;
    }
}

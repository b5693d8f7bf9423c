package org.jdissect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;

import org.jdissect.demo.DemoModels;
import org.jdissect.intervene.ColourGan;
import org.jdissect.io.Json;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Preprocessing;
import org.jdissect.paint.PaintServer;
import org.jdissect.paint.Painter;
import org.jdissect.report.Chromium;
import org.jdissect.stats.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The painting editor on {@link ColourGan}, whose units draw known colours in 4 x 4 pixel blocks that do not
 * overlap, so what an edit changes is known to the pixel; and the page itself in headless Chromium on the demo
 * generator.
 */
class PaintCliTest {
    @TempDir
    static Path tmp;
    static Path gen;
    static Path dissection;
    static Painter painter;
    static PaintServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        gen = ColourGan.generator(tmp.resolve("gen.onnx"));
        Path seg = ColourGan.segmenter(tmp.resolve("seg.onnx"));
        Path labels = ColourGan.labels(tmp.resolve("labels.txt"));
        dissection = tmp.resolve("gan");
        CliTest.Run r = CliTest.run("gan-dissect", "--generator", gen.toString(), "--layer", "feat", "--segmenter",
                seg.toString(), "--seg-labels", labels.toString(), "--seg-mean", "0.5,0.5,0.5", "--samples", "48",
                "--quantile", "0.3", "--out", dissection.toString(), "--topk", "5", "-q", "--threads", "1");
        assertThat(r.code()).as(r.err()).isZero();
        try (CpuBackend backend = new CpuBackend(1)) {
            painter = Painter.open(gen, "feat", 1, -1, 1, dissection, new Painter.SegmenterSpec(seg, labels,
                    size -> new Preprocessing(size[0], size[1], Preprocessing.ChannelOrder.RGB, 255f,
                            new float[] {0.5f, 0.5f, 0.5f}, new float[] {1, 1, 1})), 2, backend,
                    OnnxModel.Inference.CPU);
        }
        server = PaintServer.start(painter, "127.0.0.1", 0, 4);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (painter != null) {
            painter.close();
        }
    }

    static HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path.substring(1))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<byte[]> post(String path, String json, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path.substring(1)))
                .POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static BufferedImage image(byte[] png) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    static String stroke(String mode, String concept, String points, double radius) {
        return "{\"sample\":%d,\"edits\":[{\"mode\":\"" + mode + "\",\"concept\":\"" + concept + "\",\"top\":1,"
                + "\"strokes\":[{\"points\":" + points + ",\"radius\":" + radius + "}]}]}";
    }

    @Test
    void infoNamesTheLayerAndItsConcepts() throws Exception {
        HttpResponse<byte[]> r = get("/api/info");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode info = Json.tree(new String(r.body()));
        assertThat(info.path("layer").asText()).isEqualTo("feat");
        assertThat(info.path("units").asInt()).isEqualTo(4);
        assertThat(info.path("layer_height").asInt()).isEqualTo(4);
        assertThat(info.path("image_width").asInt()).isEqualTo(16);
        assertThat(info.path("segmenter").asBoolean()).isTrue();
        List<String> names = new ArrayList<>();
        info.path("concepts").forEach(c -> names.add(c.path("name").asText()));
        assertThat(names).contains("red", "green", "blue");
        // the page and its script come from the jar
        assertThat(new String(get("/").body())).contains("<script src=\"paint.js\"");
        assertThat(get("/paint.js").statusCode()).isEqualTo(200);
    }

    /**
     * A stroke over the top-left 8 x 4 pixels covers feature cells (0, 0) and (0, 1): removing red there lowers red in
     * those two 4 x 4 blocks only; every other pixel is unchanged, byte for byte.
     */
    @Test
    void aStrokeRemovesTheConceptInItsCellsAndNowhereElse() throws Exception {
        int changed = 0;
        for (int sample = 0; sample < 8; sample++) {
            BufferedImage before = image(get("/api/sample/" + sample).body());
            HttpResponse<byte[]> r = post("/api/render", String.format(stroke("remove", "red", "[[2,2],[6,2]]", 1),
                    sample));
            assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Render-Millis")).isPresent();
            BufferedImage after = image(r.body());
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    int b = before.getRGB(x, y);
                    int a = after.getRGB(x, y);
                    if (y < 4 && x < 8) {
                        assertThat((a >> 16) & 255).isLessThanOrEqualTo((b >> 16) & 255);
                        assertThat(a & 0xffff).isEqualTo(b & 0xffff);
                        changed += a != b ? 1 : 0;
                    } else {
                        assertThat(a).as("pixel %d,%d of sample %d", x, y, sample).isEqualTo(b);
                    }
                }
            }
        }
        assertThat(changed).as("red was there somewhere, and went").isPositive();
    }

    @Test
    void addingRaisesTheConceptAndNoEditsIsTheSampleItself() throws Exception {
        BufferedImage before = image(get("/api/sample/5").body());
        String add = "{\"sample\":5,\"edits\":[{\"mode\":\"add\",\"concept\":\"green\",\"top\":1,\"scale\":2,"
                + "\"strokes\":[{\"points\":[[10,10]],\"radius\":1}]}]}";
        BufferedImage after = image(post("/api/render", add).body());
        // pixel (10, 10) lies in cell (2, 2): its block is greener
        assertThat((after.getRGB(10, 10) >> 8) & 255).isGreaterThan((before.getRGB(10, 10) >> 8) & 255);
        assertThat(after.getRGB(1, 1)).isEqualTo(before.getRGB(1, 1));
        // undo is the request without the edit: the sample's own bytes
        assertThat(post("/api/render", "{\"sample\":5,\"edits\":[]}").body()).isEqualTo(get("/api/sample/5").body());
        // the eraser clears what the edit painted: nothing left to edit
        String erased = "{\"sample\":5,\"edits\":[{\"mode\":\"add\",\"concept\":\"green\",\"top\":1,\"scale\":2,"
                + "\"strokes\":[{\"points\":[[10,10]],\"radius\":1},{\"points\":[[10,10]],\"radius\":3,"
                + "\"erase\":true}]}]}";
        assertThat(post("/api/render", erased).body()).isEqualTo(get("/api/sample/5").body());
    }

    @Test
    void anExportedRecipeReplaysToTheSameBytes() throws Exception {
        String req = String.format(stroke("remove", "red", "[[1,1],[15,15]]", 2), 3);
        HttpResponse<byte[]> recipe = post("/api/recipe", req);
        assertThat(recipe.statusCode()).isEqualTo(200);
        JsonNode json = Json.tree(new String(recipe.body()));
        assertThat(json.path("kind").asText()).isEqualTo("paint-recipe");
        assertThat(json.path("generator_sha256").asText()).isEqualTo(org.jdissect.io.Hashing.sha256(gen));
        assertThat(json.path("edits").get(0).path("mask")).hasSize(4);
        Path file = Files.write(tmp.resolve("recipe.json"), recipe.body());
        Path out = tmp.resolve("replay");
        CliTest.Run r = CliTest.run("gan-edit", "--generator", gen.toString(), "--layer", "feat", "--recipe",
                file.toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("replayed", "sample 3");
        assertThat(Files.readAllBytes(out.resolve("after_3.png"))).isEqualTo(post("/api/render", req).body());
        assertThat(Files.readAllBytes(out.resolve("before_3.png"))).isEqualTo(get("/api/sample/3").body());
        // another generator's recipe is refused in one line
        Path other = Files.writeString(tmp.resolve("other.json"), new String(recipe.body())
                .replace(json.path("generator_sha256").asText(), "0".repeat(64)));
        r = CliTest.run("gan-edit", "--generator", gen.toString(), "--layer", "feat", "--recipe", other.toString(),
                "--out", tmp.resolve("replay2").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("the recipe is for the generator with sha256 000000000000...");
    }

    @Test
    void theSegmentersViewComesWithItsLegend() throws Exception {
        HttpResponse<byte[]> r = post("/api/segment", "{\"sample\":0,\"edits\":[]}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode s = Json.tree(new String(r.body()));
        BufferedImage overlay = image(java.util.Base64.getDecoder().decode(s.path("png").asText()));
        assertThat(overlay.getWidth()).isEqualTo(16);
        assertThat(s.path("legend").isObject()).isTrue();
    }

    @Test
    void badRequestsAreRefusedWithOneLine() throws Exception {
        assertError(post("/api/render", "{}", "Origin", "http://evil.example"), 403, "other origins");
        // a page on another name that resolves here (DNS rebinding) sends its own Host: refused
        assertThat(withHost(server, "evil.example:" + server.port())).startsWith("HTTP/1.1 403")
                .contains("must name this editor's host");
        assertThat(withHost(server, "10.1.2.3:" + server.port())).as("another address").startsWith("HTTP/1.1 403");
        assertThat(withHost(server, "localhost:" + server.port())).startsWith("HTTP/1.1 200");
        // listening on every interface (--host 0.0.0.0), any address of the machine names it, still no other name
        try (PaintServer all = PaintServer.start(painter, "0.0.0.0", 0, 2)) {
            assertThat(withHost(all, "10.1.2.3:" + all.port())).startsWith("HTTP/1.1 200");
            assertThat(withHost(all, "[fe80::1]:" + all.port())).startsWith("HTTP/1.1 200");
            assertThat(withHost(all, "evil.example:" + all.port())).startsWith("HTTP/1.1 403");
            assertThat(withHost(all, "10.1.2.3:1")).as("another port").startsWith("HTTP/1.1 403");
        }
        assertError(get("/api/render"), 405, "method GET");
        assertError(post("/api/render", "{not json"), 400, "not the JSON expected");
        assertError(post("/api/render", "{\"sample\":0,\"edits\":[],\"path\":\"/etc/passwd\"}"), 400, "path");
        assertError(post("/api/render", String.format(stroke("remove", "red", "[[20,2]]", 1), 0)), 400,
                "outside the 16 x 16 image");
        assertError(post("/api/render", String.format(stroke("remove", "purple", "[[2,2]]", 1), 0)), 400,
                "unknown concept 'purple'");
        assertError(post("/api/render", "{\"sample\":0,\"edits\":[{\"mode\":\"remove\",\"units\":[9],"
                + "\"strokes\":[{\"points\":[[1,1]],\"radius\":1}]}]}"), 400, "unit 9 is outside 1..4");
        assertError(post("/api/render", String.format(stroke("smudge", "red", "[[2,2]]", 1), 0)), 400,
                "mode must be remove or add");
        assertError(post("/api/render", "{\"sample\":-1,\"edits\":[]}"), 400, "sample -1 is outside");
        assertError(post("/api/render", "{\"sample\":0,\"edits\":[],\"x\":\"" + "a".repeat(PaintServer.MAX_BODY)
                + "\"}"), 413, "body over");
        assertError(get("/api/sample/abc"), 400, "not a number");
        assertError(get("/etc/passwd"), 404, "no such page");
    }

    /** The reply to GET /api/info with this Host header, sent by hand (Java's HTTP client will not set Host). */
    static String withHost(PaintServer s, String host) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", s.port())) {
            socket.getOutputStream().write(("GET /api/info HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    static void assertError(HttpResponse<byte[]> r, int status, String text) {
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(status);
        String body = new String(r.body());
        assertThat(Json.tree(body).path("error").asText()).contains(text);
    }

    @Test
    void concurrentClientsGetWhatEachAskedFor() throws Exception {
        List<String> requests = new ArrayList<>();
        List<byte[]> alone = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String req = String.format(stroke(i % 2 == 0 ? "remove" : "add", i % 3 == 0 ? "red" : "blue",
                    "[[" + (i % 16) + ",3],[8,12]]", 1 + i % 3), i % 5);
            requests.add(req);
            alone.add(post("/api/render", req).body());
        }
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<byte[]>> got = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (String req : requests) {
                    got.add(clients.submit(() -> post("/api/render", req).body()));
                }
            }
            for (int k = 0; k < got.size(); k++) {
                assertThat(got.get(k).get()).isEqualTo(alone.get(k % requests.size()));
            }
        } finally {
            clients.shutdown();
        }
    }

    /**
     * The page in headless Chromium on the demo generator: its self-check draws a stroke with pointer events, removes
     * the first concept, and finds the picture changed inside the stroke and little outside, and undo giving back the
     * sample's bytes, with no error logged.
     */
    @Test
    void thePagePaintsInARealBrowser() throws Exception {
        Chromium browser = Chromium.findOrSkip(tmp);
        Path models = DemoModels.locate("scene_gan.onnx");
        Path out = tmp.resolve("demo-gan");
        CliTest.Run r = CliTest.run("gan-dissect", "--generator", models.resolve("scene_gan.onnx").toString(),
                "--layer", "layer3", "--segmenter", models.resolve("scene_seg.onnx").toString(), "--seg-labels",
                models.resolve("scene_seg_labels.csv").toString(), "--seg-mean", "0.5,0.5,0.5", "--seg-std",
                "0.5,0.5,0.5", "--samples", "200", "--out", out.toString(), "-q", "--device", "cpu");
        assertThat(r.code()).as(r.err()).isZero();
        try (CpuBackend backend = new CpuBackend(1);
             Painter demo = Painter.open(models.resolve("scene_gan.onnx"), "layer3", 1, -1, 1, out, null, 2, backend,
                     OnnxModel.Inference.CPU);
             PaintServer s = PaintServer.start(demo, "127.0.0.1", 0, 4)) {
            // real time, not --dump-dom's virtual time: the page waits on the server and on image decodes
            String text = browser.evaluateUntil(s.url() + "#selftest",
                    "document.getElementById('selftest').textContent", java.time.Duration.ofSeconds(90));
            JsonNode result = Json.tree(text);
            assertThat(result.path("errors")).as(text).isEmpty();
            assertThat(result.path("edits").asInt()).isEqualTo(1);
            assertThat(result.path("concept").asText()).isEqualTo(demo.info().concepts().get(0).name());
            assertThat(result.path("undoRestoresBytes").asBoolean()).isTrue();
            double inside = result.path("meanChangeInside").asDouble();
            double outside = result.path("meanChangeOutside").asDouble();
            assertThat(inside).as(text).isGreaterThan(3 * outside).isGreaterThan(1);
        }
    }
}

package org.jdissect.paint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.jdissect.JdissectException;
import org.jdissect.io.Json;

/**
 * The painting editor's HTTP server: the page (served from the jar, no CDN) and one JSON API it uses and a script can
 * use (README, "Painting with units"). The JDK's own server: the editor serves one user on their machine, a handful
 * of requests at a time, so a dependency would buy nothing; what it needs on top (limits, origin and host checks) is
 * here.
 *
 * <p>Requests from other origins are refused (a page elsewhere in the user's browser cannot drive the editor), and so
 * are requests naming another host (DNS rebinding); bodies are limited to {@link #MAX_BODY} bytes; no request names a
 * file. Every error is a status and one line of JSON: {@code {"error": "..."}}.
 */
public final class PaintServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PaintServer.class.getName());
    /** The largest request body read. */
    public static final int MAX_BODY = 1 << 20;
    private static final Map<String, String> STATIC = Map.of(
            "/", "index.html", "/index.html", "index.html", "/paint.js", "paint.js", "/paint.css", "paint.css");

    private final Painter painter;
    private final HttpServer server;
    private final ExecutorService pool;
    private final Set<String> hosts;
    /** Bound to every interface (--host 0.0.0.0 or ::): any IP address of this machine names it. */
    private final boolean wildcard;

    private PaintServer(Painter painter, HttpServer server, ExecutorService pool, Set<String> hosts) {
        this.painter = painter;
        this.server = server;
        this.pool = pool;
        this.hosts = hosts;
        this.wildcard = server.getAddress().getAddress().isAnyLocalAddress();
    }

    /** Starts serving {@code painter} on {@code host:port} ({@code port} 0: any free port). */
    public static PaintServer start(Painter painter, String host, int port, int threads) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (IOException e) {
            throw new JdissectException("cannot listen on " + host + ":" + port + ": " + e.getMessage()
                    + " (is the port taken? --port 0 picks a free one)", e);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, threads), r -> {
            Thread t = new Thread(r, "paint-http");
            t.setDaemon(true);
            return t;
        });
        int bound = server.getAddress().getPort();
        Set<String> hosts = Set.copyOf(java.util.List.of((host.contains(":") ? "[" + host + "]" : host).toLowerCase(
                Locale.ROOT) + ":" + bound, "127.0.0.1:" + bound, "localhost:" + bound, "[::1]:" + bound));
        PaintServer s = new PaintServer(painter, server, pool, hosts);
        server.createContext("/", s::handle);
        server.setExecutor(pool);
        server.start();
        return s;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        String h = server.getAddress().getHostString();
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port() + "/";
    }

    private void handle(HttpExchange x) throws IOException {
        long t0 = System.nanoTime();
        try (x) {
            String path = x.getRequestURI().getPath();
            String host = x.getRequestHeaders().getFirst("Host");
            if (host == null || !allowed(host)) {
                error(x, 403, "requests must name this editor's host (" + url() + "), not " + host);
                return;
            }
            String origin = x.getRequestHeaders().getFirst("Origin");
            if (origin != null && !(origin.startsWith("http://") && allowed(origin.substring("http://".length())))) {
                error(x, 403, "requests from other origins are refused: " + origin);
                return;
            }
            String method = x.getRequestMethod();
            try {
                if (STATIC.containsKey(path)) {
                    requireMethod(method, "GET");
                    serveStatic(x, STATIC.get(path));
                } else if (path.equals("/api/info")) {
                    requireMethod(method, "GET");
                    json(x, painter.info());
                } else if (path.startsWith("/api/sample/")) {
                    requireMethod(method, "GET");
                    int sample = parseSample(path.substring("/api/sample/".length()));
                    png(x, Painter.png(painter.sample(sample)), t0);
                } else if (path.equals("/api/render")) {
                    requireMethod(method, "POST");
                    Recipe r = painter.resolve(read(x, Painter.Request.class));
                    png(x, Painter.png(painter.render(r)), t0);
                } else if (path.equals("/api/recipe")) {
                    requireMethod(method, "POST");
                    Recipe r = painter.resolve(read(x, Painter.Request.class));
                    x.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"recipe-" + r.sample()
                            + ".json\"");
                    json(x, r);
                } else if (path.equals("/api/segment")) {
                    requireMethod(method, "POST");
                    Recipe r = painter.resolve(read(x, Painter.Request.class));
                    Painter.Segmented s = painter.segment(painter.render(r));
                    if (s == null) {
                        error(x, 404, "this editor has no segmenter (start it with --segmenter and --seg-labels)");
                        return;
                    }
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("png", Base64.getEncoder().encodeToString(Painter.png(s.overlay())));
                    body.put("legend", s.legend());
                    json(x, body);
                } else {
                    error(x, 404, "no such page or API: " + path + " (the API: /api/info, /api/sample/N, "
                            + "/api/render, /api/recipe, /api/segment)");
                }
            } catch (JdissectException e) {
                error(x, e.getMessage().startsWith("method ") ? 405 : e.getMessage().startsWith("body ") ? 413 : 400,
                        e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "paint: " + path + " failed", e);
                error(x, 500, "internal error: " + e);
            }
        }
    }

    /**
     * Whether {@code hostAndPort} (a Host header, or an Origin without its scheme) names this editor: the address it
     * listens on, or localhost, at its port; when it listens on every interface, any IP address at its port too. A
     * DNS name other than those is refused: a page on such a name that resolves here (DNS rebinding) must not reach
     * the editor.
     */
    boolean allowed(String hostAndPort) {
        String h = hostAndPort.toLowerCase(Locale.ROOT);
        if (hosts.contains(h)) {
            return true;
        }
        if (!wildcard || !h.endsWith(":" + port())) {
            return false;
        }
        String name = h.substring(0, h.length() - (":" + port()).length());
        return name.matches("\\d{1,3}(\\.\\d{1,3}){3}") || name.matches("\\[[0-9a-f:.]+\\]");
    }

    private static void requireMethod(String method, String wanted) {
        if (!wanted.equals(method)) {
            throw new JdissectException("method " + method + " is not allowed here; use " + wanted);
        }
    }

    private static int parseSample(String text) {
        if (!text.matches("\\d{1,7}")) {
            throw new JdissectException("sample '" + text + "' is not a number 0.." + (Painter.MAX_SAMPLE - 1));
        }
        return Integer.parseInt(text);
    }

    /** The request's JSON body as {@code type}: at most {@link #MAX_BODY} bytes, unknown fields refused. */
    private static <T> T read(HttpExchange x, Class<T> type) throws IOException {
        byte[] body;
        try (InputStream in = x.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            throw new JdissectException("body over " + MAX_BODY + " bytes refused");
        }
        try {
            return Json.mapper().readerFor(type)
                    .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(body);
        } catch (JsonProcessingException e) {
            throw new JdissectException("the request is not the JSON expected: " + e.getOriginalMessage());
        }
    }

    private static void serveStatic(HttpExchange x, String name) throws IOException {
        try (InputStream in = PaintServer.class.getResourceAsStream("web/" + name)) {
            if (in == null) {
                throw new JdissectException("the page's " + name + " is missing from the jar");
            }
            byte[] bytes = in.readAllBytes();
            String type = name.endsWith(".html") ? "text/html; charset=utf-8"
                    : name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
            send(x, 200, type, bytes);
        }
    }

    private static void json(HttpExchange x, Object value) throws IOException {
        send(x, 200, "application/json; charset=utf-8", Json.text(value).getBytes(StandardCharsets.UTF_8));
    }

    private static void png(HttpExchange x, byte[] png, long t0) throws IOException {
        x.getResponseHeaders().set("X-Render-Millis",
                String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e6));
        send(x, 200, "image/png", png);
    }

    private static void error(HttpExchange x, int status, String message) throws IOException {
        send(x, status, "application/json; charset=utf-8",
                Json.text(Map.of("error", message)).getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        var h = x.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; "
                + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
        x.sendResponseHeaders(status, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    /** Stops taking requests, lets those under way finish (up to 2 s), and frees the threads. */
    @Override
    public void close() {
        server.stop(1);
        pool.shutdown();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

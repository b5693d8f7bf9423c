package org.jdissect.world;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.jdissect.JdissectException;
import org.jdissect.data.BrodenWriter;
import org.jdissect.io.Progress;
import org.jdissect.io.Threads;
import org.jdissect.world.SceneWorld.Concept;
import org.jdissect.world.SceneWorld.Scene;

/** Writes a SceneWorld as a Broden dataset: renders and encodes images on a pool, adds them in index order. */
final class WorldWriter {
    private WorldWriter() {
    }

    /**
     * Writes {@code images} images of size {@code size} as a Broden dataset at {@code dir} (JPEG images, PNG label
     * maps), rendering on {@code threads} threads.
     */
    static Path write(Path dir, int images, int size, long seed, int version, int threads, boolean replaceExisting,
                      Progress progress) {
        if (!SceneWorld.VERSIONS.contains(version)) {
            throw new JdissectException("--world-version " + version + ": valid versions are "
                    + SceneWorld.VERSIONS.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                    + " (1: the world the demo models were trained on)");
        }
        if (images < 1) {
            throw new JdissectException("--images must be at least 1, got " + images);
        }
        if (size < 16 || size % 2 != 0) {
            throw new JdissectException("--size must be even and at least 16, got " + size);
        }
        ExecutorService pool = Threads.pool("sceneworld", Math.max(1, threads));
        try (BrodenWriter w = BrodenWriter.create(dir, SceneWorld.CATEGORIES, BrodenWriter.ImageFormat.JPEG)) {
            w.replaceExisting(replaceExisting);
            for (Concept k : Concept.values()) {
                w.label(k.number(), k.label());
            }
            // rows are added in index order, so that the bytes do not depend on the threads; the window lets
            // rendering run ahead of the writer by a few images per thread, no further, to bound the memory held
            int window = 8 * Math.max(1, threads);
            ArrayDeque<Future<BrodenWriter.Prepared>> pending = new ArrayDeque<>();
            int next = 0;
            for (int i = 0; i < images; i++) {
                while (next < images && pending.size() < window) {
                    int index = next++;
                    pending.add(pool.submit(() -> {
                        Scene s = SceneWorld.render(seed, index, size, version);
                        return w.prepare(String.format("sceneworld/%06d", index), SceneWorld.splitOf(index), s.image(),
                                s.labelSize(), s.labelSize(), s.pixelLayers(),
                                Map.of("scene", new int[] {s.scene().number()}));
                    }));
                }
                w.add(pending.poll().get());
                progress.advance(1);
            }
            w.finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JdissectException.failure("interrupted while writing SceneWorld to " + dir, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("rendering a SceneWorld image failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return dir;
    }
}

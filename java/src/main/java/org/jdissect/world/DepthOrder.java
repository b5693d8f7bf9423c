package org.jdissect.world;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Things drawn far to near: by base line, nearer (lower) last; ties in the order added. This is the occlusion order:
 * a nearer thing is painted over a farther one, which {@link Canvas#fill} then keeps in the layer behind. The draws
 * are deferred, so their random choices are made in drawing order, not in the order the layout placed them.
 */
final class DepthOrder {
    private final List<Float> bases = new ArrayList<>();
    private final List<Runnable> draws = new ArrayList<>();

    void add(float base, Runnable draw) {
        bases.add(base);
        draws.add(draw);
    }

    void draw() {
        Integer[] order = new Integer[draws.size()];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        // a stable sort (objects): equal base lines keep the order they were added in
        Arrays.sort(order, (p, q) -> Float.compare(bases.get(p), bases.get(q)));
        for (int k : order) {
            draws.get(k).run();
        }
    }
}

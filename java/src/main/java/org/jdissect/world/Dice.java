package org.jdissect.world;

import static org.jdissect.world.Rgb.clamp;
import static org.jdissect.world.Rgb.scale;

import java.util.Random;

import org.jdissect.world.Paint.Pattern;

/**
 * Every random choice of one image: numbers, colours and paints. Each image has its own {@link Random}, seeded from
 * the world's seed and the image's index ({@link SceneWorld#render}), and layouts and painters draw from it in a fixed
 * order: so image {@code i} is the same bytes on any thread, and one draw more or fewer anywhere changes the rest of
 * that image (SceneWorldPinTest notices).
 */
final class Dice {
    private final Random rnd;
    private final int version;

    /** Dice for a world of {@code version} ({@link SceneWorld#VERSIONS}: 1 is the world the demo models learnt). */
    Dice(Random rnd, int version) {
        this.rnd = rnd;
        this.version = version;
    }

    /**
     * The first world's choices (commit 2cef280, on which the demo models were trained): colours and textures tied to
     * kinds of things, and the first window placement. Version 2 spread them so that no colour or texture stands
     * for one object; each place that differs asks this.
     */
    boolean firstWorld() {
        return version == 1;
    }

    /** Uniform in [{@code a}, {@code b}). */
    float u(float a, float b) {
        return a + (b - a) * rnd.nextFloat();
    }

    /** Uniform in [{@code a}, {@code b}], both ends included. */
    int n(int a, int b) {
        return a + rnd.nextInt(b - a + 1);
    }

    /** True with {@code probability}. */
    boolean p(double probability) {
        return rnd.nextDouble() < probability;
    }

    int jitter(int rgb, int amount) {
        int r = clamp(((rgb >> 16) & 255) + rnd.nextInt(2 * amount + 1) - amount);
        int g = clamp(((rgb >> 8) & 255) + rnd.nextInt(2 * amount + 1) - amount);
        int b = clamp((rgb & 255) + rnd.nextInt(2 * amount + 1) - amount);
        return (r << 16) | (g << 8) | b;
    }

    /** One of {@code colours}, jittered, so that no two houses are quite the same red. */
    int pick(int... colours) {
        return jitter(colours[rnd.nextInt(colours.length)], 18);
    }

    /**
     * Any of the eleven colour words: painted things (cars, doors, clothes, blankets, umbrellas, hulls, walls)
     * take their colour from here, so that no colour belongs to one kind of object.
     */
    int anyColour() {
        return pick(0xd02828, 0xf08020, 0xf0d020, 0x30a040, 0x2850c8, 0x8040b0, 0xf090b0, 0x7a4a22, 0xf4f4f4,
                0x202020, 0x909090);
    }

    /** A random textured or plain paint around {@code base}: stripes, checks, dots, waves or plain. */
    Paint fabric(int base) {
        if (firstWorld()) {
            int other = p(0.5) ? pick(0xf0f0f0, 0x202020, 0xd03030, 0x3050c0, 0xe0c020) : scale(base, 0.45f);
            return switch (rnd.nextInt(5)) {
                case 0 -> new Paint(base, other, p(0.5) ? Pattern.STRIPES_H : Pattern.STRIPES_V, u(0.02f, 0.04f), 6);
                case 1 -> new Paint(base, other, Pattern.CHECKS, u(0.025f, 0.05f), 6);
                case 2 -> new Paint(base, other, Pattern.DOTS, u(0.03f, 0.05f), 6);
                default -> Paint.plain(base, 8);
            };
        }
        int other = p(0.6) ? anyColour() : scale(base, 0.45f);
        return switch (rnd.nextInt(6)) {
            case 0 -> new Paint(base, other, p(0.5) ? Pattern.STRIPES_H : Pattern.STRIPES_V, u(0.02f, 0.04f), 6);
            case 1 -> new Paint(base, other, Pattern.CHECKS, u(0.025f, 0.05f), 6);
            case 2 -> new Paint(base, other, Pattern.DOTS, u(0.03f, 0.05f), 6);
            case 3 -> new Paint(base, other, Pattern.WAVES, u(0.025f, 0.04f), 6);
            default -> Paint.plain(base, 8);
        };
    }

    /** Uniform in [0, {@code bound}). */
    int nextInt(int bound) {
        return rnd.nextInt(bound);
    }
}

package org.jdissect.world;

import static org.jdissect.world.Rgb.scale;

import org.jdissect.world.Paint.Pattern;
import org.jdissect.world.Region.Both;
import org.jdissect.world.Region.Ellipse;
import org.jdissect.world.Region.Poly;
import org.jdissect.world.Region.Rect;
import org.jdissect.world.SceneWorld.Concept;

/**
 * Paints the outdoor backgrounds a scene's things stand on: sky (with sun and clouds), ground, mountains, water and
 * road. Coordinates are fractions of the image size; {@code horizon} and {@code top} are heights from the top.
 */
final class Landscape {
    private final Canvas canvas;
    private final Dice dice;

    Landscape(Canvas canvas, Dice dice) {
        this.canvas = canvas;
        this.dice = dice;
    }

    void sky(float horizon) {
        int kind = dice.nextInt(10);
        int top;
        int bottom;
        if (kind < 6) {
            top = dice.pick(0x2a5cc8, 0x3a70d8, 0x1e4fb0);
            bottom = dice.pick(0x9cc8f0, 0xb0d4f4);
        } else if (kind < 8) {
            top = dice.pick(0x3a3f8a, 0x5a4a9a);
            bottom = dice.pick(0xf09040, 0xf0a060, 0xe87060);
        } else {
            top = dice.pick(0x8a9098, 0x9aa0a8);
            bottom = dice.pick(0xc8ccd0, 0xb8bcc0);
        }
        canvas.fill(new Rect(0, 0, 1, horizon + 0.01f), new Paint(top, bottom, Pattern.GRADIENT, 1, 3), Concept.SKY,
                null, null);
        if (kind < 8 && dice.p(0.6)) {
            float r = dice.u(0.04f, 0.08f);
            canvas.fill(new Ellipse(dice.u(0.1f, 0.9f), dice.u(0.08f, horizon - r), r, r),
                    Paint.plain(kind < 6 ? dice.pick(0xfff8c0, 0xfff0a0) : dice.pick(0xff9040, 0xffb060), 2),
                    Concept.SUN, null, null);
        }
        int clouds = kind >= 8 ? dice.n(2, 5) : dice.n(0, 3);
        for (int k = 0; k < clouds; k++) {
            float cx = dice.u(0, 1);
            float cy = dice.u(0.05f, Math.max(0.06f, horizon - 0.08f));
            float w = dice.u(0.08f, 0.18f);
            int col = kind >= 8 ? dice.pick(0xa0a4a8, 0xd8d8dc) : dice.pick(0xf4f4f8, 0xe8e8f0);
            for (int b = 0; b < 3; b++) {
                canvas.fill(new Ellipse(cx + (b - 1) * w * 0.6f, cy + (b == 1 ? -w * 0.15f : 0), w * 0.55f, w * 0.3f),
                        Paint.plain(col, 4), Concept.CLOUD, null, null);
            }
        }
    }

    void ground(float top, Paint paint, Concept material) {
        canvas.fill(new Rect(0, top, 1, 1.001f), paint, Concept.GROUND, null, material);
    }

    void mountains(float horizon, int count, int rock, double snowChance) {
        for (int k = 0; k < count; k++) {
            float cx = dice.u(-0.1f, 1.1f);
            float w = dice.u(0.3f, 0.6f);
            float peak = dice.u(0.08f, Math.max(0.1f, horizon - 0.12f));
            int pts = 7;
            float[] xs = new float[pts + 2];
            float[] ys = new float[pts + 2];
            for (int i = 0; i < pts; i++) {
                float t = i / (float) (pts - 1);
                xs[i] = cx - w + 2 * w * t;
                float ridge = 1 - Math.abs(2 * t - 1);
                ys[i] = i == 0 || i == pts - 1 ? horizon + 0.01f
                        : horizon - (horizon - peak) * ridge * dice.u(0.75f, 1.05f);
            }
            xs[pts] = cx + w;
            ys[pts] = horizon + 0.02f;
            xs[pts + 1] = cx - w;
            ys[pts + 1] = horizon + 0.02f;
            Poly m = new Poly(xs, ys);
            int col = dice.jitter(scale(rock, dice.u(0.8f, 1.1f)), 12);
            canvas.fill(m, new Paint(col, scale(col, 0.8f), Pattern.PLAIN, 1, 10), Concept.MOUNTAIN, null,
                    Concept.STONE);
            if (dice.p(snowChance)) {
                float line = peak + (horizon - peak) * dice.u(0.25f, 0.5f);
                canvas.fill(new Both(m, new Rect(-1, -1, 2, line)), Paint.plain(dice.pick(0xf4f6fa, 0xe8ecf4), 6),
                        Concept.MOUNTAIN, null, Concept.SNOW);
            }
        }
    }

    void water(float top, float bottom) {
        if (dice.firstWorld()) {
            int col = dice.pick(0x2060a0, 0x1a70a8, 0x207890, 0x305890);
            canvas.fill(new Rect(0, top, 1, bottom), new Paint(col, scale(col, 1.35f), Pattern.WAVES,
                    dice.u(0.025f, 0.04f), 6), Concept.WATER, null, null);
            return;
        }
        int col = dice.pick(0x2060a0, 0x1a70a8, 0x207890, 0x305890, 0x3a6a6a, 0x4a7a90);
        int roll = dice.nextInt(10);
        Pattern pattern = roll < 5 ? Pattern.WAVES : roll < 8 ? Pattern.PLAIN : Pattern.SPECKLE;
        canvas.fill(new Rect(0, top, 1, bottom), new Paint(col, scale(col, 1.35f), pattern, dice.u(0.025f, 0.04f), 8),
                Concept.WATER, null, null);
    }

    /** A road from {@code top} to the bottom of the image, with a dashed centre line. */
    void road(float top) {
        canvas.fill(new Rect(0, top, 1, 1.001f), new Paint(dice.pick(0x404040, 0x505050, 0x383838), 0x303030,
                Pattern.PLAIN, 1, 8), Concept.ROAD, null, Concept.ASPHALT);
        float lane = top + (1 - top) * 0.5f;
        for (float x = dice.u(0, 0.1f); x < 1; x += 0.2f) {
            canvas.fill(new Rect(x, lane - 0.008f, x + 0.1f, lane + 0.008f), Paint.plain(0xf0f0f0, 4), Concept.ROAD,
                    null, Concept.ASPHALT);
        }
    }
}

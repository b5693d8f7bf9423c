package org.jdissect.world;

import static org.jdissect.world.Region.tri;
import static org.jdissect.world.Rgb.scale;

import org.jdissect.world.Paint.Pattern;
import org.jdissect.world.Region.Ellipse;
import org.jdissect.world.Region.Poly;
import org.jdissect.world.Region.Rect;
import org.jdissect.world.SceneWorld.Concept;

/**
 * Paints the outdoor things, each with its parts, materials and colours: houses, trees, cars, boats, people, fences,
 * rocks, cacti, umbrellas and street lamps. Arguments are fractions of the image size: {@code x} the centre,
 * {@code base} the bottom, {@code h} the height, {@code w} the width.
 */
final class Things {
    private final Canvas canvas;
    private final Dice dice;

    Things(Canvas canvas, Dice dice) {
        this.canvas = canvas;
        this.dice = dice;
    }

    void house(float x, float base, float w, float h, boolean wooden, int wallColour) {
        float x0 = x - w / 2;
        float x1 = x + w / 2;
        float top = base - h;
        Paint wall = wooden
                ? new Paint(wallColour, scale(wallColour, 0.7f), Pattern.STRIPES_H, dice.u(0.015f, 0.025f), 5)
                : dice.p(0.5)
                ? new Paint(wallColour, dice.pick(0xd8d0c0, 0xc0c0c0), Pattern.BRICKS, dice.u(0.02f, 0.03f), 8)
                : Paint.plain(wallColour, 6);
        Concept wallMaterial = wooden ? Concept.WOOD : wall.pattern() == Pattern.BRICKS ? Concept.BRICK : null;
        float roofH = h * dice.u(0.3f, 0.55f);
        int roofColour = dice.pick(0x8a2a1a, 0x503020, 0x404048, 0x6a3a2a, 0x2a3a5a);
        if (dice.p(0.5)) {
            float cx = x1 - w * dice.u(0.15f, 0.3f);
            canvas.fill(new Rect(cx, top - roofH * 0.9f, cx + w * 0.1f, top),
                    Paint.plain(dice.pick(0x8a3a2a, 0x606060), 6), Concept.HOUSE, Concept.CHIMNEY, Concept.BRICK);
        }
        canvas.fill(new Rect(x0, top, x1, base), wall, Concept.HOUSE, Concept.WALL, wallMaterial);
        Region roof = dice.p(0.6) ? tri(x0 - w * 0.06f, top + 0.002f, x1 + w * 0.06f, top + 0.002f, x, top - roofH)
                : new Poly(new float[] {x0 - w * 0.06f, x1 + w * 0.06f, x1 - w * 0.15f, x0 + w * 0.15f},
                new float[] {top + 0.002f, top + 0.002f, top - roofH, top - roofH});
        canvas.fill(roof, new Paint(roofColour, scale(roofColour, 0.75f),
                dice.p(0.4) ? Pattern.STRIPES_H : Pattern.PLAIN, 0.015f, 6), Concept.HOUSE, Concept.ROOF, null);
        float doorW = w * dice.u(0.16f, 0.24f);
        float doorH = h * dice.u(0.45f, 0.6f);
        float dx = x0 + dice.u(0.12f, 0.88f - doorW / w) * w;
        canvas.fill(new Rect(dx, base - doorH, dx + doorW, base), Paint.plain(!dice.firstWorld() && dice.p(0.5)
                ? dice.anyColour() : dice.pick(0x5a3418, 0x7a4a20, 0x8a1a1a, 0x1a4a2a, 0x203060), 6), Concept.HOUSE, Concept.DOOR,
                Concept.WOOD);
        int windows = dice.firstWorld() ? dice.n(1, 4) : Math.min(dice.n(1, 4), Math.max(1, (int) (w / 0.07f)));
        float ww = w * dice.u(0.12f, 0.18f);
        float wh = h * dice.u(0.18f, 0.28f);
        float wy = top + h * dice.u(0.12f, 0.2f);
        int glass = dice.pick(0x90c0e0, 0x304060, 0xf0d070, 0xa0d0f0);
        for (int k = 0; k < windows; k++) {
            float wx = dice.firstWorld() ? x0 + w * (0.08f + 0.84f * (k + 0.5f) / windows) - ww / 2
                    : x0 + w * (0.15f + 0.7f * (k + 0.5f) / windows) - ww / 2;
            if (wx + ww > dx && wx < dx + doorW && wy + wh > base - doorH) {
                continue;
            }
            canvas.fill(new Rect(wx, wy, wx + ww, wy + wh), new Paint(glass, 0xf0f0f0, Pattern.PLAIN, 1, 4),
                    Concept.HOUSE, Concept.WINDOW, Concept.GLASS);
        }
    }

    void tree(float x, float base, float h, boolean pine, int leaves) {
        float tw = h * dice.u(0.07f, 0.11f);
        float trunkH = h * (pine ? 0.25f : 0.45f);
        canvas.fill(new Rect(x - tw / 2, base - trunkH - h * 0.05f, x + tw / 2, base),
                Paint.plain(dice.pick(0x5a3a20, 0x4a3020, 0x6a4a30), 8), Concept.TREE, Concept.TRUNK, Concept.WOOD);
        Paint foliage = dice.p(0.5) ? new Paint(leaves, scale(leaves, 0.65f), Pattern.SPECKLE, 1, 10)
                : Paint.plain(leaves, 12);
        if (pine) {
            float w = h * dice.u(0.28f, 0.4f);
            for (int k = 0; k < 3; k++) {
                float t = base - trunkH - k * h * 0.22f;
                canvas.fill(tri(x - w * (1 - 0.22f * k), t, x + w * (1 - 0.22f * k), t, x, t - h * 0.4f), foliage,
                        Concept.TREE, Concept.FOLIAGE, null);
            }
        } else {
            float r = h * dice.u(0.3f, 0.4f);
            canvas.fill(new Ellipse(x, base - trunkH - r * 0.7f, r, r * dice.u(0.85f, 1.1f)), foliage, Concept.TREE,
                    Concept.FOLIAGE, null);
        }
    }

    int leafColour(boolean pine) {
        if (dice.firstWorld()) {
            return pine ? dice.pick(0x1a4a2a, 0x205a30, 0x184020)
                    : dice.pick(0x2a7a2a, 0x3a8a30, 0x4a9a3a, 0xc07020, 0xa09020);
        }
        // autumn too: foliage is not the only green, green is not only foliage
        return pine ? dice.pick(0x1a4a2a, 0x205a30, 0x184020, 0x3a5a40)
                : dice.pick(0x2a7a2a, 0x3a8a30, 0x4a9a3a, 0xc07020, 0xa09020, 0xb03020, 0xe0b030, 0x8a5a20);
    }

    void car(float x, float base, float w) {
        float h = w * dice.u(0.42f, 0.5f);
        int body = dice.firstWorld() ? dice.pick(0xc02020, 0x2040b0, 0xf0f0f0, 0x202020, 0xe0c020, 0xa0a0a8, 0x208040)
                : dice.anyColour();
        Paint bp = Paint.plain(body, 6);
        float x0 = x - w / 2;
        float cab = base - h * 0.55f;
        canvas.fill(new Poly(new float[] {x0 + w * 0.2f, x0 + w * 0.78f, x0 + w * 0.7f, x0 + w * 0.3f},
                new float[] {cab, cab, base - h, base - h}), bp, Concept.CAR, Concept.BODY, Concept.METAL);
        canvas.fill(new Rect(x0, cab, x0 + w, base - h * 0.15f), bp, Concept.CAR, Concept.BODY, Concept.METAL);
        int glass = dice.pick(0x80b0d0, 0x405060);
        canvas.fill(new Poly(new float[] {x0 + w * 0.25f, x0 + w * 0.48f, x0 + w * 0.48f, x0 + w * 0.33f},
                new float[] {cab, cab, base - h * 0.92f, base - h * 0.92f}), Paint.plain(glass, 4), Concept.CAR,
                Concept.WINDOW, Concept.GLASS);
        canvas.fill(new Poly(new float[] {x0 + w * 0.52f, x0 + w * 0.73f, x0 + w * 0.66f, x0 + w * 0.52f},
                new float[] {cab, cab, base - h * 0.92f, base - h * 0.92f}), Paint.plain(glass, 4), Concept.CAR,
                Concept.WINDOW, Concept.GLASS);
        float r = h * 0.2f;
        for (float wx : new float[] {x0 + w * 0.22f, x0 + w * 0.78f}) {
            canvas.fill(new Ellipse(wx, base - r, r, r), Paint.plain(dice.pick(0x181818, 0x282828), 4), Concept.CAR,
                    Concept.WHEEL, null);
        }
    }

    void boat(float x, float waterline, float w) {
        float h = w * dice.u(0.22f, 0.3f);
        int hull = dice.firstWorld() ? dice.pick(0xf0f0f0, 0x8a5a30, 0xb02020, 0x203a70) : dice.anyColour();
        canvas.fill(new Poly(new float[] {x - w / 2, x + w / 2, x + w * 0.38f, x - w * 0.38f},
                new float[] {waterline - h, waterline - h, waterline, waterline}), Paint.plain(hull, 6),
                Concept.BOAT, Concept.HULL, dice.firstWorld() && hull == 0 ? null : Concept.WOOD);
        if (dice.p(0.8)) {
            float mh = w * dice.u(0.7f, 1.0f);
            float mw = Math.max(0.012f, w * 0.04f);
            canvas.fill(new Rect(x - mw / 2, waterline - h - mh, x + mw / 2, waterline - h),
                    Paint.plain(dice.pick(0x6a4a2a, 0x909090), 6), Concept.BOAT, Concept.MAST, Concept.WOOD);
            int sail = dice.pick(0xf4f4f0, 0xf0e8d0, 0xd03030);
            Paint sp = dice.p(0.3) ? new Paint(sail, dice.pick(0x2040a0, 0xd03030), Pattern.STRIPES_V, 0.02f, 4)
                    : Paint.plain(sail, 4);
            canvas.fill(tri(x + mw, waterline - h - mh * 0.95f, x + mw, waterline - h - mh * 0.1f,
                    x + w * dice.u(0.3f, 0.45f), waterline - h - mh * 0.1f), sp, Concept.BOAT, Concept.SAIL,
                    Concept.FABRIC);
        }
    }

    void person(float x, float base, float h) {
        float w = h * 0.32f;
        int skin = dice.pick(0xf0c8a0, 0xc89870, 0x8a5a3a, 0xe0b090);
        Paint trousers = Paint.plain(dice.pick(0x203050, 0x303030, 0x5a4030, 0x406080), 6);
        canvas.fill(new Rect(x - w * 0.45f, base - h * 0.45f, x - w * 0.05f, base), trousers, Concept.PERSON,
                Concept.LEG, Concept.FABRIC);
        canvas.fill(new Rect(x + w * 0.05f, base - h * 0.45f, x + w * 0.45f, base), trousers, Concept.PERSON,
                Concept.LEG, Concept.FABRIC);
        canvas.fill(new Rect(x - w / 2, base - h * 0.82f, x + w / 2, base - h * 0.43f),
                dice.fabric(dice.firstWorld() ? dice.pick(0xd03030, 0x3050c0, 0xf0d020, 0x30a040, 0xf08020, 0xa040a0,
                        0xf0f0f0) : dice.anyColour()),
                Concept.PERSON, Concept.TORSO, Concept.FABRIC);
        canvas.fill(new Ellipse(x, base - h * 0.9f, w * 0.33f, h * 0.09f), Paint.plain(skin, 5), Concept.PERSON,
                Concept.HEAD, null);
    }

    void fence(float y0, float y1, float x0, float x1) {
        Paint wood = Paint.plain(dice.pick(0xf0f0f0, 0x8a6a40, 0x6a4a2a), 6);
        float h = y1 - y0;
        for (float r : new float[] {0.2f, 0.6f}) {
            canvas.fill(new Rect(x0, y0 + h * r, x1, y0 + h * (r + 0.15f)), wood, Concept.FENCE, null, Concept.WOOD);
        }
        float step = h * 0.8f;
        for (float x = x0; x < x1; x += step) {
            canvas.fill(new Rect(x, y0, x + h * 0.15f, y1), wood, Concept.FENCE, null, Concept.WOOD);
        }
    }

    void rock(float x, float base, float r) {
        int col = dice.pick(0x808080, 0x6a6058, 0x908878, 0xa08060);
        canvas.fill(new Ellipse(x, base - r * 0.5f, r, r * 0.6f), new Paint(col, scale(col, 0.75f), Pattern.PLAIN, 1,
                14), Concept.ROCK, null, Concept.STONE);
    }

    void cactus(float x, float base, float h) {
        Paint green = new Paint(dice.pick(0x3a7a30, 0x4a8a3a, 0x2a6a3a), 0, Pattern.PLAIN, 1, 10);
        float w = h * 0.16f;
        canvas.fill(new Rect(x - w / 2, base - h, x + w / 2, base), green, Concept.CACTUS, null, null);
        float ay = base - h * dice.u(0.45f, 0.65f);
        canvas.fill(new Rect(x - w * 1.8f, ay, x, ay + w * 0.6f), green, Concept.CACTUS, null, null);
        canvas.fill(new Rect(x - w * 1.8f, ay - h * 0.25f, x - w * 1.2f, ay + w * 0.6f), green, Concept.CACTUS, null,
                null);
        if (dice.p(0.6)) {
            float by = base - h * dice.u(0.35f, 0.55f);
            canvas.fill(new Rect(x, by, x + w * 1.8f, by + w * 0.6f), green, Concept.CACTUS, null, null);
            canvas.fill(new Rect(x + w * 1.2f, by - h * 0.2f, x + w * 1.8f, by + w * 0.6f), green, Concept.CACTUS,
                    null, null);
        }
    }

    void umbrella(float x, float base, float h) {
        int a = dice.firstWorld() ? dice.pick(0xe03030, 0x3060d0, 0xf0c020, 0x30a060) : dice.anyColour();
        canvas.fill(new Rect(x - 0.006f, base - h, x + 0.006f, base), Paint.plain(0xe0e0e0, 4), Concept.UMBRELLA, null,
                Concept.METAL);
        float w = h * dice.u(0.5f, 0.7f);
        canvas.fill(tri(x - w, base - h * 0.75f, x + w, base - h * 0.75f, x, base - h * 1.05f),
                new Paint(a, 0xf4f4f4, Pattern.STRIPES_V, w / 3, 4), Concept.UMBRELLA, null, Concept.FABRIC);
    }

    void streetLamp(float x, float base, float h) {
        Paint metal = Paint.plain(dice.pick(0x303030, 0x404850), 6);
        canvas.fill(new Rect(x - 0.008f, base - h, x + 0.008f, base), metal, Concept.LAMP, null, Concept.METAL);
        canvas.fill(new Ellipse(x, base - h, 0.025f, 0.02f), Paint.plain(dice.pick(0xfff0b0, 0xf0f0e0), 4),
                Concept.LAMP, Concept.SHADE, Concept.GLASS);
    }
}

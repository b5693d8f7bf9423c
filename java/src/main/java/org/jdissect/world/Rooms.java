package org.jdissect.world;

import static org.jdissect.world.Rgb.scale;

import org.jdissect.world.Paint.Pattern;
import org.jdissect.world.Region.Ellipse;
import org.jdissect.world.Region.Poly;
import org.jdissect.world.Region.Rect;
import org.jdissect.world.SceneWorld.Concept;

/**
 * Paints indoors: a room's wall and floor, the door, windows and painting on the wall, and the furniture (beds,
 * tables, kitchen cabinets, lamps). Arguments are fractions of the image size, as in {@link Things}.
 */
final class Rooms {
    private final Canvas canvas;
    private final Dice dice;

    Rooms(Canvas canvas, Dice dice) {
        this.canvas = canvas;
        this.dice = dice;
    }

    /** The wall and the floor; returns the floor line, which the wall's openings and the furniture stand on. */
    float room(boolean kitchen) {
        float floorY = dice.u(0.55f, 0.72f);
        int wc = dice.firstWorld() || dice.p(0.5)
                ? dice.pick(0xe8e0d0, 0xd0e0e8, 0xe8d0d0, 0xd8e8c8, 0xf0e8a0, 0xc0c8d8, 0xa0b8d0) : dice.anyColour();
        int roll = dice.nextInt(4);
        Paint wall = roll == 0 ? new Paint(wc, scale(wc, 0.75f), Pattern.STRIPES_V, dice.u(0.03f, 0.05f), 4)
                : roll == 1 && !kitchen ? new Paint(wc, scale(wc, 0.7f), Pattern.DOTS, dice.u(0.04f, 0.06f), 4)
                : Paint.plain(wc, 5);
        canvas.fill(new Rect(0, 0, 1, floorY), wall, Concept.WALL, null, null);
        Paint floor;
        Concept floorMaterial;
        if (kitchen || dice.p(0.2)) {
            int a = dice.pick(0xe8e8e8, 0xd0c0a0, 0x808890);
            floor = new Paint(a, dice.pick(0x303030, 0x8a3020, 0x405070), Pattern.CHECKS, dice.u(0.04f, 0.07f), 4);
            floorMaterial = Concept.TILE;
        } else if (dice.p(0.6)) {
            int a = dice.pick(0x9a6a3a, 0x7a5030, 0xb08050);
            floor = new Paint(a, scale(a, 0.8f), Pattern.PLANKS, dice.u(0.03f, 0.05f), 8);
            floorMaterial = Concept.WOOD;
        } else {
            floor = Paint.plain(dice.pick(0x8a2a3a, 0x3a4a7a, 0x6a6a6a, 0xb0a080), 6);
            floorMaterial = Concept.FABRIC;
        }
        canvas.fill(new Rect(0, floorY, 1, 1.001f), floor, Concept.FLOOR, null, floorMaterial);
        return floorY;
    }

    /** Windows, a door and a painting on the room's wall (all within the wall region above the floor). */
    void wallOpenings(float floorY, boolean allowPainting) {
        float used0 = -1;
        float used1 = -1;
        if (dice.p(0.7)) {
            float dw = dice.u(0.12f, 0.18f);
            float dx = dice.u(0.02f, 0.98f - dw);
            canvas.fill(new Rect(dx, floorY * dice.u(0.2f, 0.35f), dx + dw, floorY),
                    Paint.plain(dice.pick(0x6a4020, 0x8a5a30, 0xf0f0f0, 0x40506a), 6), Concept.WALL, Concept.DOOR,
                    Concept.WOOD);
            used0 = dx;
            used1 = dx + dw;
        }
        int windows = dice.n(0, 2);
        for (int k = 0; k < windows; k++) {
            float ww = dice.u(0.15f, 0.25f);
            float wx = dice.u(0.02f, 0.98f - ww);
            if (wx + ww > used0 - 0.02f && wx < used1 + 0.02f) {
                continue;
            }
            float wy = floorY * dice.u(0.1f, 0.25f);
            float wh = floorY * dice.u(0.3f, 0.45f);
            int glass = dice.pick(0x90c8f0, 0x203050, 0xa0d0f8);
            canvas.fill(new Rect(wx, wy, wx + ww, wy + wh), new Paint(glass, 0xf0f0f0, Pattern.PLAIN, 1, 4),
                    Concept.WALL, Concept.WINDOW, Concept.GLASS);
            used0 = Math.min(used0 < 0 ? wx : used0, wx);
            used1 = Math.max(used1, wx + ww);
        }
        if (allowPainting && dice.p(0.5)) {
            float pw = dice.u(0.1f, 0.18f);
            float px = dice.u(0.02f, 0.98f - pw);
            if (px + pw < used0 - 0.02f || px > used1 + 0.02f) {
                float py = floorY * dice.u(0.15f, 0.3f);
                canvas.fill(new Rect(px, py, px + pw, py + pw * 0.8f), Paint.plain(dice.pick(0x5a3a1a, 0xc0a040), 4),
                        Concept.PAINTING, null, Concept.WOOD);
                canvas.fill(new Rect(px + pw * 0.12f, py + pw * 0.1f, px + pw * 0.88f, py + pw * 0.7f),
                        new Paint(dice.pick(0x3060a0, 0xd05030, 0x50a050, 0xe0c040), dice.pick(0xf0f0f0, 0x303030),
                                dice.p(0.5) ? Pattern.GRADIENT : Pattern.PLAIN, 1, 10),
                        Concept.PAINTING, null, null);
            }
        }
    }

    void lamp(float x, float base, float h) {
        canvas.fill(new Rect(x - 0.006f, base - h * 0.7f, x + 0.006f, base),
                Paint.plain(dice.pick(0x303030, 0xb0a070), 4), Concept.LAMP, null, Concept.METAL);
        canvas.fill(new Rect(x - 0.03f, base - 0.012f, x + 0.03f, base), Paint.plain(0x303030, 4), Concept.LAMP, null,
                Concept.METAL);
        float w = h * dice.u(0.22f, 0.3f);
        canvas.fill(new Poly(new float[] {x - w, x + w, x + w * 0.6f, x - w * 0.6f},
                new float[] {base - h * 0.65f, base - h * 0.65f, base - h, base - h}),
                Paint.plain(dice.pick(0xf8f0c0, 0xf0e0a0, 0xe8e8e8, 0xd0a060), 4), Concept.LAMP, Concept.SHADE,
                Concept.FABRIC);
    }

    void bed(float x, float base, float w) {
        float h = w * dice.u(0.35f, 0.45f);
        int woodC = dice.pick(0x6a4020, 0x8a5a30, 0xe0e0e0, 0x40302a);
        canvas.fill(new Rect(x - w / 2, base - h * 1.5f, x - w / 2 + w * 0.06f, base), Paint.plain(woodC, 6),
                Concept.BED, null, Concept.WOOD);
        canvas.fill(new Rect(x - w / 2, base - h * 0.35f, x + w / 2, base), Paint.plain(woodC, 6), Concept.BED, null,
                Concept.WOOD);
        canvas.fill(new Rect(x - w / 2 + w * 0.06f, base - h * 0.9f, x + w / 2, base - h * 0.3f),
                dice.fabric(dice.firstWorld() ? dice.pick(0xd03030, 0x3050c0, 0xf0d020, 0x30a040, 0xe080a0, 0x8040a0,
                        0xf0f0f0) : dice.anyColour()), Concept.BED,
                Concept.BLANKET, Concept.FABRIC);
        canvas.fill(new Ellipse(x - w / 2 + w * 0.2f, base - h * 0.95f, w * 0.12f, h * 0.15f),
                Paint.plain(dice.pick(0xf8f8f8, 0xf0e8d8, 0xd0e0f0), 4), Concept.BED, Concept.PILLOW, Concept.FABRIC);
    }

    void table(float x, float base, float w) {
        float h = w * dice.u(0.45f, 0.6f);
        Paint wood = Paint.plain(dice.pick(0x8a5a30, 0x6a4020, 0xb08050, 0xe0e0e0), 8);
        float leg = Math.max(0.012f, w * 0.07f);
        canvas.fill(new Rect(x - w / 2 + leg * 0.3f, base - h, x - w / 2 + leg * 1.3f, base), wood, Concept.TABLE,
                Concept.LEG, Concept.WOOD);
        canvas.fill(new Rect(x + w / 2 - leg * 1.3f, base - h, x + w / 2 - leg * 0.3f, base), wood, Concept.TABLE,
                Concept.LEG, Concept.WOOD);
        canvas.fill(new Rect(x - w / 2, base - h - w * 0.08f, x + w / 2, base - h), wood, Concept.TABLE,
                Concept.TABLETOP, Concept.WOOD);
    }

    void cabinets(float floorY) {
        float h = dice.u(0.2f, 0.3f);
        float x0 = dice.u(-0.1f, 0.3f);
        float x1 = Math.min(1.1f, x0 + dice.u(0.4f, 0.8f));
        int col = dice.pick(0xf0f0f0, 0x8a5a30, 0x406080, 0xa0b0a0, 0xd0c090);
        float top = floorY + 0.02f - h;
        canvas.fill(new Rect(x0, top, x1, floorY + 0.02f), Paint.plain(col, 6), Concept.CABINET, null, Concept.WOOD);
        canvas.fill(new Rect(x0 - 0.01f, top - 0.025f, x1 + 0.01f, top),
                Paint.plain(dice.pick(0x303030, 0xc0c0c0, 0x8a7a6a), 6), Concept.CABINET, null, Concept.STONE);
        int drawers = Math.max(2, Math.round((x1 - x0) / 0.15f));
        float dw = (x1 - x0) / drawers;
        for (int k = 0; k < drawers; k++) {
            float dx = x0 + k * dw;
            canvas.fill(new Rect(dx + dw * 0.1f, top + h * 0.1f, dx + dw * 0.9f, top + h * 0.4f),
                    Paint.plain(scale(col, 0.85f), 6), Concept.CABINET, Concept.DRAWER, Concept.WOOD);
        }
    }
}

package org.jdissect.world;

import static org.jdissect.world.Rgb.scale;

import java.util.Arrays;

import org.jdissect.world.Paint.Pattern;
import org.jdissect.world.SceneWorld.Concept;

/**
 * The layout of each scene class: which backgrounds and things a scene has, how many, where, and in what depth
 * order. Background first, then things from far to near ({@link DepthOrder}); how each is drawn is up to the
 * painters ({@link Landscape}, {@link Things}, {@link Rooms}). Context rules hold here by construction: doors and
 * windows only on walls, snow only on the ground and mountains, boats only on water.
 */
final class Layouts {
    private final Dice dice;
    private final Landscape landscape;
    private final Things things;
    private final Rooms rooms;

    Layouts(Canvas canvas, Dice dice) {
        this.dice = dice;
        this.landscape = new Landscape(canvas, dice);
        this.things = new Things(canvas, dice);
        this.rooms = new Rooms(canvas, dice);
    }

    void compose(Concept scene) {
        switch (scene) {
            case SKI_RESORT -> skiResort();
            case MOUNTAIN_S -> mountainScene();
            case BEACH -> beach();
            case HARBOUR -> harbour();
            case STREET -> street();
            case TOWN_SQUARE -> townSquare();
            case FOREST -> forest();
            case FARM -> farm();
            case DESERT -> desert();
            case BEDROOM -> bedroom();
            case KITCHEN -> kitchen();
            default -> throw new IllegalArgumentException("not a scene: " + scene);
        }
    }

    private void skiResort() {
        float horizon = dice.u(0.35f, 0.55f);
        landscape.sky(horizon);
        landscape.mountains(horizon, dice.n(1, 3), dice.pick(0x707888, 0x606a7a), 0.9);
        int snow = dice.pick(0xf4f6fa, 0xe8eef8, 0xdde4f0);
        landscape.ground(horizon,
                new Paint(snow, scale(snow, 0.9f), dice.p(0.5) ? Pattern.SPECKLE : Pattern.PLAIN, 1, 5), Concept.SNOW);
        DepthOrder depth = new DepthOrder();
        if (dice.p(0.6)) {
            float base = horizon + dice.u(0.05f, 0.15f);
            float sc = 0.5f + base;
            depth.add(base, () -> things.house(dice.u(0.2f, 0.8f), base, 0.25f * sc, 0.16f * sc, true,
                    dice.pick(0x8a5a30, 0x6a4020, 0xa06a3a)));
        }
        int trees = dice.n(1, 4);
        for (int k = 0; k < trees; k++) {
            float base = dice.u(horizon + 0.05f, 0.95f);
            depth.add(base, () -> things.tree(dice.u(0, 1), base, 0.3f * (0.4f + base), true, things.leafColour(true)));
        }
        int people = dice.n(1, 4);
        for (int k = 0; k < people; k++) {
            float base = dice.u(horizon + 0.1f, 0.98f);
            depth.add(base, () -> things.person(dice.u(0.05f, 0.95f), base, 0.22f * (0.3f + base)));
        }
        depth.draw();
    }

    private void mountainScene() {
        float horizon = dice.u(0.45f, 0.65f);
        landscape.sky(horizon);
        landscape.mountains(horizon, dice.n(2, 4), dice.pick(0x6a6a70, 0x7a6a5a, 0x5a6070), 0.6);
        boolean snowy = dice.p(0.35);
        if (snowy) {
            landscape.ground(horizon, Paint.plain(dice.pick(0xf0f2f8, 0xe4e8f0), 5), Concept.SNOW);
        } else {
            int g = dice.pick(0x5a8a3a, 0x6a9a40, 0x4a7a30, 0x8a9a50);
            landscape.ground(horizon, new Paint(g, scale(g, 0.8f), Pattern.PLAIN, 1, 10), Concept.GRASS);
        }
        DepthOrder depth = new DepthOrder();
        int rocks = dice.n(1, 3);
        for (int k = 0; k < rocks; k++) {
            float base = dice.u(horizon + 0.05f, 1);
            depth.add(base, () -> things.rock(dice.u(0, 1), base, 0.08f * (0.3f + base)));
        }
        int trees = dice.n(0, 3);
        for (int k = 0; k < trees; k++) {
            float base = dice.u(horizon + 0.05f, 1);
            depth.add(base, () -> things.tree(dice.u(0, 1), base, 0.3f * (0.3f + base), true, things.leafColour(true)));
        }
        depth.draw();
    }

    private void beach() {
        float horizon = dice.u(0.3f, 0.45f);
        landscape.sky(horizon);
        float shore = horizon + dice.u(0.12f, 0.25f);
        landscape.water(horizon, shore + 0.01f);
        int sand = dice.pick(0xe8d4a0, 0xf0dcb0, 0xd8c090);
        landscape.ground(shore, new Paint(sand, scale(sand, 0.85f), Pattern.SPECKLE, 1, 8), Concept.SAND);
        if (dice.p(0.5)) {
            things.boat(dice.u(0.1f, 0.9f), horizon + (shore - horizon) * dice.u(0.4f, 0.8f), dice.u(0.08f, 0.14f));
        }
        DepthOrder depth = new DepthOrder();
        int umbrellas = dice.n(1, 3);
        for (int k = 0; k < umbrellas; k++) {
            float base = dice.u(shore + 0.15f, 0.98f);
            depth.add(base, () -> things.umbrella(dice.u(0.05f, 0.95f), base, 0.25f * (0.3f + base)));
        }
        int people = dice.n(0, 3);
        for (int k = 0; k < people; k++) {
            float base = dice.u(shore + 0.1f, 0.98f);
            depth.add(base, () -> things.person(dice.u(0.05f, 0.95f), base, 0.22f * (0.3f + base)));
        }
        depth.draw();
    }

    private void harbour() {
        float horizon = dice.u(0.3f, 0.45f);
        landscape.sky(horizon);
        int houses = dice.n(2, 5);
        for (int k = 0; k < houses; k++) {
            things.house(dice.u(0.05f, 0.95f), horizon + 0.005f,
                    dice.firstWorld() ? dice.u(0.08f, 0.14f) : dice.u(0.1f, 0.16f),
                    dice.firstWorld() ? dice.u(0.07f, 0.12f) : dice.u(0.08f, 0.13f), dice.p(0.3),
                    dice.pick(0xe0d0b0, 0xc05030, 0xf0f0e0, 0x6080a0, 0xe0b040));
        }
        float quay = dice.u(0.82f, 0.92f);
        landscape.water(horizon, quay + 0.01f);
        landscape.ground(quay, Paint.plain(dice.pick(0x808080, 0x8a8070, 0x707070), 10), Concept.STONE);
        int boats = dice.n(2, 4);
        float[] lines = new float[boats];
        for (int k = 0; k < boats; k++) {
            lines[k] = dice.u(horizon + 0.1f, quay - 0.03f);
        }
        Arrays.sort(lines);
        for (float line : lines) {
            things.boat(dice.u(0.1f, 0.9f), line, 0.28f * (line - horizon + 0.15f) + 0.04f);
        }
        if (dice.p(0.5)) {
            things.streetLamp(dice.u(0.05f, 0.95f), 1f, dice.u(0.25f, 0.35f));
        }
    }

    private void street() {
        float horizon = dice.u(0.4f, 0.55f);
        landscape.sky(horizon);
        float houseBase = horizon + dice.u(0.12f, 0.18f);
        landscape.ground(horizon, Paint.plain(dice.pick(0x909090, 0xa09888, 0x808078), 8), Concept.STONE);
        float roadTop = houseBase + dice.u(0.08f, 0.12f);
        landscape.road(roadTop);
        int houses = dice.n(2, 4);
        float x = dice.u(-0.05f, 0.1f);
        for (int k = 0; k < houses && x < 1.05f; k++) {
            float w = dice.u(0.2f, 0.32f);
            things.house(x + w / 2, houseBase, w, dice.u(0.2f, 0.3f), false,
                    dice.pick(0xb04030, 0xa05a40, 0xe0d0b0, 0xd0d0c8, 0x8a8aa0, 0xc08050));
            x += w + dice.u(0.01f, 0.06f);
        }
        DepthOrder depth = new DepthOrder();
        int trees = dice.n(0, 2);
        for (int k = 0; k < trees; k++) {
            depth.add(houseBase + 0.02f, () -> things.tree(dice.u(0, 1), houseBase + 0.02f, dice.u(0.25f, 0.35f), false,
                    things.leafColour(false)));
        }
        if (dice.p(0.5)) {
            depth.add(houseBase + 0.05f,
                    () -> things.streetLamp(dice.u(0.05f, 0.95f), houseBase + 0.05f, dice.u(0.28f, 0.36f)));
        }
        int people = dice.n(0, 2);
        for (int k = 0; k < people; k++) {
            float base = dice.u(houseBase + 0.02f, roadTop);
            depth.add(base, () -> things.person(dice.u(0.05f, 0.95f), base, 0.22f * (0.3f + base)));
        }
        int cars = dice.n(1, 3);
        for (int k = 0; k < cars; k++) {
            float base = dice.u(roadTop + 0.08f, 0.99f);
            depth.add(base, () -> things.car(dice.u(0.1f, 0.9f), base, 0.3f * (0.3f + base)));
        }
        depth.draw();
    }

    private void townSquare() {
        float horizon = dice.u(0.35f, 0.5f);
        landscape.sky(horizon);
        int pave = dice.pick(0xb0a890, 0xa0a0a0, 0xc0a080);
        landscape.ground(horizon, new Paint(pave, scale(pave, 0.75f), Pattern.CHECKS, dice.u(0.04f, 0.07f), 6),
                Concept.STONE);
        float base = horizon + dice.u(0.03f, 0.08f);
        float x = dice.u(-0.1f, 0.05f);
        while (x < 1.05f) {
            float w = dice.u(0.14f, 0.24f);
            things.house(x + w / 2, base, w, dice.u(0.22f, 0.32f), false, !dice.firstWorld() && dice.p(0.5)
                    ? dice.anyColour() : dice.pick(0xe0b040, 0xd06040, 0xf0e0c0, 0x70a0c0, 0xe08080, 0xa0c080));
            x += w;
        }
        DepthOrder depth = new DepthOrder();
        int people = dice.n(2, 5);
        for (int k = 0; k < people; k++) {
            float b = dice.u(base + 0.05f, 0.99f);
            depth.add(b, () -> things.person(dice.u(0.05f, 0.95f), b, 0.22f * (0.3f + b)));
        }
        int trees = dice.n(0, 2);
        for (int k = 0; k < trees; k++) {
            float b = dice.u(base + 0.05f, 0.6f + base / 2);
            depth.add(b, () -> things.tree(dice.u(0.05f, 0.95f), b, 0.35f * (0.3f + b), false,
                    things.leafColour(false)));
        }
        int lamps = dice.n(0, 2);
        for (int k = 0; k < lamps; k++) {
            float b = dice.u(base + 0.05f, 0.99f);
            depth.add(b, () -> things.streetLamp(dice.u(0.05f, 0.95f), b, 0.35f * (0.3f + b)));
        }
        depth.draw();
    }

    private void forest() {
        float horizon = dice.u(0.25f, 0.38f);
        landscape.sky(horizon);
        int g = dice.pick(0x3a6a2a, 0x4a7a30, 0x5a5a30, 0x6a7a3a);
        landscape.ground(horizon, new Paint(g, scale(g, 0.7f), Pattern.SPECKLE, 1, 10), Concept.GRASS);
        DepthOrder depth = new DepthOrder();
        int trees = dice.n(6, 11);
        boolean pines = dice.p(0.5);
        for (int k = 0; k < trees; k++) {
            float base = dice.u(horizon + 0.05f, 1.02f);
            boolean pine = dice.p(pines ? 0.8 : 0.2);
            depth.add(base, () -> things.tree(dice.u(-0.05f, 1.05f), base, 0.45f * (0.3f + base), pine,
                    things.leafColour(pine)));
        }
        int rocks = dice.n(0, 2);
        for (int k = 0; k < rocks; k++) {
            float base = dice.u(horizon + 0.1f, 1);
            depth.add(base, () -> things.rock(dice.u(0, 1), base, 0.06f * (0.3f + base)));
        }
        if (dice.p(0.3)) {
            float base = dice.u(horizon + 0.2f, 1);
            depth.add(base, () -> things.person(dice.u(0.1f, 0.9f), base, 0.22f * (0.3f + base)));
        }
        depth.draw();
    }

    private void farm() {
        float horizon = dice.u(0.35f, 0.5f);
        landscape.sky(horizon);
        int g = dice.pick(0x6a9a3a, 0x8aa040, 0xb0a050, 0x5a8a30);
        landscape.ground(horizon, new Paint(g, scale(g, 0.75f), Pattern.STRIPES_D, dice.u(0.03f, 0.05f), 8),
                Concept.GRASS);
        DepthOrder depth = new DepthOrder();
        float barnBase = horizon + dice.u(0.1f, 0.2f);
        float bx = dice.u(0.25f, 0.75f);
        float bw = dice.u(0.3f, 0.42f);
        depth.add(barnBase, () -> things.house(bx, barnBase, bw, bw * dice.u(0.55f, 0.7f), true,
                dice.pick(0xb02a20, 0x902a20, 0xa04030)));
        if (dice.p(0.6)) {
            // a tree in front of the barn: the barn stays complete in the object layer behind
            depth.add(barnBase + 0.02f, () -> things.tree(bx + dice.u(-0.2f, 0.2f) * bw, barnBase + 0.02f,
                    bw * dice.u(0.8f, 1.1f), false, things.leafColour(false)));
        }
        int trees = dice.n(0, 2);
        for (int k = 0; k < trees; k++) {
            float base = dice.u(horizon + 0.03f, 0.9f);
            depth.add(base, () -> things.tree(dice.u(0, 1), base, 0.35f * (0.3f + base), false,
                    things.leafColour(false)));
        }
        if (dice.p(0.7)) {
            float fy = dice.u(barnBase + 0.05f, 0.9f);
            depth.add(fy, () -> things.fence(fy - 0.08f, fy, dice.u(-0.1f, 0.3f), dice.u(0.6f, 1.1f)));
        }
        depth.draw();
    }

    private void desert() {
        float horizon = dice.u(0.35f, 0.55f);
        landscape.sky(horizon);
        landscape.mountains(horizon, dice.n(0, 2), dice.pick(0xa07050, 0xb08060, 0x906850), 0);
        int sand = dice.pick(0xe0b070, 0xd8a060, 0xe8c080);
        landscape.ground(horizon, new Paint(sand, scale(sand, 0.85f), dice.p(0.5) ? Pattern.WAVES : Pattern.SPECKLE,
                dice.u(0.04f, 0.06f), 8), Concept.SAND);
        DepthOrder depth = new DepthOrder();
        int cacti = dice.n(1, 4);
        for (int k = 0; k < cacti; k++) {
            float base = dice.u(horizon + 0.05f, 1);
            depth.add(base, () -> things.cactus(dice.u(0.05f, 0.95f), base, 0.35f * (0.3f + base)));
        }
        int rocks = dice.n(0, 3);
        for (int k = 0; k < rocks; k++) {
            float base = dice.u(horizon + 0.05f, 1);
            depth.add(base, () -> things.rock(dice.u(0, 1), base, 0.06f * (0.3f + base)));
        }
        depth.draw();
    }

    private void bedroom() {
        float floorY = rooms.room(false);
        rooms.wallOpenings(floorY, true);
        DepthOrder depth = new DepthOrder();
        float bw = dice.u(0.45f, 0.7f);
        float bx = dice.u(bw / 2 - 0.1f, 1.1f - bw / 2);
        float bb = dice.u(floorY + 0.15f, 0.97f);
        depth.add(bb, () -> rooms.bed(bx, bb, bw));
        if (dice.p(0.6)) {
            float lb = dice.u(floorY + 0.05f, floorY + 0.12f);
            depth.add(lb, () -> rooms.lamp(dice.p(0.5) ? dice.u(0.05f, 0.25f) : dice.u(0.75f, 0.95f), lb,
                    dice.u(0.25f, 0.35f)));
        }
        depth.draw();
    }

    private void kitchen() {
        float floorY = rooms.room(true);
        rooms.wallOpenings(floorY, false);
        DepthOrder depth = new DepthOrder();
        depth.add(floorY, () -> rooms.cabinets(floorY));
        if (dice.p(0.8)) {
            float tb = dice.u(floorY + 0.15f, 0.97f);
            depth.add(tb, () -> rooms.table(dice.u(0.25f, 0.75f), tb, dice.u(0.3f, 0.5f)));
        }
        if (dice.p(0.4)) {
            float lb = dice.u(floorY + 0.05f, floorY + 0.1f);
            depth.add(lb, () -> rooms.lamp(dice.u(0.05f, 0.95f), lb, dice.u(0.22f, 0.3f)));
        }
        if (dice.p(0.3)) {
            float pb = dice.u(floorY + 0.15f, 0.98f);
            depth.add(pb, () -> things.person(dice.u(0.1f, 0.9f), pb, dice.u(0.4f, 0.55f)));
        }
        depth.draw();
    }
}

package org.jdissect.world;

/** Arithmetic on packed 0xRRGGBB colours, and the pixel hash that makes noise and speckle repeatable. */
final class Rgb {
    private Rgb() {
    }

    /** A hash of a pixel position: noise that depends on the image's salt and the pixel only, not on paint order. */
    static int hash(int x, int y, int salt) {
        int h = x * 0x27d4eb2d ^ y * 0x165667b1 ^ salt;
        h ^= h >>> 15;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h;
    }

    static int clamp(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }

    static int add(int c, int n) {
        return (clamp(((c >> 16) & 255) + n) << 16) | (clamp(((c >> 8) & 255) + n) << 8) | clamp((c & 255) + n);
    }

    static int mix(int a, int b, float t) {
        int r = Math.round(((a >> 16) & 255) * (1 - t) + ((b >> 16) & 255) * t);
        int g = Math.round(((a >> 8) & 255) * (1 - t) + ((b >> 8) & 255) * t);
        int bl = Math.round((a & 255) * (1 - t) + (b & 255) * t);
        return (r << 16) | (g << 8) | bl;
    }

    static int scale(int c, float f) {
        return (clamp(Math.round(((c >> 16) & 255) * f)) << 16) | (clamp(Math.round(((c >> 8) & 255) * f)) << 8)
                | clamp(Math.round((c & 255) * f));
    }
}

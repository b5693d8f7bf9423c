package org.jdissect.intervene;

import java.nio.file.Path;

/** {@link KnownUnits} for tests in other packages. */
public final class KnownUnitsFixture {
    private KnownUnitsFixture() {
    }

    public static Path model(Path file) {
        return KnownUnits.model(file);
    }

    public static Path folder(Path dir, int perClass, long seed) {
        return KnownUnits.folder(dir, perClass, seed);
    }

    /** The same images as a Broden dataset whose image-level category {@code scene} is the class. */
    public static Path broden(Path dir, int perClass, long seed) {
        return KnownUnits.broden(dir, perClass, seed);
    }

    public static Path mapping(Path file) {
        return KnownUnits.mapping(file);
    }
}

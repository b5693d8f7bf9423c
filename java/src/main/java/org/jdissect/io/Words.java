package org.jdissect.io;

/** Counted nouns in messages: "1 layer", "3 layers". */
public final class Words {
    private Words() {
    }

    /** {@code n} and the noun, with an "s" unless n is 1 (every noun our messages count takes a plain "s"). */
    public static String counted(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}

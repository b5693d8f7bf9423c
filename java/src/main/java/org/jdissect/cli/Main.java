package org.jdissect.cli;

/** Entry point of the runnable jar; the commands live beside it. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(JdissectCommand.execute(args));
    }
}

package org.jdissect.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "jdissect", mixinStandardHelpOptions = true, version = "jdissect 0.1.0",
        description = "Network dissection of any ONNX model: which concept each unit detects.")
public final class JdissectCommand implements Runnable {
    static int execute(String... args) {
        return new CommandLine(new JdissectCommand()).execute(args);
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}

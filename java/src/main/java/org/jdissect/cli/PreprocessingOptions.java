package org.jdissect.cli;

import picocli.CommandLine.Option;

import org.jdissect.model.Preprocessing;

/** The image preprocessing options shared by every command that runs a model. */
final class PreprocessingOptions {
    @Option(names = "--size", paramLabel = "H[,W]", defaultValue = "224",
            description = "Model input size (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--channels", paramLabel = "rgb|bgr", defaultValue = "rgb",
            description = "Channel order the model expects (default: ${DEFAULT-VALUE}).")
    String channels;

    @Option(names = "--scale", paramLabel = "S", defaultValue = "255",
            description = "Pixel values (0-255) are divided by S (default: ${DEFAULT-VALUE}).")
    float scale;

    @Option(names = "--mean", paramLabel = "a,b,c", defaultValue = "0.485,0.456,0.406",
            description = "Per-channel mean subtracted after scaling, in the model's channel order "
                    + "(default: ${DEFAULT-VALUE}).")
    String mean;

    @Option(names = "--std", paramLabel = "a,b,c", defaultValue = "0.229,0.224,0.225",
            description = "Per-channel standard deviation divided after the mean (default: ${DEFAULT-VALUE}).")
    String std;

    Preprocessing preprocessing() {
        return Preprocessing.parse(size, channels, scale, mean, std);
    }
}

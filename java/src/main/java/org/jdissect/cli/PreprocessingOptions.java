package org.jdissect.cli;

import picocli.CommandLine.Option;

import org.jdissect.model.Preprocessing;
import org.jdissect.model.TokenLayout;

/**
 * The image preprocessing options shared by every command that runs a model. Each may be left out: a command then
 * takes it from where it knows better (explain from the dissection it explains), or from the ImageNet defaults.
 */
final class PreprocessingOptions {
    private static final System.Logger LOG = System.getLogger(PreprocessingOptions.class.getName());
    static final String SIZE = "224";
    static final String CHANNELS = "rgb";
    static final float SCALE = 255f;
    static final String MEAN = "0.485,0.456,0.406";
    static final String STD = "0.229,0.224,0.225";

    @Option(names = "--size", paramLabel = "H[,W]", description = "Model input size (default: the size the model "
            + "declares for its input; " + SIZE + " for a model with a dynamic input size).")
    String size;

    @Option(names = "--channels", paramLabel = "rgb|bgr",
            description = "Channel order the model expects (default: " + CHANNELS + ").")
    String channels;

    @Option(names = "--scale", paramLabel = "S", description = "Pixel values (0-255) are divided by S (default: 255).")
    Float scale;

    @Option(names = "--mean", paramLabel = "a,b,c",
            description = "Per-channel mean subtracted after scaling, in the model's channel order (default: " + MEAN
                    + ").")
    String mean;

    @Option(names = "--std", paramLabel = "a,b,c",
            description = "Per-channel standard deviation divided after the mean (default: " + STD + ").")
    String std;

    @Option(names = "--tokens", paramLabel = "S:HxW",
            description = "How token layers (N x T x D, a Vision Transformer's) lie when the model has no patch "
                    + "embedding convolution on its input to read the grid from: S leading special tokens (class "
                    + "token, registers) dropped, the other H x W on an H x W grid in row order; T must be S + H x W, "
                    + "e.g. 1:14x14 (default: the patch embedding's grid).")
    String tokens;

    /**
     * The options over the ImageNet defaults, the size from {@code model} when not given and the model declares one
     * (a classifier trained at 64 x 64 is dissected at 64 x 64 without being told).
     */
    Preprocessing preprocessing(java.nio.file.Path model) {
        if (size == null) {
            int[] declared = org.jdissect.model.DeclaredInput.imageSize(model);
            if (declared != null) {
                size = declared[0] + "," + declared[1];
                LOG.log(System.Logger.Level.DEBUG, "input size " + declared[0] + " x " + declared[1]
                        + ", as " + model + " declares it");
            }
        }
        return preprocessing();
    }

    /** The options over the ImageNet defaults. */
    Preprocessing preprocessing() {
        return Preprocessing.parse("--", size != null ? size : SIZE, channels != null ? channels : CHANNELS,
                scale != null ? scale : SCALE, mean != null ? mean : MEAN, std != null ? std : STD)
                .withTokens(tokens == null ? null : TokenLayout.parse("--tokens", tokens));
    }

    /** Whether any of the options was given. */
    boolean given() {
        return size != null || channels != null || scale != null || mean != null || std != null || tokens != null;
    }

    /** The options given, over {@code base}: what is not given is {@code base}'s. */
    Preprocessing over(Preprocessing base) {
        if (!given()) {
            return base;
        }
        String baseSize = base.height() + "," + base.width();
        return Preprocessing.parse("--", size != null ? size : baseSize, channels != null ? channels : base.channels().name(),
                scale != null ? scale : base.scale(), mean != null ? mean : join(base.mean()),
                std != null ? std : join(base.std()))
                .withTokens(tokens != null ? TokenLayout.parse("--tokens", tokens) : base.tokens());
    }

    private static String join(float[] v) {
        return v[0] + "," + v[1] + "," + v[2];
    }
}

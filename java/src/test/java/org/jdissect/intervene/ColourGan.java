package org.jdissect.intervene;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ai.onnx.proto.OnnxMl.TensorProto;

import org.jdissect.model.OnnxBuilder;

/**
 * A generator whose units draw known colours, and a segmenter that names them: latent z (4 x 4 x 4) -> layer
 * "feat" = relu(z) (4 units on a 4 x 4 grid) -> nearest upsampling to 16 x 16 -> unit 0 drives red, 1 green,
 * 2 blue, 3 nothing -> tanh. The segmenter scores "-" (dark, unlabelled), red, green and blue per pixel.
 */
public final class ColourGan {
    static final List<String> CLASSES = List.of("-,color", "red,color", "green,color", "blue,color");

    private ColourGan() {
    }

    public static Path generator(Path file) {
        float[] identity = new float[16];
        float[] up = new float[4 * 4 * 4 * 4];
        for (int c = 0; c < 4; c++) {
            identity[c * 4 + c] = 1;
            for (int k = 0; k < 16; k++) {
                up[(c * 4 + c) * 16 + k] = 1; // ConvTranspose weight [in][out][4][4]: copy channel c to a 4x4 block
            }
        }
        float[] toRgb = {3, 0, 0, 0, 0, 3, 0, 0, 0, 0, 3, 0};
        return OnnxBuilder.empty()
                .input("z", TensorProto.DataType.FLOAT, "N", 4, 4, 4)
                .conv("z", "feat_lin", 4, 4, 1, 1, 0, identity, new float[4])
                .relu("feat_lin", "feat")
                .initializer("up_W", new long[] {4, 4, 4, 4}, up)
                .node("ConvTranspose", List.of("feat", "up_W"), "up", OnnxBuilder.ints("kernel_shape", 4, 4),
                        OnnxBuilder.ints("strides", 4, 4))
                .conv("up", "rgb_lin", 3, 4, 1, 1, 0, toRgb, new float[] {-1, -1, -1})
                .node("Tanh", List.of("rgb_lin"), "image")
                .output("image")
                .save(file);
    }

    /** Input: 0..255 RGB / 255 - 0.5. */
    public static Path segmenter(Path file) {
        float[] w = {
            -1f / 3, -1f / 3, -1f / 3, // dark
            1, -0.5f, -0.5f,           // red
            -0.5f, 1, -0.5f,           // green
            -0.5f, -0.5f, 1,           // blue
        };
        return OnnxBuilder.imageInput(16, 16)
                .conv(OnnxBuilder.INPUT, "scores", 4, 3, 1, 1, 0, w, new float[] {-0.2f, 0, 0, 0})
                .output("scores")
                .save(file);
    }

    public static Path labels(Path file) throws Exception {
        return Files.write(file, CLASSES);
    }
}

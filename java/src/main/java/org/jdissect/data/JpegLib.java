package org.jdissect.data;

import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.CriticalRegion;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * The C API of native/jdissect_jpeg.h, as JavaCPP binds it: its JNI bridge (libjniJpegLib.so) and the decoder
 * (libjdissect_jpeg.so) are built by native/maven-native.sh where libjpeg's headers are installed, and carried in
 * the jar under {@code org/jdissect/data/linux-x86_64/}. Written by hand, unlike the CUDA API's generated class:
 * three functions, and the decoding ones need {@link CriticalRegion} (the arrays handed to C in place, where the
 * default copies the 150 KB of a 224 x 224 image out and back per call). The bridge is compiled against the
 * header, so a declaration here that no longer matches it fails the build. Use {@link NativeJpeg}, which loads
 * this and turns statuses into exceptions.
 */
@Platform(value = "linux-x86_64", include = "jdissect_jpeg.h", link = "jdissect_jpeg")
final class JpegLib {
    static final int JD_JPEG_OK = 0;
    static final int JD_JPEG_INVALID_ARGUMENT = 1;
    static final int JD_JPEG_CORRUPT = 2;
    static final int JD_JPEG_TOO_LARGE = 3;
    static final int JD_JPEG_OTHER_LAYOUT = 4;
    static final int JD_JPEG_NEEDS_BUFFER = 5;
    static final int JD_JPEG_INTERNAL = 6;

    private JpegLib() {
    }

    static native int jd_jpeg_version(int[] apiVersion, int[] libjpegVersion, @Cast("char*") byte[] err,
                                      @Cast("size_t") long errLen);

    /*
     * In a critical region the collector waits for the call to return (the arrays stay where they are), and the C side
     * calls nothing of the JVM: a 224 x 224 decoding holds it half a millisecond, one of the 64 megapixels allowed at
     * most about a second.
     */
    @CriticalRegion
    static native int jd_jpeg_decode(@Cast("const unsigned char*") byte[] data, long length, long maxPixels,
                                     @Cast("unsigned char*") byte[] out, long outLength, int[] shape,
                                     @Cast("char*") byte[] err, @Cast("size_t") long errLen);

    @CriticalRegion
    static native int jd_jpeg_decode_planes(@Cast("const unsigned char*") byte[] data, long length, long maxPixels,
                                            @Cast("const float*") float[] tables, @Cast("const int*") int[] planes,
                                            float[] out, long outOffset, long outLength, int[] shape,
                                            @Cast("char*") byte[] err, @Cast("size_t") long errLen);
}

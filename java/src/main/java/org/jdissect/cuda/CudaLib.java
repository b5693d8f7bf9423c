package org.jdissect.cuda;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.ByPtrPtr;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Const;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.Opaque;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * The C API of native/jdissect_cuda.h as JavaCPP maps it: one static method per C function, nothing else. Every
 * function returns a {@code jd_status} (0 is success) and writes its message into {@code err}; no exception crosses
 * JNI. {@link NativeCuda} turns statuses into exceptions; use that, not this class.
 *
 * <p>The JNI library (libjniCudaLib.so) and libjdissect_cuda.so are built by native/maven-native.sh when nvcc
 * exists and are carried in the jar under {@code org/jdissect/cuda/linux-x86_64/}; {@link #load()} says why not
 * when they are absent.
 */
@Platform(value = "linux-x86_64", include = "jdissect_cuda.h", link = "jdissect_cuda")
public final class CudaLib {
    private CudaLib() {
    }

    /** Loads the JNI library and libjdissect_cuda.so (once); throws UnsatisfiedLinkError when they are absent. */
    public static synchronized void load() {
        Loader.load(CudaLib.class);
    }

    public static final int JD_OK = 0;
    public static final int JD_ERR_INVALID_ARGUMENT = 1;
    public static final int JD_ERR_NO_DRIVER = 2;
    public static final int JD_ERR_NO_DEVICE = 3;
    public static final int JD_ERR_OUT_OF_MEMORY = 4;
    public static final int JD_ERR_CUDA = 5;
    public static final int JD_ERR_INTERNAL = 6;

    /** A statistics context ({@code jd_context}). */
    @Opaque
    @Name("jd_context_opaque")
    public static final class Context extends Pointer {
        public Context() {
            super((Pointer) null);
        }
    }

    public static native @Cast("const char*") String jd_status_name(int status);

    public static native int jd_version(int[] apiVersion, int[] cudaRuntimeVersion, @Cast("char*") byte[] err,
                                        @Cast("size_t") long errLen);

    public static native int jd_device_count(int[] count, @Cast("char*") byte[] err, @Cast("size_t") long errLen);

    public static native int jd_device_info(int dev, @Cast("char*") byte[] name, @Cast("size_t") long nameLen,
                                            @Cast("size_t*") long[] freeMem, @Cast("size_t*") long[] totalMem,
                                            int[] ccMajor, int[] ccMinor, int[] multiprocessors,
                                            @Cast("char*") byte[] err, @Cast("size_t") long errLen);

    public static native int jd_context_create(int dev, @ByPtrPtr Context ctx, @Cast("char*") byte[] err,
                                               @Cast("size_t") long errLen);

    public static native int jd_context_destroy(Context ctx, @Cast("char*") byte[] err, @Cast("size_t") long errLen);

    public static native int jd_context_set_staging_limit(Context ctx, @Cast("size_t") long bytes,
                                                          @Cast("char*") byte[] err, @Cast("size_t") long errLen);

    public static native int jd_stats_begin(Context ctx, int units, int hw, long images, int topk, int[] resident,
                                            @Cast("char*") byte[] err, @Cast("size_t") long errLen);

    public static native int jd_stats_coarse(Context ctx, @Cast("const uint16_t*") short[] acts,
                                             long firstImage, int images, @Cast("char*") byte[] err,
                                             @Cast("size_t") long errLen);

    public static native int jd_stats_locate(Context ctx, long lowRank, long highRank, @Cast("char*") byte[] err,
                                             @Cast("size_t") long errLen);

    public static native int jd_stats_fine(Context ctx, @Cast("const uint16_t*") short[] acts, int images,
                                           @Cast("char*") byte[] err, @Cast("size_t") long errLen);

    public static native int jd_stats_finish(Context ctx, @Cast("int32_t*") int[] lowKey,
                                             @Cast("int32_t*") int[] highKey, @Cast("int32_t*") int[] topImages,
                                             @Cast("int32_t*") int[] topKeys, @Cast("char*") byte[] err,
                                             @Cast("size_t") long errLen);

    public static native int jd_tally_begin(Context ctx, int units, int h, int w, @Const float[] thresholds,
                                            int numLabels, int numCategories,
                                            @Cast("const int32_t*") int[] primary, @Cast("char*") byte[] err,
                                            @Cast("size_t") long errLen);

    public static native int jd_tally_chunk(Context ctx, @Cast("const uint16_t*") short[] acts, int images,
                                            @Cast("const int64_t*") long[] info,
                                            @Cast("const uint16_t*") short[] labels, long labelCount,
                                            @Cast("const int32_t*") int[] levels, long levelCount,
                                            @Cast("const int32_t*") int[] gridInts, long gridIntCount,
                                            @Const float[] gridFloats, long gridFloatCount,
                                            @Cast("char*") byte[] err, @Cast("size_t") long errLen);

    public static native int jd_tally_finish(Context ctx, @Cast("int64_t*") long[] intersection,
                                             @Cast("int64_t*") long[] activation,
                                             @Cast("int64_t*") long[] labelPixels,
                                             @Cast("int64_t*") long[] maskPixels, @Cast("char*") byte[] err,
                                             @Cast("size_t") long errLen);

    public static native int jd_ablate(Context ctx, float[] x, long images, int units, int hw, @Const float[] alpha,
                                       long alphaCount, @Const float[] replacement, @Cast("char*") byte[] err,
                                       @Cast("size_t") long errLen);
}

package org.jdissect.cuda;

import org.bytedeco.javacpp.Loader;
import org.jdissect.JdissectException;
import org.jdissect.io.CStrings;

/** Loading of the native library and the status-to-exception rule of the C API, in one place. */
final class NativeCuda {
    static final int ERR_LEN = 2048;
    /** The C API this code calls (jd_version; kApiVersion in jdissect_cuda.cpp). */
    static final int API_VERSION = 3;

    private static String loadProblem;
    private static boolean tried;

    private NativeCuda() {
    }

    /** Null when the JNI library and libjdissect_cuda.so are loaded, else why they cannot be. */
    static synchronized String loadProblem() {
        if (!tried) {
            tried = true;
            try {
                Loader.load(CudaLib.class);
                int[] api = new int[1];
                byte[] err = errBuffer();
                if (CudaLib.jd_version(api, new int[1], err, err.length) == 0 && api[0] != API_VERSION) {
                    loadProblem = "the CUDA library in this build speaks C API version " + api[0] + ", this jar "
                            + "needs version " + API_VERSION + ": rebuild both (mvn package)";
                }
            } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
                String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                loadProblem = "the CUDA library is not in this build (it is built only where nvcc exists; "
                        + "for linux-x86_64): " + firstLine(detail);
            }
        }
        return loadProblem;
    }

    static byte[] errBuffer() {
        return new byte[ERR_LEN];
    }

    /** The NUL-terminated message the C call wrote. */
    static String message(byte[] err) {
        return CStrings.read(err);
    }

    /** Throws a JdissectException carrying the C message when status is not JD_OK. */
    static void check(int status, byte[] err) {
        if (status != CudaLib.JD_OK) {
            throw JdissectException.failure(describe(status, err));
        }
    }

    static String describe(int status, byte[] err) {
        String msg = message(err);
        return msg.isEmpty() ? CudaLib.jd_status_name(status) : msg;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

// The parts of the C API that need no CUDA: status names and the bilinear tables. Built even without a CUDA
// compiler, so the table contract is tested everywhere.
#include <exception>

#include "jd_internal.h"

extern "C" {

JD_API const char* jd_status_name(int status) {
    switch (status) {
        case JD_OK: return "JD_OK";
        case JD_ERR_INVALID_ARGUMENT: return "JD_ERR_INVALID_ARGUMENT";
        case JD_ERR_NO_DRIVER: return "JD_ERR_NO_DRIVER";
        case JD_ERR_NO_DEVICE: return "JD_ERR_NO_DEVICE";
        case JD_ERR_OUT_OF_MEMORY: return "JD_ERR_OUT_OF_MEMORY";
        case JD_ERR_CUDA: return "JD_ERR_CUDA";
        case JD_ERR_INTERNAL: return "JD_ERR_INTERNAL";
        default: return "JD_ERR_UNKNOWN_STATUS";
    }
}

JD_API jd_status jd_bilinear_tables(int in, int out, int32_t* i0, int32_t* i1, float* f, char* err, size_t err_len) {
    if (in <= 0 || out <= 0) {
        return jd::fail(JD_ERR_INVALID_ARGUMENT, err, err_len,
                        "jd_bilinear_tables: sizes must be positive (in=%d, out=%d)", in, out);
    }
    if (i0 == nullptr || i1 == nullptr || f == nullptr) {
        return jd::fail(JD_ERR_INVALID_ARGUMENT, err, err_len, "jd_bilinear_tables: null output table");
    }
    // volatile stores force each fp32 operation to be rounded on its own, whatever the compiler's contraction or
    // excess-precision settings: the Java backend evaluates the same expression in strict fp32.
    const volatile float scale = static_cast<float>(in) / static_cast<float>(out);
    for (int i = 0; i < out; i++) {
        volatile float centre = static_cast<float>(i) + 0.5f;
        volatile float product = centre * scale;
        float s = product - 0.5f;
        if (s < 0.0f) {
            s = 0.0f;
        }
        int lo = static_cast<int>(s);  // s >= 0, so truncation is floor
        i0[i] = lo;
        f[i] = s - static_cast<float>(lo);
        i1[i] = lo + 1 < in ? lo + 1 : in - 1;
    }
    return jd::ok(err, err_len);
}

}  // extern "C"

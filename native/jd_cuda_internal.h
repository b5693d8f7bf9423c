// Internal helpers of the CUDA part of the native library, shared by the C API files (not part of the C API).
#ifndef JD_CUDA_INTERNAL_H
#define JD_CUDA_INTERNAL_H

#include <exception>

#include <cuda_runtime_api.h>

#include "jd_internal.h"

namespace jd {

// JD_ERR_NO_DRIVER with the dlopen message when libcuda.so.1 cannot be loaded.
jd_status require_driver(const char* fn, char* err, size_t err_len);

jd_status status_of(cudaError_t e);

// Maps a CUDA error to a status and message, and clears the runtime's last-error slot so a later call does not
// report it again (sticky errors stay, as they must).
jd_status cuda_fail(cudaError_t e, const char* fn, const char* what, char* err, size_t err_len);

// Runs body, turning any C++ exception into JD_ERR_INTERNAL, and clears err on success.
template <class Body>
jd_status guarded(const char* fn, char* err, size_t err_len, Body&& body) noexcept {
    try {
        jd_status s = body();
        return s == JD_OK ? ok(err, err_len) : s;
    } catch (const std::exception& e) {
        return fail(JD_ERR_INTERNAL, err, err_len, "%s: internal error: %s", fn, e.what());
    } catch (...) {
        return fail(JD_ERR_INTERNAL, err, err_len, "%s: internal error (unknown exception)", fn);
    }
}

}  // namespace jd

// Both expect `fn`, `err` and `err_len` in scope.
#define JD_CUDA(call, what)                                        \
    do {                                                           \
        cudaError_t jd_e_ = (call);                                \
        if (jd_e_ != cudaSuccess) {                                \
            return ::jd::cuda_fail(jd_e_, fn, what, err, err_len); \
        }                                                          \
    } while (0)

#define JD_REQUIRE_DRIVER()                                        \
    do {                                                           \
        jd_status jd_s_ = ::jd::require_driver(fn, err, err_len);  \
        if (jd_s_ != JD_OK) {                                      \
            return jd_s_;                                          \
        }                                                          \
    } while (0)

#define JD_TRY(expr)                                               \
    do {                                                           \
        jd_status jd_t_ = (expr);                                  \
        if (jd_t_ != JD_OK) {                                      \
            return jd_t_;                                          \
        }                                                          \
    } while (0)

#endif

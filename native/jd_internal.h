// Internal helpers of the jdissect native library (not part of the C API).
#ifndef JD_INTERNAL_H
#define JD_INTERNAL_H

#include <cstdarg>
#include <cstddef>
#include <cstdio>

#include "jdissect_cuda.h"

namespace jd {

// Writes a printf-style message into the caller's buffer (if any) and returns status, so that failure paths read
// `return fail(JD_ERR_..., err, len, "...", ...)`.
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
inline jd_status fail(jd_status status, char* err, size_t err_len, const char* fmt, ...) {
    if (err != nullptr && err_len > 0) {
        va_list args;
        va_start(args, fmt);
        std::vsnprintf(err, err_len, fmt, args);
        va_end(args);
    }
    return status;
}

inline jd_status ok(char* err, size_t err_len) {
    if (err != nullptr && err_len > 0) {
        err[0] = '\0';
    }
    return JD_OK;
}

}  // namespace jd

#endif

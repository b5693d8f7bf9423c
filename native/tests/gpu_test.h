// Shared by the GPU tests: the error buffer every jd_* call fills, the failure count, and CHECK_OK, which stops
// the test with the call, its status and its message when a call that must succeed does not.
#pragma once

#include <cstdio>
#include <cstdlib>

#include "jdissect_cuda.h"

namespace {

int failures = 0;
char err[512];

}  // namespace

#define CHECK_OK(call)                                                                                        \
    do {                                                                                                      \
        jd_status s_ = (call);                                                                                \
        if (s_ != JD_OK) {                                                                                    \
            std::fprintf(stderr, "FAIL %s:%d: %s -> %s: %s\n", __FILE__, __LINE__, #call, jd_status_name(s_), \
                         err);                                                                                \
            std::exit(1);                                                                                     \
        }                                                                                                     \
    } while (0)

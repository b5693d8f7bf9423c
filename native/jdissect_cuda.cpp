// The C API over the CUDA runtime and kernels. Every entry point validates its arguments, checks for a driver
// (the runtime is linked statically, so libcuda.so.1 is looked up here to say plainly when it is missing), maps
// CUDA errors to jd_status codes with cudaGetErrorString's text, and catches every C++ exception.
#include <dlfcn.h>

#include <cstdio>
#include <exception>
#include <mutex>
#include <string>

#include <cuda_runtime_api.h>

#include "jd_cuda_internal.h"

namespace jd {
namespace {

// 2: the device-memory, stream, profiling and _device calls and jd_tally_mask are gone (unused by Java).
// 3: jd_tally_chunk takes PIL's taps (first, count, double weights) instead of fp32 interpolation tables.
constexpr int kApiVersion = 3;

struct DriverProbe {
    bool present = false;
    std::string detail;
};

const DriverProbe& driver_probe() {
    static DriverProbe probe;
    static std::once_flag once;
    std::call_once(once, [] {
        // Kept open on purpose: the static runtime opens the same library and the handle is process-wide anyway.
        void* handle = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
        if (handle != nullptr) {
            probe.present = true;
        } else {
            const char* why = dlerror();
            probe.detail = why != nullptr ? why : "dlopen failed";
        }
    });
    return probe;
}

}  // namespace

jd_status require_driver(const char* fn, char* err, size_t err_len) {
    const DriverProbe& probe = driver_probe();
    if (!probe.present) {
        return fail(JD_ERR_NO_DRIVER, err, err_len, "%s: no CUDA driver (libcuda.so.1 not found; dlopen said: %s)", fn,
                    probe.detail.c_str());
    }
    return JD_OK;
}

jd_status status_of(cudaError_t e) {
    switch (e) {
        case cudaSuccess: return JD_OK;
        case cudaErrorInsufficientDriver:
        case cudaErrorCallRequiresNewerDriver:
        case cudaErrorSystemDriverMismatch: return JD_ERR_NO_DRIVER;
        case cudaErrorNoDevice:
        case cudaErrorInvalidDevice:
        case cudaErrorDevicesUnavailable: return JD_ERR_NO_DEVICE;
        case cudaErrorMemoryAllocation: return JD_ERR_OUT_OF_MEMORY;
        default: return JD_ERR_CUDA;
    }
}

// Maps a CUDA error to a status and message, and clears the runtime's last-error slot so a later call does not
// report it again (sticky errors stay, as they must).
jd_status cuda_fail(cudaError_t e, const char* fn, const char* what, char* err, size_t err_len) {
    cudaGetLastError();
    return fail(status_of(e), err, err_len, "%s: %s failed: %s (%s)", fn, what, cudaGetErrorString(e),
                cudaGetErrorName(e));
}

}  // namespace jd

using jd::fail;

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

JD_API jd_status jd_version(int* api_version, int* cuda_runtime_version, char* err, size_t err_len) {
    return jd::guarded("jd_version", err, err_len, [&]() -> jd_status {
        if (api_version != nullptr) *api_version = jd::kApiVersion;
        if (cuda_runtime_version != nullptr) *cuda_runtime_version = CUDART_VERSION;
        return JD_OK;
    });
}

JD_API jd_status jd_device_count(int* count, char* err, size_t err_len) {
    static const char* fn = "jd_device_count";
    return jd::guarded(fn, err, err_len, [&]() -> jd_status {
        if (count == nullptr) return fail(JD_ERR_INVALID_ARGUMENT, err, err_len, "%s: count is null", fn);
        *count = 0;
        JD_REQUIRE_DRIVER();
        int n = 0;
        JD_CUDA(cudaGetDeviceCount(&n), "cudaGetDeviceCount");
        if (n == 0) return fail(JD_ERR_NO_DEVICE, err, err_len, "%s: a CUDA driver but no CUDA device", fn);
        *count = n;
        return JD_OK;
    });
}

JD_API jd_status jd_device_info(int dev, char* name, size_t name_len, size_t* free_mem, size_t* total_mem,
                                int* cc_major, int* cc_minor, int* multiprocessors, char* err, size_t err_len) {
    static const char* fn = "jd_device_info";
    return jd::guarded(fn, err, err_len, [&]() -> jd_status {
        if (name != nullptr && name_len > 0) name[0] = '\0';
        JD_REQUIRE_DRIVER();
        int n = 0;
        JD_CUDA(cudaGetDeviceCount(&n), "cudaGetDeviceCount");
        if (dev < 0 || dev >= n) {
            return fail(JD_ERR_NO_DEVICE, err, err_len, "%s: no device %d (valid: 0 to %d)", fn, dev, n - 1);
        }
        cudaDeviceProp prop;
        JD_CUDA(cudaGetDeviceProperties(&prop, dev), "cudaGetDeviceProperties");
        if (free_mem != nullptr || total_mem != nullptr) {
            // Memory is queried on the device itself; the caller's current device is restored afterwards.
            int current = 0;
            JD_CUDA(cudaGetDevice(&current), "cudaGetDevice");
            JD_CUDA(cudaSetDevice(dev), "cudaSetDevice");
            size_t free_b = 0, total_b = 0;
            cudaError_t e = cudaMemGetInfo(&free_b, &total_b);
            cudaSetDevice(current);
            if (e != cudaSuccess) return jd::cuda_fail(e, fn, "cudaMemGetInfo", err, err_len);
            if (free_mem != nullptr) *free_mem = free_b;
            if (total_mem != nullptr) *total_mem = total_b;
        }
        if (name != nullptr && name_len > 0) std::snprintf(name, name_len, "%s", prop.name);
        if (cc_major != nullptr) *cc_major = prop.major;
        if (cc_minor != nullptr) *cc_minor = prop.minor;
        if (multiprocessors != nullptr) *multiprocessors = prop.multiProcessorCount;
        return JD_OK;
    });
}

}  // extern "C"

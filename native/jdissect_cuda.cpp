// The C API over the CUDA runtime and kernels. Every entry point validates its arguments, checks for a driver
// (the runtime is linked statically, so libcuda.so.1 is looked up here to say plainly when it is missing), maps
// CUDA errors to jd_status codes with cudaGetErrorString's text, and catches every C++ exception.
#include <dlfcn.h>

#include <cstdint>
#include <cstring>
#include <exception>
#include <mutex>
#include <string>

#include <cuda_runtime_api.h>

#include "../kernels/tally_mask.cuh"
#include "jd_cuda_internal.h"

namespace jd {
namespace {

constexpr int kApiVersion = 1;
constexpr double kMiB = 1024.0 * 1024.0;

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

jd_status require_device_pointer(const char* fn, const char* name, const void* p, char* err, size_t err_len) {
    if (p == nullptr) {
        return fail(JD_ERR_INVALID_ARGUMENT, err, err_len, "%s: %s is null", fn, name);
    }
    cudaPointerAttributes attr;
    std::memset(&attr, 0, sizeof(attr));
    cudaError_t e = cudaPointerGetAttributes(&attr, p);
    if (e != cudaSuccess) {
        return cuda_fail(e, fn, "cudaPointerGetAttributes", err, err_len);
    }
    if (attr.type != cudaMemoryTypeDevice && attr.type != cudaMemoryTypeManaged) {
        return fail(JD_ERR_INVALID_ARGUMENT, err, err_len, "%s: %s (%p) is not device memory", fn, name, p);
    }
    return JD_OK;
}

}  // namespace jd

using jd::fail;

extern "C" {

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

JD_API jd_status jd_set_device(int dev, char* err, size_t err_len) {
    static const char* fn = "jd_set_device";
    return jd::guarded(fn, err, err_len, [&]() -> jd_status {
        JD_REQUIRE_DRIVER();
        int n = 0;
        JD_CUDA(cudaGetDeviceCount(&n), "cudaGetDeviceCount");
        if (dev < 0 || dev >= n) {
            return fail(JD_ERR_NO_DEVICE, err, err_len, "%s: no device %d (valid: 0 to %d)", fn, dev, n - 1);
        }
        JD_CUDA(cudaSetDevice(dev), "cudaSetDevice");
        return JD_OK;
    });
}

JD_API jd_status jd_malloc(void** ptr, size_t bytes, char* err, size_t err_len) {
    static const char* fn = "jd_malloc";
    return jd::guarded(fn, err, err_len, [&]() -> jd_status {
        if (ptr == nullptr) return fail(JD_ERR_INVALID_ARGUMENT, err, err_len, "%s: ptr is null", fn);
        *ptr = nullptr;
        JD_REQUIRE_DRIVER();
        if (bytes == 0) return JD_OK;
        int dev = 0;
        JD_CUDA(cudaGetDevice(&dev), "cudaGetDevice");
        size_t free_b = 0, total_b = 0;
        JD_CUDA(cudaMemGetInfo(&free_b, &total_b), "cudaMemGetInfo");
        if (bytes > free_b) {
            return fail(JD_ERR_OUT_OF_MEMORY, err, err_len,
                        "%s: out of GPU memory on device %d: requested %.1f MiB, free %.1f MiB of %.1f MiB", fn, dev,
                        bytes / jd::kMiB, free_b / jd::kMiB, total_b / jd::kMiB);
        }
        void* p = nullptr;
        cudaError_t e = cudaMalloc(&p, bytes);
        if (e == cudaErrorMemoryAllocation) {
            cudaGetLastError();
            return fail(JD_ERR_OUT_OF_MEMORY, err, err_len,
                        "%s: out of GPU memory on device %d: requested %.1f MiB, %.1f MiB were free of %.1f MiB "
                        "(fragmentation or another process)",
                        fn, dev, bytes / jd::kMiB, free_b / jd::kMiB, total_b / jd::kMiB);
        }
        if (e != cudaSuccess) return jd::cuda_fail(e, fn, "cudaMalloc", err, err_len);
        *ptr = p;
        return JD_OK;
    });
}

JD_API jd_status jd_free(void* ptr, char* err, size_t err_len) {
    static const char* fn = "jd_free";
    return jd::guarded(fn, err, err_len, [&]() -> jd_status {
        JD_REQUIRE_DRIVER();
        if (ptr == nullptr) return JD_OK;
        JD_CUDA(cudaFree(ptr), "cudaFree");
        return JD_OK;
    });
}

JD_API jd_status jd_memcpy(void* dst, const void* src, size_t bytes, int kind, jd_stream stream, char* err,
                           size_t err_len) {
    static const char* fn = "jd_memcpy";
    return jd::guarded(fn, err, err_len, [&]() -> jd_status {
        cudaMemcpyKind k;
        switch (kind) {
            case JD_HOST_TO_DEVICE: k = cudaMemcpyHostToDevice; break;
            case JD_DEVICE_TO_HOST: k = cudaMemcpyDeviceToHost; break;
            case JD_DEVICE_TO_DEVICE: k = cudaMemcpyDeviceToDevice; break;
            default:
                return fail(JD_ERR_INVALID_ARGUMENT, err, err_len,
                            "%s: unknown copy kind %d (valid: 1 host to device, 2 device to host, 3 device to "
                            "device)", fn, kind);
        }
        JD_REQUIRE_DRIVER();
        if (bytes == 0) return JD_OK;
        if (dst == nullptr || src == nullptr) {
            return fail(JD_ERR_INVALID_ARGUMENT, err, err_len, "%s: null %s", fn, dst == nullptr ? "dst" : "src");
        }
        if (k != cudaMemcpyDeviceToHost) {
            jd_status s = jd::require_device_pointer(fn, "dst", dst, err, err_len);
            if (s != JD_OK) return s;
        }
        if (k != cudaMemcpyHostToDevice) {
            jd_status s = jd::require_device_pointer(fn, "src", src, err, err_len);
            if (s != JD_OK) return s;
        }
        cudaStream_t s = reinterpret_cast<cudaStream_t>(stream);
        JD_CUDA(cudaMemcpyAsync(dst, src, bytes, k, s), "cudaMemcpyAsync");
        JD_CUDA(cudaStreamSynchronize(s), "cudaStreamSynchronize");
        return JD_OK;
    });
}

JD_API jd_status jd_memset(void* ptr, int value, size_t bytes, jd_stream stream, char* err, size_t err_len) {
    static const char* fn = "jd_memset";
    return jd::guarded(fn, err, err_len, [&]() -> jd_status {
        JD_REQUIRE_DRIVER();
        if (bytes == 0) return JD_OK;
        jd_status st = jd::require_device_pointer(fn, "ptr", ptr, err, err_len);
        if (st != JD_OK) return st;
        JD_CUDA(cudaMemsetAsync(ptr, value, bytes, reinterpret_cast<cudaStream_t>(stream)), "cudaMemsetAsync");
        return JD_OK;
    });
}

JD_API jd_status jd_stream_create(jd_stream* stream, char* err, size_t err_len) {
    static const char* fn = "jd_stream_create";
    return jd::guarded(fn, err, err_len, [&]() -> jd_status {
        if (stream == nullptr) return fail(JD_ERR_INVALID_ARGUMENT, err, err_len, "%s: stream is null", fn);
        *stream = nullptr;
        JD_REQUIRE_DRIVER();
        cudaStream_t s = nullptr;
        JD_CUDA(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
        *stream = reinterpret_cast<jd_stream>(s);
        return JD_OK;
    });
}

JD_API jd_status jd_stream_destroy(jd_stream stream, char* err, size_t err_len) {
    static const char* fn = "jd_stream_destroy";
    return jd::guarded(fn, err, err_len, [&]() -> jd_status {
        JD_REQUIRE_DRIVER();
        if (stream == nullptr) return JD_OK;  // the default stream is not destroyed
        JD_CUDA(cudaStreamDestroy(reinterpret_cast<cudaStream_t>(stream)), "cudaStreamDestroy");
        return JD_OK;
    });
}

JD_API jd_status jd_stream_synchronize(jd_stream stream, char* err, size_t err_len) {
    static const char* fn = "jd_stream_synchronize";
    return jd::guarded(fn, err, err_len, [&]() -> jd_status {
        JD_REQUIRE_DRIVER();
        JD_CUDA(cudaStreamSynchronize(reinterpret_cast<cudaStream_t>(stream)), "cudaStreamSynchronize");
        return JD_OK;
    });
}

JD_API jd_status jd_tally_mask(const uint16_t* acts, int images, int units, int in_h, int in_w,
                               const float* thresholds,
                               const int32_t* y0, const int32_t* y1, const float* fy,
                               const int32_t* x0, const int32_t* x1, const float* fx,
                               int out_h, int out_w,
                               const int32_t* labels, int layers, int num_labels,
                               unsigned long long* mask_counts,
                               unsigned long long* intersections, int64_t intersection_image_stride,
                               jd_stream stream, char* err, size_t err_len) {
    static const char* fn = "jd_tally_mask";
    return jd::guarded(fn, err, err_len, [&]() -> jd_status {
        if (images < 0 || units < 0 || in_h <= 0 || in_w <= 0 || out_h <= 0 || out_w <= 0 || layers < 0 ||
            num_labels < 1 || intersection_image_stride < 0) {
            return fail(JD_ERR_INVALID_ARGUMENT, err, err_len,
                        "%s: bad sizes (images=%d units=%d in=%dx%d out=%dx%d layers=%d num_labels=%d "
                        "intersection_image_stride=%lld): images, units, layers >= 0, sizes > 0, num_labels >= 1, "
                        "stride >= 0",
                        fn, images, units, in_h, in_w, out_h, out_w, layers, num_labels,
                        static_cast<long long>(intersection_image_stride));
        }
        const uint64_t blocks = static_cast<uint64_t>(images) * static_cast<uint64_t>(units);
        const uint64_t out_size = static_cast<uint64_t>(out_h) * static_cast<uint64_t>(out_w);
        const uint64_t map_size = static_cast<uint64_t>(in_h) * static_cast<uint64_t>(in_w);
        if (blocks > 0x7fffffffull || out_size > 0x7fffffffull || map_size > 0x7fffffffull) {
            return fail(JD_ERR_INVALID_ARGUMENT, err, err_len,
                        "%s: too large: images*units=%llu, out_h*out_w=%llu, in_h*in_w=%llu (each at most 2^31-1)",
                        fn, static_cast<unsigned long long>(blocks), static_cast<unsigned long long>(out_size),
                        static_cast<unsigned long long>(map_size));
        }
        const uint64_t per_image_inter = static_cast<uint64_t>(units) * static_cast<uint64_t>(num_labels);
        if (intersection_image_stride != 0 && static_cast<uint64_t>(intersection_image_stride) < per_image_inter) {
            return fail(JD_ERR_INVALID_ARGUMENT, err, err_len,
                        "%s: intersection_image_stride %lld overlaps images: use 0 (sum over images) or at least "
                        "units*num_labels = %llu",
                        fn, static_cast<long long>(intersection_image_stride),
                        static_cast<unsigned long long>(per_image_inter));
        }
        JD_REQUIRE_DRIVER();
        if (blocks == 0) return JD_OK;
        struct Named {
            const char* name;
            const void* p;
        };
        const Named required[] = {{"acts", acts}, {"thresholds", thresholds}, {"y0", y0}, {"y1", y1}, {"fy", fy},
                                  {"x0", x0}, {"x1", x1}, {"fx", fx}, {"mask_counts", mask_counts}};
        for (const Named& n : required) {
            jd_status s = jd::require_device_pointer(fn, n.name, n.p, err, err_len);
            if (s != JD_OK) return s;
        }
        if (layers > 0) {
            jd_status s = jd::require_device_pointer(fn, "labels", labels, err, err_len);
            if (s != JD_OK) return s;
            s = jd::require_device_pointer(fn, "intersections", intersections, err, err_len);
            if (s != JD_OK) return s;
        }
        jd::TallyMaskArgs args;
        args.acts = acts;
        args.images = images;
        args.units = units;
        args.in_h = in_h;
        args.in_w = in_w;
        args.thresholds = thresholds;
        args.y0 = y0;
        args.y1 = y1;
        args.fy = fy;
        args.x0 = x0;
        args.x1 = x1;
        args.fx = fx;
        args.out_h = out_h;
        args.out_w = out_w;
        args.labels = labels;
        args.layers = layers;
        args.num_labels = num_labels;
        args.mask_counts = mask_counts;
        args.intersections = intersections;
        args.intersection_image_stride = intersection_image_stride;
        cudaGetLastError();  // a stale non-sticky error must not be reported as this launch's
        JD_CUDA(jd::launch_tally_mask(args, reinterpret_cast<cudaStream_t>(stream)), "kernel launch");
        return JD_OK;
    });
}

}  // extern "C"

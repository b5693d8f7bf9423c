// Masked ablation and insertion in place: x = fma(a, r - x, x) in fp32 (Ablation.java), with the roundings pinned
// by intrinsics. A per-unit alpha of 0 leaves the unit untouched, as CpuBackend does (so infinities stay).
#include <cstdint>

#include "stats.cuh"

namespace jd {
namespace {

constexpr int kThreads = 256;

__global__ void __launch_bounds__(kThreads)
    ablate_kernel(float* __restrict__ x, long long total, int units, int hw, const float* __restrict__ alpha,
                  bool per_location, const float* __restrict__ replacement) {
    const long long stride = static_cast<long long>(gridDim.x) * kThreads;
    for (long long i = static_cast<long long>(blockIdx.x) * kThreads + threadIdx.x; i < total; i += stride) {
        const long long map = i / hw;
        const int j = static_cast<int>(i - map * hw);
        const int u = static_cast<int>(map % units);
        float a;
        if (per_location) {
            a = __ldg(alpha + static_cast<long long>(u) * hw + j);
        } else {
            a = __ldg(alpha + u);
            if (a == 0.0f) continue;
        }
        const float v = x[i];
        x[i] = __fmaf_rn(a, __fsub_rn(__ldg(replacement + u), v), v);
    }
}

}  // namespace

cudaError_t launch_ablate(float* x, long long images, int units, int hw, const float* alpha, long long alpha_count,
                          const float* replacement, cudaStream_t stream) {
    const long long total = images * units * static_cast<long long>(hw);
    if (total <= 0) return cudaSuccess;
    long long blocks = (total + kThreads - 1) / kThreads;
    if (blocks > 65536) blocks = 65536;
    const bool per_location = alpha_count == static_cast<long long>(units) * hw;
    ablate_kernel<<<static_cast<unsigned int>(blocks), kThreads, 0, stream>>>(x, total, units, hw, alpha,
                                                                             per_location, replacement);
    return cudaGetLastError();
}

}  // namespace jd

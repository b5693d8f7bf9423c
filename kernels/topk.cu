// Top-k images per unit by per-image maximum, merged chunk by chunk. An entry packs (order key << 32) with
// (0xffffffff - image), so one unsigned comparison orders by maximum and, for equal maxima, prefers the earlier
// image, as CpuBackend's TopK does. Entries are unique, so the r-th best is the largest entry below the (r-1)-th:
// k rounds of a block-wide maximum, one block per unit.
#include <cstdint>

#include "stats.cuh"

namespace jd {
namespace {

constexpr int kThreads = 256;

__device__ __forceinline__ unsigned long long block_max(unsigned long long v, unsigned long long* scratch) {
    for (int offset = 16; offset > 0; offset >>= 1) {
        const unsigned long long other = __shfl_xor_sync(0xffffffffu, v, offset);
        v = other > v ? other : v;
    }
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    __syncthreads();  // scratch may still be read from the previous round
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    unsigned long long best = scratch[0];
    for (int w = 1; w < kThreads / 32; w++) best = scratch[w] > best ? scratch[w] : best;
    return best;
}

__global__ void __launch_bounds__(kThreads)
    topk_merge_kernel(const unsigned long long* __restrict__ top_in, const int32_t* __restrict__ max_keys,
                      int images, int first_image, int k, unsigned long long* __restrict__ top_out) {
    __shared__ unsigned long long scratch[kThreads / 32];
    const int unit = blockIdx.x;
    const unsigned long long* previous = top_in + static_cast<long long>(unit) * k;
    unsigned long long* out = top_out + static_cast<long long>(unit) * k;
    const int candidates = k + images;
    const int32_t* unit_keys = max_keys + static_cast<long long>(unit) * images;  // coalesced across the block
    unsigned long long last = ~0ull;  // every entry is below it: keys have 16 bits
    for (int r = 0; r < k; r++) {
        unsigned long long best = 0ull;
        for (int c = threadIdx.x; c < candidates; c += kThreads) {
            unsigned long long e;
            if (c < k) {
                e = previous[c];
            } else {
                const int n = c - k;
                const unsigned int key = static_cast<unsigned int>(unit_keys[n]);
                e = (static_cast<unsigned long long>(key) << 32) |
                    static_cast<unsigned long long>(0xffffffffu - static_cast<unsigned int>(first_image + n));
            }
            if (e < last && e > best) best = e;
        }
        best = block_max(best, scratch);
        if (threadIdx.x == 0) out[r] = best;
        last = best;
        if (best == 0ull) {
            // Nothing left: the remaining slots stay empty.
            for (int s = r + 1 + threadIdx.x; s < k; s += kThreads) out[s] = 0ull;
            break;
        }
    }
}

}  // namespace

cudaError_t launch_topk_merge(const unsigned long long* top_in, const int32_t* max_keys, int images, int units,
                              int first_image, int k, unsigned long long* top_out, cudaStream_t stream) {
    if (units <= 0 || k <= 0) return cudaSuccess;
    topk_merge_kernel<<<units, kThreads, 0, stream>>>(top_in, max_keys, images, first_image, k, top_out);
    return cudaGetLastError();
}

}  // namespace jd

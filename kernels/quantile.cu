// Pass 1 of the exact quantile: histograms of fp16 order keys per unit (a coarse one of the high byte, then fine
// ones of the low byte within the two bins that hold the wanted order statistics), and per-image maxima.
//
// A block owns a group of kGroup consecutive units and a slice of images: for one image those units' maps are
// contiguous, so loads are coalesced. Counts go to 32-bit shared-memory histograms and are flushed with 64-bit
// global atomics; a slice is cut short enough that no shared counter can overflow.
#include <cstdint>

#include "keys.cuh"
#include "stats.cuh"

namespace jd {
namespace {

constexpr int kThreads = 256;
constexpr int kGroup = 16;                // units per block: 16 KiB (coarse) or 32 KiB (fine) of shared counters
constexpr long long kValuesPerBlock = 1 << 16;

template <bool kFine>
__global__ void __launch_bounds__(kThreads)
    histogram_kernel(const uint16_t* __restrict__ acts, int images, int units, int hw, int images_per_block,
                     const int32_t* __restrict__ bin_low, const int32_t* __restrict__ bin_high,
                     unsigned long long* __restrict__ hist) {
    constexpr int kBins = kFine ? 512 : 256;
    __shared__ unsigned int counts[kGroup * kBins];
    __shared__ int low[kGroup];
    __shared__ int high[kGroup];

    const int unit0 = blockIdx.x * kGroup;
    const int group = min(kGroup, units - unit0);
    const int image0 = blockIdx.y * images_per_block;
    const int slice = min(images_per_block, images - image0);
    for (int i = threadIdx.x; i < kGroup * kBins; i += kThreads) counts[i] = 0u;
    if (kFine && threadIdx.x < group) {
        low[threadIdx.x] = bin_low[unit0 + threadIdx.x];
        high[threadIdx.x] = bin_high[unit0 + threadIdx.x];
    }
    __syncthreads();
    if (slice > 0) {
        const long long span = static_cast<long long>(group) * hw;  // values of the group in one image
        const long long total = span * slice;
        const uint16_t* base = acts + (static_cast<long long>(image0) * units + unit0) * hw;
        const long long image_stride = static_cast<long long>(units) * hw;
        for (long long t = threadIdx.x; t < total; t += kThreads) {
            const long long n = t / span;
            const int r = static_cast<int>(t - n * span);
            const int u = r / hw;
            const unsigned int key = order_key(base[n * image_stride + r]);
            if (kFine) {
                const int bin = static_cast<int>(key >> 8);
                if (bin == low[u]) {
                    atomicAdd(counts + u * kBins + (key & 255u), 1u);
                } else if (bin == high[u]) {
                    atomicAdd(counts + u * kBins + 256 + (key & 255u), 1u);
                }
            } else {
                atomicAdd(counts + u * kBins + (key >> 8), 1u);
            }
        }
    }
    __syncthreads();
    unsigned long long* out = hist + static_cast<long long>(unit0) * kBins;
    for (int i = threadIdx.x; i < group * kBins; i += kThreads) {
        const unsigned int c = counts[i];
        if (c != 0u) atomicAdd(out + i, static_cast<unsigned long long>(c));
    }
}

__global__ void __launch_bounds__(kThreads)
    max_keys_kernel(const uint16_t* __restrict__ acts, int images, int units, int hw, int32_t* __restrict__ max_keys) {
    const long long maps = static_cast<long long>(images) * units;
    const long long map = static_cast<long long>(blockIdx.x) * (kThreads / 32) + (threadIdx.x >> 5);
    if (map >= maps) return;  // uniform per warp
    const int lane = threadIdx.x & 31;
    const uint16_t* src = acts + map * hw;
    unsigned int best = 0u;
    for (int j = lane; j < hw; j += 32) best = max(best, order_key(src[j]));
    best = __reduce_max_sync(0xffffffffu, best);
    // Unit-major, so that the top-k merge (one block per unit) reads its unit's maxima contiguously.
    const long long n = map / units;
    const int u = static_cast<int>(map - n * units);
    if (lane == 0) max_keys[static_cast<long long>(u) * images + n] = static_cast<int32_t>(best);
}

// Small maps: a block takes a tile of kTileImages images x kTileUnits units. Each image's kTileUnits maps are one
// contiguous run, copied to shared memory with coalesced loads (32-bit where aligned); then one thread reduces one
// map, and the maxima of kTileImages consecutive images of a unit are written together (unit-major, full sectors).
constexpr int kTileImages = 8;
constexpr int kTileUnits = 32;
constexpr int kMaxTileHw = (48 * 1024 / kTileImages - 4) / (kTileUnits * 2);  // 95 values per map (7x7, 9x9, ...)

// Halfs between two images' runs in the tile: 16 * hw + 1 32-bit words, an odd number, so the threads of one unit
// and consecutive images read different banks.
__host__ __device__ __forceinline__ int tile_stride(int hw) {
    return kTileUnits * hw + 2;
}

__global__ void __launch_bounds__(kThreads)
    max_keys_tile_kernel(const uint16_t* __restrict__ acts, int images, int units, int hw,
                         int32_t* __restrict__ max_keys) {
    extern __shared__ __align__(16) uint16_t tile[];
    const int u0 = blockIdx.x * kTileUnits;
    const int n0 = blockIdx.y * kTileImages;
    const int tu = min(kTileUnits, units - u0);
    const int ti = min(kTileImages, images - n0);
    const int run = tu * hw;  // values of one image in the tile
    for (int i = 0; i < ti; i++) {
        const uint16_t* src = acts + (static_cast<long long>(n0 + i) * units + u0) * hw;
        uint16_t* dst = tile + i * tile_stride(hw);
        if ((reinterpret_cast<uintptr_t>(src) & 3u) == 0 && (run & 1) == 0) {
            const unsigned int* s32 = reinterpret_cast<const unsigned int*>(src);
            unsigned int* d32 = reinterpret_cast<unsigned int*>(dst);
            for (int j = threadIdx.x; j < run / 2; j += kThreads) d32[j] = __ldg(s32 + j);
        } else {
            for (int j = threadIdx.x; j < run; j += kThreads) dst[j] = __ldg(src + j);
        }
    }
    __syncthreads();
    // Thread t: unit t / kTileImages, image t % kTileImages, so consecutive threads write consecutive images.
    const int u = threadIdx.x / kTileImages;
    const int i = threadIdx.x - u * kTileImages;
    if (u >= tu || i >= ti) return;
    const uint16_t* map = tile + i * tile_stride(hw) + u * hw;
    unsigned int best = 0u;
    for (int j = 0; j < hw; j++) best = max(best, order_key(map[j]));
    max_keys[static_cast<long long>(u0 + u) * images + n0 + i] = static_cast<int32_t>(best);
}

template <bool kFine>
cudaError_t launch_histogram(const uint16_t* acts, int images, int units, int hw, const int32_t* bin_low,
                             const int32_t* bin_high, unsigned long long* hist, cudaStream_t stream) {
    if (images <= 0 || units <= 0) return cudaSuccess;
    const long long per_image = static_cast<long long>(kGroup) * hw;
    long long per_block = kValuesPerBlock / per_image;
    if (per_block < 1) per_block = 1;
    // A shared counter sees at most per_block * hw values: keep it far from 2^32.
    const long long cap = (1ll << 30) / hw;
    if (per_block > cap) per_block = cap < 1 ? 1 : cap;
    long long slices = (images + per_block - 1) / per_block;
    if (slices > 65535) {
        per_block = (images + 65534) / 65535;
        slices = (images + per_block - 1) / per_block;
    }
    const dim3 grid((units + kGroup - 1) / kGroup, static_cast<unsigned int>(slices));
    histogram_kernel<kFine><<<grid, kThreads, 0, stream>>>(acts, images, units, hw, static_cast<int>(per_block),
                                                           bin_low, bin_high, hist);
    return cudaGetLastError();
}

}  // namespace

cudaError_t launch_coarse_histogram(const uint16_t* acts, int images, int units, int hw,
                                    unsigned long long* hist, cudaStream_t stream) {
    return launch_histogram<false>(acts, images, units, hw, nullptr, nullptr, hist, stream);
}

cudaError_t launch_fine_histogram(const uint16_t* acts, int images, int units, int hw, const int32_t* bin_low,
                                  const int32_t* bin_high, unsigned long long* fine, cudaStream_t stream) {
    return launch_histogram<true>(acts, images, units, hw, bin_low, bin_high, fine, stream);
}

cudaError_t launch_max_keys(const uint16_t* acts, int images, int units, int hw, int32_t* max_keys,
                            cudaStream_t stream) {
    const long long maps = static_cast<long long>(images) * units;
    if (maps <= 0) return cudaSuccess;
    static_assert(kTileImages * kTileUnits == kThreads, "one thread per map of the tile");
    const long long image_tiles = (images + kTileImages - 1) / kTileImages;
    if (hw <= kMaxTileHw && image_tiles <= 65535) {
        const dim3 grid((units + kTileUnits - 1) / kTileUnits, static_cast<unsigned int>(image_tiles));
        const size_t shared = static_cast<size_t>(kTileImages) * tile_stride(hw) * sizeof(uint16_t);
        max_keys_tile_kernel<<<grid, kThreads, shared, stream>>>(acts, images, units, hw, max_keys);
        return cudaGetLastError();
    }
    const long long blocks = (maps + kThreads / 32 - 1) / (kThreads / 32);
    max_keys_kernel<<<static_cast<unsigned int>(blocks), kThreads, 0, stream>>>(acts, images, units, hw, max_keys);
    return cudaGetLastError();
}

}  // namespace jd

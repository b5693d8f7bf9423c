// Pass-2 tally, per-pixel mask: bilinear upsampling of each (image, unit) activation map to the label size,
// thresholding, and counting of the mask and of its intersection with every label layer.
//
// One block per (image, unit). The map is staged in shared memory as fp32 (when it fits) while its maximum is
// reduced; a unit whose maximum is <= its threshold has an empty mask (bilinear values never exceed the maximum)
// and the block returns at once. Intersections are gathered in a 32-bit shared-memory histogram (when the label
// range fits) and flushed with 64-bit global atomics, so equal labels of neighbouring pixels do not contend on
// global memory.
#include <cuda_fp16.h>

#include "tally_mask.cuh"

namespace jd {
namespace {

constexpr int kThreads = 256;
// Stay within the default 48 KiB of shared memory per block, so no opt-in attribute is needed on any arch.
constexpr size_t kSharedBudget = 48 * 1024 - 512;  // leaves room for the static shared variables

__device__ __forceinline__ float half_bits_to_float(uint16_t bits) {
    return __half2float(__ushort_as_half(bits));
}

// The upsampled value at output pixel (y, x): the arithmetic contract shared with the Java CPU backend. The
// intrinsics pin every rounding, so nvcc cannot contract or reassociate differently.
template <bool kMapInShared>
__device__ __forceinline__ float upsampled(const float* smap, const uint16_t* gmap, int in_w, int ya, int yb, float wy,
                                           int xa, int xb, float wx) {
    float a, b, c, d;
    if (kMapInShared) {
        a = smap[ya * in_w + xa];
        b = smap[ya * in_w + xb];
        c = smap[yb * in_w + xa];
        d = smap[yb * in_w + xb];
    } else {
        a = half_bits_to_float(__ldg(gmap + ya * in_w + xa));
        b = half_bits_to_float(__ldg(gmap + ya * in_w + xb));
        c = half_bits_to_float(__ldg(gmap + yb * in_w + xa));
        d = half_bits_to_float(__ldg(gmap + yb * in_w + xb));
    }
    const float top = __fmaf_rn(wx, __fsub_rn(b, a), a);
    const float bottom = __fmaf_rn(wx, __fsub_rn(d, c), c);
    return __fmaf_rn(wy, __fsub_rn(bottom, top), top);
}

template <bool kMapInShared, bool kHistInShared>
__global__ void __launch_bounds__(kThreads) tally_mask_kernel(TallyMaskArgs args) {
    extern __shared__ __align__(16) unsigned char shared_raw[];
    __shared__ float warp_max[kThreads / 32];
    __shared__ unsigned long long warp_count[kThreads / 32];
    __shared__ bool empty_mask;

    const int units = args.units;
    const int block = blockIdx.x;  // image * units + unit
    const int image = block / units;
    const int unit = block - image * units;
    const int map_size = args.in_h * args.in_w;
    const uint16_t* gmap = args.acts + static_cast<size_t>(block) * map_size;
    const float threshold = args.thresholds[unit];

    float* smap = reinterpret_cast<float*>(shared_raw);
    unsigned int* hist =
        reinterpret_cast<unsigned int*>(shared_raw + (kMapInShared ? ((static_cast<size_t>(map_size) * 4 + 15) & ~size_t(15)) : 0));

    // Stage the map and reduce its maximum (fmaxf ignores NaN; NaN values never pass "value > threshold").
    float local_max = -INFINITY;
    for (int i = threadIdx.x; i < map_size; i += kThreads) {
        const float v = half_bits_to_float(gmap[i]);
        if (kMapInShared) {
            smap[i] = v;
        }
        local_max = fmaxf(local_max, v);
    }
    for (int offset = 16; offset > 0; offset >>= 1) {
        local_max = fmaxf(local_max, __shfl_xor_sync(0xffffffffu, local_max, offset));
    }
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    if (lane == 0) {
        warp_max[warp] = local_max;
    }
    if (kHistInShared) {
        for (int l = threadIdx.x; l < args.num_labels; l += kThreads) {
            hist[l] = 0u;
        }
    }
    __syncthreads();
    if (threadIdx.x == 0) {
        float m = warp_max[0];
        for (int w = 1; w < kThreads / 32; w++) {
            m = fmaxf(m, warp_max[w]);
        }
        empty_mask = !(m > threshold);
    }
    __syncthreads();
    if (empty_mask) {
        return;  // uniform across the block
    }

    const int out_w = args.out_w;
    const int out_size = args.out_h * out_w;
    const int layers = args.layers;
    const int num_labels = args.num_labels;
    const int32_t* labels = args.labels + static_cast<size_t>(image) * layers * out_size;
    unsigned long long* inter =
        args.intersections + static_cast<int64_t>(image) * args.intersection_image_stride +
        static_cast<int64_t>(unit) * num_labels;

    unsigned int count = 0;  // per thread: at most out_size / kThreads + 1 pixels
    for (int p = threadIdx.x; p < out_size; p += kThreads) {
        const int y = p / out_w;
        const int x = p - y * out_w;
        const float v = upsampled<kMapInShared>(smap, gmap, args.in_w, __ldg(args.y0 + y), __ldg(args.y1 + y),
                                                __ldg(args.fy + y), __ldg(args.x0 + x), __ldg(args.x1 + x),
                                                __ldg(args.fx + x));
        if (v > threshold) {
            count++;
            for (int layer = 0; layer < layers; layer++) {
                const int32_t label = __ldg(labels + static_cast<size_t>(layer) * out_size + p);
                if (label > 0 && label < num_labels) {
                    if (kHistInShared) {
                        atomicAdd(hist + label, 1u);
                    } else {
                        atomicAdd(inter + label, 1ull);
                    }
                }
            }
        }
    }

    unsigned long long total = count;
    for (int offset = 16; offset > 0; offset >>= 1) {
        total += __shfl_xor_sync(0xffffffffu, total, offset);
    }
    if (lane == 0) {
        warp_count[warp] = total;
    }
    __syncthreads();  // also completes the shared histogram
    if (threadIdx.x == 0) {
        unsigned long long sum = 0;
        for (int w = 0; w < kThreads / 32; w++) {
            sum += warp_count[w];
        }
        if (sum != 0) {
            atomicAdd(args.mask_counts + block, sum);
        }
    }
    if (kHistInShared) {
        for (int l = threadIdx.x; l < num_labels; l += kThreads) {
            const unsigned int c = hist[l];
            if (c != 0u) {
                atomicAdd(inter + l, static_cast<unsigned long long>(c));
            }
        }
    }
}

template <bool kMapInShared, bool kHistInShared>
cudaError_t launch(const TallyMaskArgs& args, size_t shared_bytes, cudaStream_t stream) {
    const unsigned int blocks = static_cast<unsigned int>(args.images) * static_cast<unsigned int>(args.units);
    tally_mask_kernel<kMapInShared, kHistInShared><<<blocks, kThreads, shared_bytes, stream>>>(args);
    return cudaGetLastError();
}

}  // namespace

cudaError_t launch_tally_mask(const TallyMaskArgs& args, cudaStream_t stream) {
    if (args.images == 0 || args.units == 0) {
        return cudaSuccess;
    }
    const size_t map_bytes = (static_cast<size_t>(args.in_h) * args.in_w * sizeof(float) + 15) & ~size_t(15);
    // A block's histogram counts at most out_size * layers pixels: it must fit 32 bits.
    const bool hist_fits_32 =
        static_cast<uint64_t>(args.out_h) * args.out_w * static_cast<uint64_t>(args.layers) < (1ull << 32);
    const size_t hist_bytes = args.layers > 0 && hist_fits_32 ? static_cast<size_t>(args.num_labels) * sizeof(unsigned int) : 0;
    const bool want_hist = hist_bytes > 0;
    if (want_hist && map_bytes + hist_bytes <= kSharedBudget) {
        return launch<true, true>(args, map_bytes + hist_bytes, stream);
    }
    if (map_bytes <= kSharedBudget) {
        if (want_hist && hist_bytes <= kSharedBudget) {
            // Prefer the histogram when both do not fit together: label contention costs more than map reads.
            return launch<false, true>(args, hist_bytes, stream);
        }
        return launch<true, false>(args, map_bytes, stream);
    }
    if (want_hist && hist_bytes <= kSharedBudget) {
        return launch<false, true>(args, hist_bytes, stream);
    }
    return launch<false, false>(args, 0, stream);
}

}  // namespace jd

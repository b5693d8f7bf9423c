// Pass 2, fused: resizing of every (image, unit) map to the image's label size exactly as PIL's resize(BILINEAR) in
// mode F (Upsampling.java: the taps' weights in double, each pass summed in double from 0.0 in tap order with every
// product and sum rounded on its own (__dmul_rn, __dadd_rn: no contraction into fma, which PIL's compiled C does not
// do either), rounded to float after each pass), thresholding, and the counts of BRODEN.md: intersections per unit and
// label (pixel layers and image-level labels), activation per unit and category (only categories the mask touches,
// or the image's image-level labels), label pixels, and |mask|. Label sizes may differ per image.
//
// One warp per (image, unit); a block holds kWarps units of one image so that they share the image's labels in L1.
// As in CpuBackend, only output pixels that read a sample above T are visited (a resized value is a convex mix of
// what it reads; normalised double weights sum to 1 within far less than half a float ulp): the rows and columns of those samples are reduced across the warp, and the per-grid tables ylo/yhi/
// xlo/xhi give the output rectangle that reads them; a map with no sample above T costs one read. Equal labels of
// neighbouring pixels are combined with __match_any_sync before one 64-bit atomic per label and step.
#include <climits>
#include <cstdint>

#include <cuda_fp16.h>

#include "stats.cuh"

namespace jd {
namespace {

constexpr int kThreads = 256;
constexpr int kWarps = kThreads / 32;
constexpr int kMaxStagedMap = 1024;  // floats per warp staged in shared memory (up to 32x32 maps)
constexpr size_t kSharedLimit = 48 * 1024;
constexpr unsigned int kFull = 0xffffffffu;

__device__ __forceinline__ float half_bits_to_float(uint16_t bits) {
    return __half2float(__ushort_as_half(bits));
}

template <bool kStage>
__device__ __forceinline__ float sample(const float* map, const uint16_t* src, int i) {
    return kStage ? map[i] : half_bits_to_float(__ldg(src + i));
}

template <bool kStage>
__global__ void __launch_bounds__(kThreads) tally_kernel(TallyArgs a, int groups, int cat_words, int map_floats) {
    extern __shared__ __align__(16) unsigned int shared_words[];
    const int warp = threadIdx.x >> 5;
    const int lane = threadIdx.x & 31;
    const long long block = blockIdx.x;
    const int image = static_cast<int>(block / groups);
    const int unit = static_cast<int>(block - static_cast<long long>(image) * groups) * kWarps + warp;
    if (unit >= a.units) return;  // whole warps only; no block-wide barrier follows

    unsigned int* cats = shared_words + warp * cat_words;
    float* map = reinterpret_cast<float*>(shared_words + kWarps * cat_words) + warp * map_floats;
    const int64_t* info = a.info + static_cast<long long>(image) * kImageFields;
    const int sh = static_cast<int>(info[kLabelHeight]);
    const int sw = static_cast<int>(info[kLabelWidth]);
    const int layers = static_cast<int>(info[kLayers]);
    const int h = a.h;
    const int w = a.w;
    const int hw = h * w;
    const uint16_t* src = a.acts + (static_cast<long long>(image) * a.units + unit) * hw;
    const float t = a.thresholds[unit];

    // The rows and columns of the samples above T (NaN is never above).
    int rmin = INT_MAX, rmax = -1, cmin = INT_MAX, cmax = -1;
    for (int j = lane; j < hw; j += 32) {
        const float v = half_bits_to_float(src[j]);
        if (kStage) map[j] = v;
        if (v > t) {
            const int y = j / w;
            const int x = j - y * w;
            rmin = min(rmin, y);
            rmax = max(rmax, y);
            cmin = min(cmin, x);
            cmax = max(cmax, x);
        }
    }
    rmax = __reduce_max_sync(kFull, rmax);
    if (rmax < 0) return;  // the map's maximum is <= T: empty mask
    rmin = __reduce_min_sync(kFull, rmin);
    cmin = __reduce_min_sync(kFull, cmin);
    cmax = __reduce_max_sync(kFull, cmax);
    for (int i = lane; i < cat_words; i += 32) cats[i] = 0u;
    __syncwarp();

    const int32_t* gi = a.grid_ints + info[kGridInts];
    const int32_t* yfirst = gi;
    const int32_t* ycount = yfirst + sh;
    const int32_t* xfirst = ycount + sh;
    const int32_t* xcount = xfirst + sw;
    const int32_t* ylo = xcount + sw;
    const int32_t* yhi = ylo + h;
    const int32_t* xlo = yhi + h;
    const int32_t* xhi = xlo + w;
    const double* wy = a.grid_weights + info[kGridWeights];
    const double* wx = wy + static_cast<long long>(sh) * kMaxTaps;
    const int ya = ylo[rmin], yb = yhi[rmax], xa = xlo[cmin], xb = xhi[cmax];

    const int num_labels = a.num_labels;
    unsigned long long* inter = a.intersection + static_cast<long long>(unit) * num_labels;
    unsigned int count = 0;
    if (ya <= yb && xa <= xb) {
        const int bw = xb - xa + 1;
        const int total = (yb - ya + 1) * bw;
        const uint16_t* labels = a.labels + (info[kLabelOffset] - a.label_base);
        const long long plane = static_cast<long long>(sh) * sw;
        for (int base = 0; base < total; base += 32) {
            const int p = base + lane;
            bool hit = false;
            int pixel = 0;
            if (p < total) {
                const int row = p / bw;
                const int y = ya + row;
                const int x = xa + (p - row * bw);
                const int fy = __ldg(yfirst + y);
                const int ny = __ldg(ycount + y);
                const int fx = __ldg(xfirst + x);
                const int nx = __ldg(xcount + x);
                const double* ky = wy + y * kMaxTaps;
                const double* kx = wx + x * kMaxTaps;
                // PIL: the horizontal pass's value of each source row read (a float), then the vertical pass.
                double acc = 0.0;
                for (int ty = 0; ty < ny; ty++) {
                    const int r = (fy + ty) * w + fx;
                    double line = 0.0;
                    for (int tx = 0; tx < nx; tx++) {
                        line = __dadd_rn(line, __dmul_rn(static_cast<double>(sample<kStage>(map, src, r + tx)),
                                                       __ldg(kx + tx)));
                    }
                    acc = __dadd_rn(acc, __dmul_rn(static_cast<double>(__double2float_rn(line)), __ldg(ky + ty)));
                }
                const float value = __double2float_rn(acc);
                hit = value > t;
                pixel = y * sw + x;
            }
            if (!__any_sync(kFull, hit)) continue;
            count += hit ? 1u : 0u;
            for (int layer = 0; layer < layers; layer++) {
                const unsigned int label = hit ? static_cast<unsigned int>(__ldg(labels + layer * plane + pixel)) : 0u;
                const unsigned int peers = __match_any_sync(kFull, label);
                if (label != 0u && label < static_cast<unsigned int>(num_labels) && lane == __ffs(peers) - 1) {
                    atomicAdd(inter + label, static_cast<unsigned long long>(__popc(peers)));
                    const int c = __ldg(a.primary + label);
                    if (c >= 0) atomicOr(cats + (c >> 5), 1u << (c & 31));
                }
            }
        }
    }
    count = __reduce_add_sync(kFull, count);
    if (count == 0u) return;
    const unsigned long long size = count;
    if (lane == 0) atomicAdd(a.mask_pixels + unit, size);
    const int32_t* levels = a.levels + (info[kLevelOffset] - a.level_base);
    const int level_count = static_cast<int>(info[kLevelCount]);
    for (int j = lane; j < level_count; j += 32) {
        const int l = levels[j];
        if (l > 0 && l < num_labels) {
            atomicAdd(inter + l, size);
            const int c = a.primary[l];
            if (c >= 0) atomicOr(cats + (c >> 5), 1u << (c & 31));
        }
    }
    __syncwarp();
    unsigned long long* act = a.activation + static_cast<long long>(unit) * a.num_categories;
    for (int i = lane; i < cat_words; i += 32) {
        unsigned int bits = cats[i];
        while (bits != 0u) {
            const int b = __ffs(bits) - 1;
            bits &= bits - 1u;
            atomicAdd(act + i * 32 + b, size);
        }
    }
}

// L: label pixels of every layer, and sh * sw per image-level label. One block per image.
template <bool kSharedHist>
__global__ void __launch_bounds__(kThreads) label_pixels_kernel(TallyArgs a) {
    extern __shared__ __align__(16) unsigned int hist[];
    const int image = blockIdx.x;
    const int lane = threadIdx.x & 31;
    const int num_labels = a.num_labels;
    const int64_t* info = a.info + static_cast<long long>(image) * kImageFields;
    const long long plane = info[kLabelHeight] * info[kLabelWidth];
    const long long total = plane * info[kLayers];
    if (kSharedHist) {
        for (int l = threadIdx.x; l < num_labels; l += kThreads) hist[l] = 0u;
        __syncthreads();
    }
    const uint16_t* labels = a.labels + (info[kLabelOffset] - a.label_base);
    for (long long base = 0; base < total; base += kThreads) {
        const long long p = base + threadIdx.x;
        const unsigned int label = p < total ? static_cast<unsigned int>(__ldg(labels + p)) : 0u;
        const unsigned int peers = __match_any_sync(kFull, label);
        if (label != 0u && label < static_cast<unsigned int>(num_labels) && lane == __ffs(peers) - 1) {
            if (kSharedHist) {
                atomicAdd(hist + label, static_cast<unsigned int>(__popc(peers)));
            } else {
                atomicAdd(a.label_pixels + label, static_cast<unsigned long long>(__popc(peers)));
            }
        }
    }
    if (kSharedHist) {
        __syncthreads();
        for (int l = threadIdx.x; l < num_labels; l += kThreads) {
            if (hist[l] != 0u) atomicAdd(a.label_pixels + l, static_cast<unsigned long long>(hist[l]));
        }
    }
    const int32_t* levels = a.levels + (info[kLevelOffset] - a.level_base);
    const int level_count = static_cast<int>(info[kLevelCount]);
    for (int j = threadIdx.x; j < level_count; j += kThreads) {
        const int l = levels[j];
        if (l > 0 && l < num_labels) atomicAdd(a.label_pixels + l, static_cast<unsigned long long>(plane));
    }
}

}  // namespace

cudaError_t launch_tally(const TallyArgs& a, cudaStream_t stream) {
    if (a.images <= 0) return cudaSuccess;
    const int groups = (a.units + kWarps - 1) / kWarps;
    const int cat_words = a.num_categories > 0 ? (a.num_categories + 31) / 32 : 1;
    const int hw = a.h * a.w;
    const size_t cat_bytes = static_cast<size_t>(kWarps) * cat_words * sizeof(unsigned int);
    const size_t staged_bytes = cat_bytes + static_cast<size_t>(kWarps) * hw * sizeof(float);
    const unsigned int blocks = static_cast<unsigned int>(static_cast<long long>(a.images) * groups);
    if (a.units > 0) {
        if (hw <= kMaxStagedMap && staged_bytes <= kSharedLimit) {
            tally_kernel<true><<<blocks, kThreads, staged_bytes, stream>>>(a, groups, cat_words, hw);
        } else if (cat_bytes <= kSharedLimit) {
            tally_kernel<false><<<blocks, kThreads, cat_bytes, stream>>>(a, groups, cat_words, 0);
        } else {
            return cudaErrorInvalidValue;  // the C API limits the number of categories
        }
        const cudaError_t e = cudaGetLastError();
        if (e != cudaSuccess) return e;
    }
    const size_t hist_bytes = static_cast<size_t>(a.num_labels) * sizeof(unsigned int);
    if (hist_bytes <= kSharedLimit) {
        label_pixels_kernel<true><<<a.images, kThreads, hist_bytes, stream>>>(a);
    } else {
        label_pixels_kernel<false><<<a.images, kThreads, 0, stream>>>(a);
    }
    return cudaGetLastError();
}

}  // namespace jd

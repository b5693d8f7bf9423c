// Launchers of the statistics kernels (quantile.cu, topk.cu, tally.cu, ablate.cu). Arguments are validated by the
// C API (native/jdissect_stats.cpp); every launcher only enqueues work on the stream and returns the launch error.
#ifndef JD_STATS_CUH
#define JD_STATS_CUH

#include <cstdint>

#include <cuda_runtime_api.h>

namespace jd {

// ---- pass 1: fp16 order-key histograms and per-image maxima (quantile.cu)

// hist[u][256] += count of values of unit u whose order key has high byte b, over images [0, images) of acts
// ([images][units][hw] fp16 bits).
cudaError_t launch_coarse_histogram(const uint16_t* acts, int images, int units, int hw,
                                    unsigned long long* hist, cudaStream_t stream);

// fine[u][0..255] += count of keys (bin_low[u] << 8 | b); fine[u][256..511] += count of keys (bin_high[u] << 8 | b)
// when bin_high[u] != bin_low[u] (a key in bin_low is counted once, in the first half).
cudaError_t launch_fine_histogram(const uint16_t* acts, int images, int units, int hw, const int32_t* bin_low,
                                  const int32_t* bin_high, unsigned long long* fine, cudaStream_t stream);

// max_keys[u * images + n] = the largest order key of image n's map of unit u (unit-major).
cudaError_t launch_max_keys(const uint16_t* acts, int images, int units, int hw, int32_t* max_keys,
                            cudaStream_t stream);

// ---- top-k images per unit (topk.cu)

// Entries are (key << 32) | (0xffffffff - image): larger is better, equal keys favour the earlier image; 0 is an
// empty slot. out[u][0..k) = the k largest of top_in[u][0..k) and the chunk's entries (images first_image + n).
cudaError_t launch_topk_merge(const unsigned long long* top_in, const int32_t* max_keys, int images, int units,
                              int first_image, int k, unsigned long long* top_out, cudaStream_t stream);

// ---- pass 2: the fused tally (tally.cu)

// The most taps of one resizing axis the kernel reads: an axis that grows (or keeps its size) reads at most 3
// samples in PIL's bilinear filter (two of non-zero weight; see Upsampling.java).
constexpr int kMaxTaps = 3;

// Per image of a chunk, 8 int64 values (see jdissect_cuda.h, jd_tally_chunk).
enum TallyImageField {
    kLabelOffset = 0, kLabelHeight = 1, kLabelWidth = 2, kLayers = 3, kLevelOffset = 4, kLevelCount = 5,
    kGridInts = 6, kGridWeights = 7, kImageFields = 8
};

struct TallyArgs {
    const uint16_t* acts;  // [images][units][h][w]
    int images, units, h, w;
    const float* thresholds;  // [units]
    const int64_t* info;      // [images][kImageFields]
    const uint16_t* labels;   // pixel labels, image n's at info[n][kLabelOffset] - label_base
    int64_t label_base;
    const int32_t* levels;    // image-level labels, image n's at info[n][kLevelOffset] - level_base
    int64_t level_base;
    const int32_t* grid_ints;    // per grid: yfirst[sh] ycount[sh] xfirst[sw] xcount[sw] ylo[h] yhi[h] xlo[w] xhi[w]
    const double* grid_weights;  // per grid: wy[sh][kMaxTaps] wx[sw][kMaxTaps]
    int num_labels, num_categories;
    const int32_t* primary;   // [num_labels] primary category or -1
    unsigned long long* intersection;  // [units][num_labels]
    unsigned long long* activation;    // [units][num_categories]
    unsigned long long* mask_pixels;   // [units]
    unsigned long long* label_pixels;  // [num_labels]
};

// Adds the chunk's counts to intersection, activation, mask_pixels and label_pixels.
cudaError_t launch_tally(const TallyArgs& args, cudaStream_t stream);

// ---- interventions (ablate.cu)

// x = fma(a, r - x, x) over [images][units][hw]; alpha per unit (alpha_count == units; a unit with alpha 0 is left
// as it is) or per unit and location (alpha_count == units * hw).
cudaError_t launch_ablate(float* x, long long images, int units, int hw, const float* alpha, long long alpha_count,
                          const float* replacement, cudaStream_t stream);

}  // namespace jd

#endif

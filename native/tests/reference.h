// Host reference for the native tests: straightforward loops, written from the contract in jdissect_cuda.h and
// CpuBackend (every pixel of every map, no shortcut).
#ifndef JD_TEST_REFERENCE_H
#define JD_TEST_REFERENCE_H

#include <cstdint>
#include <vector>

namespace jdtest {

// IEEE half <-> float (round to nearest even), independent of any CUDA header.
float half_to_float(uint16_t h);
uint16_t float_to_half(float f);

// The taps of one axis, from in to out samples, as Upsampling.axis makes them: PIL's precompute_coeffs for the
// bilinear filter (the formula in jdissect_cuda.h, jd_tally_chunk), an axis that keeps its size read as one tap of
// weight 1 per index. Output i reads count[i] samples from first[i] with weights weight[i][k].
struct Taps {
    std::vector<int32_t> first, count;
    std::vector<std::vector<double>> weight;
};
Taps taps(int in, int out);

// The resized value at (y, x) of one map (floats, row-major in_w), as PIL computes it in mode F: each source row's
// horizontal pass in double rounded to float, then the vertical pass.
float resized(const float* map, int in_w, const Taps& ty, const Taps& tx, int y, int x);

// One label size's tables as jd_tally_chunk reads them (ints yfirst ycount xfirst xcount ylo yhi xlo xhi; weights
// wy[sh][3] wx[sw][3]), for an h x w map and sh x sw labels.
struct Grid {
    std::vector<int32_t> ints;
    std::vector<double> weights;
};
Grid grid(int h, int w, int sh, int sw);

// A pass-2 problem as jd_tally_begin and jd_tally_chunk see it, one label size per image.
struct Image {
    int sh, sw;
    std::vector<std::vector<uint16_t>> layers;  // [layers][sh * sw]
    std::vector<int32_t> levels;                // image-level labels
};

struct TallyCase {
    int units, h, w, num_labels, num_cats;
    std::vector<uint16_t> acts;  // [images][units][h][w] fp16 bits
    std::vector<float> thresholds;
    std::vector<int32_t> primary;  // [num_labels] primary category or -1
    std::vector<Image> images;
};

// The sums jd_tally_finish returns.
struct Counts {
    std::vector<int64_t> inter, act, lpix, mask;  // [units][num_labels], [units][num_cats], [num_labels], [units]
};

Counts reference_tally(const TallyCase& c);

}  // namespace jdtest

#endif

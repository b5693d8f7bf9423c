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

// The bilinear source tables of one axis, from in to out samples, as Upsampling.axis makes them (the formula in
// jdissect_cuda.h, jd_tally_chunk): i0, i1 and f per output index.
struct Tables {
    std::vector<int32_t> i0, i1;
    std::vector<float> f;
};
Tables tables(int in, int out);

// The upsampled value at (y, x) of one map (floats, row-major in_w), per the contract.
float upsampled(const float* map, int in_w, const Tables& ty, const Tables& tx, int y, int x);

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

// Host reference for the native tests: straightforward loops, written from the contract in jdissect_cuda.h.
#ifndef JD_TEST_REFERENCE_H
#define JD_TEST_REFERENCE_H

#include <cstdint>
#include <vector>

namespace jdtest {

// IEEE half <-> float (round to nearest even), independent of any CUDA header.
float half_to_float(uint16_t h);
uint16_t float_to_half(float f);

struct Tables {
    std::vector<int32_t> i0, i1;
    std::vector<float> f;
};

// Tables from jd_bilinear_tables; aborts the test on failure.
Tables tables(int in, int out);

// The upsampled value at (y, x) of one map (floats, row-major in_w), per the contract.
float upsampled(const float* map, int in_w, const Tables& ty, const Tables& tx, int y, int x);

struct TallyProblem {
    int images = 0, units = 0, in_h = 0, in_w = 0, out_h = 0, out_w = 0, layers = 0, num_labels = 1;
    std::vector<uint16_t> acts;       // [images][units][in_h][in_w]
    std::vector<float> thresholds;    // [units]
    std::vector<int32_t> labels;      // [images][layers][out_h * out_w]
};

struct TallyResult {
    std::vector<uint64_t> mask_counts;    // [images][units]
    std::vector<uint64_t> intersections;  // [images][units][num_labels]
};

// Every pixel of every (image, unit), no shortcut for empty masks.
TallyResult reference_tally(const TallyProblem& p);

}  // namespace jdtest

#endif

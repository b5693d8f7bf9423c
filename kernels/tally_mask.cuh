// Launcher of the pass-2 tally mask kernel (kernels/tally_mask.cu); arguments are validated by the C API.
#ifndef JD_TALLY_MASK_CUH
#define JD_TALLY_MASK_CUH

#include <cstdint>

#include <cuda_runtime_api.h>

namespace jd {

struct TallyMaskArgs {
    const uint16_t* acts;  // [images][units][in_h][in_w] fp16 bits
    int images, units, in_h, in_w;
    const float* thresholds;  // [units]
    const int32_t* y0;
    const int32_t* y1;
    const float* fy;  // [out_h]
    const int32_t* x0;
    const int32_t* x1;
    const float* fx;  // [out_w]
    int out_h, out_w;
    const int32_t* labels;  // [images][layers][out_h * out_w]
    int layers, num_labels;
    unsigned long long* mask_counts;    // [images][units]
    unsigned long long* intersections;  // n * image_stride + u * num_labels + l
    int64_t intersection_image_stride;
};

// Enqueues the kernel; returns the launch error (cudaSuccess when enqueued).
cudaError_t launch_tally_mask(const TallyMaskArgs& args, cudaStream_t stream);

}  // namespace jd

#endif

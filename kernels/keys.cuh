// fp16 order keys on the device: the same mapping as org.jdissect.stats.Fp16.sortKey.
#ifndef JD_KEYS_CUH
#define JD_KEYS_CUH

#include <cstdint>

namespace jd {

// Orders half values as their float values order: negative values bit-inverted, positive ones with the sign bit
// set; -0 just below +0, NaNs at both ends beyond the infinities.
__device__ __forceinline__ unsigned int order_key(unsigned int bits) {
    return bits ^ (0x8000u | ((bits >> 15) * 0x7fffu));
}

}  // namespace jd

#endif

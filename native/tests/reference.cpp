#include "reference.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "jdissect_cuda.h"

namespace jdtest {

float half_to_float(uint16_t h) {
    const uint32_t sign = static_cast<uint32_t>(h >> 15) << 31;
    const uint32_t exp = (h >> 10) & 0x1f;
    const uint32_t mant = h & 0x3ff;
    uint32_t bits;
    if (exp == 0x1f) {
        bits = sign | 0x7f800000u | (mant << 13);
    } else if (exp == 0) {
        const float v = std::ldexp(static_cast<float>(mant), -24);
        return sign != 0 ? -v : v;
    } else {
        bits = sign | ((exp + 112) << 23) | (mant << 13);
    }
    float f;
    std::memcpy(&f, &bits, sizeof(f));
    return f;
}

uint16_t float_to_half(float f) {
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof(bits));
    const uint32_t sign = (bits >> 16) & 0x8000u;
    const uint32_t abs = bits & 0x7fffffffu;
    if (abs >= 0x7f800000u) {
        return static_cast<uint16_t>(sign | 0x7c00u | (abs > 0x7f800000u ? 0x200u : 0u));
    }
    if (abs >= 0x477ff000u) {
        return static_cast<uint16_t>(sign | 0x7c00u);
    }
    if (abs < 0x38800000u) {
        float magnitude;
        std::memcpy(&magnitude, &abs, sizeof(magnitude));
        return static_cast<uint16_t>(sign | static_cast<uint32_t>(std::nearbyint(magnitude * 16777216.0f)));
    }
    uint32_t rounded = (((abs >> 23) - 112) << 10) | ((abs & 0x7fffffu) >> 13);
    const uint32_t rest = abs & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (rounded & 1u) != 0)) {
        rounded++;
    }
    return static_cast<uint16_t>(sign | rounded);
}

Tables tables(int in, int out) {
    Tables t;
    t.i0.resize(out);
    t.i1.resize(out);
    t.f.resize(out);
    char err[256];
    if (jd_bilinear_tables(in, out, t.i0.data(), t.i1.data(), t.f.data(), err, sizeof(err)) != JD_OK) {
        std::fprintf(stderr, "jd_bilinear_tables(%d, %d) failed: %s\n", in, out, err);
        std::exit(1);
    }
    return t;
}

float upsampled(const float* map, int in_w, const Tables& ty, const Tables& tx, int y, int x) {
    const float* r0 = map + static_cast<size_t>(ty.i0[y]) * in_w;
    const float* r1 = map + static_cast<size_t>(ty.i1[y]) * in_w;
    const int a = tx.i0[x], b = tx.i1[x];
    const float wx = tx.f[x];
    const float top = std::fma(wx, r0[b] - r0[a], r0[a]);
    const float bottom = std::fma(wx, r1[b] - r1[a], r1[a]);
    return std::fma(ty.f[y], bottom - top, top);
}

TallyResult reference_tally(const TallyProblem& p) {
    const Tables ty = tables(p.in_h, p.out_h);
    const Tables tx = tables(p.in_w, p.out_w);
    const size_t map_size = static_cast<size_t>(p.in_h) * p.in_w;
    const size_t out_size = static_cast<size_t>(p.out_h) * p.out_w;
    TallyResult r;
    r.mask_counts.assign(static_cast<size_t>(p.images) * p.units, 0);
    r.intersections.assign(static_cast<size_t>(p.images) * p.units * p.num_labels, 0);
    std::vector<float> map(map_size);
    for (int n = 0; n < p.images; n++) {
        for (int u = 0; u < p.units; u++) {
            const uint16_t* src = p.acts.data() + (static_cast<size_t>(n) * p.units + u) * map_size;
            for (size_t i = 0; i < map_size; i++) {
                map[i] = half_to_float(src[i]);
            }
            for (int y = 0; y < p.out_h; y++) {
                for (int x = 0; x < p.out_w; x++) {
                    if (!(upsampled(map.data(), p.in_w, ty, tx, y, x) > p.thresholds[u])) {
                        continue;
                    }
                    r.mask_counts[static_cast<size_t>(n) * p.units + u]++;
                    for (int layer = 0; layer < p.layers; layer++) {
                        const int32_t label =
                            p.labels[(static_cast<size_t>(n) * p.layers + layer) * out_size +
                                     static_cast<size_t>(y) * p.out_w + x];
                        if (label > 0 && label < p.num_labels) {
                            r.intersections[(static_cast<size_t>(n) * p.units + u) * p.num_labels + label]++;
                        }
                    }
                }
            }
        }
    }
    return r;
}

}  // namespace jdtest

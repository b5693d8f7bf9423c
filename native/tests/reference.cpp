#include "reference.h"

#include <cmath>
#include <cstring>

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
    // volatile stores force each fp32 operation to be rounded on its own, whatever the compiler's contraction or
    // excess-precision settings: Upsampling.axis evaluates the same expression in strict fp32.
    const volatile float scale = static_cast<float>(in) / static_cast<float>(out);
    for (int i = 0; i < out; i++) {
        volatile float centre = static_cast<float>(i) + 0.5f;
        volatile float product = centre * scale;
        float s = product - 0.5f;
        if (s < 0.0f) s = 0.0f;
        const int lo = static_cast<int>(s);  // s >= 0, so truncation is floor
        t.i0[i] = lo;
        t.f[i] = s - static_cast<float>(lo);
        t.i1[i] = lo + 1 < in ? lo + 1 : in - 1;
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

Counts reference_tally(const TallyCase& c) {
    Counts r;
    r.inter.assign(static_cast<size_t>(c.units) * c.num_labels, 0);
    r.act.assign(static_cast<size_t>(c.units) * c.num_cats, 0);
    r.lpix.assign(c.num_labels, 0);
    r.mask.assign(c.units, 0);
    const int hw = c.h * c.w;
    std::vector<float> map(hw);
    for (size_t n = 0; n < c.images.size(); n++) {
        const Image& im = c.images[n];
        for (const auto& layer : im.layers)
            for (uint16_t l : layer)
                if (l != 0) r.lpix[l]++;
        for (int32_t l : im.levels)
            if (l != 0) r.lpix[l] += static_cast<int64_t>(im.sh) * im.sw;
        const Tables ty = tables(c.h, im.sh), tx = tables(c.w, im.sw);
        for (int u = 0; u < c.units; u++) {
            for (int j = 0; j < hw; j++) map[j] = half_to_float(c.acts[(n * c.units + u) * hw + j]);
            int64_t size = 0;
            std::vector<bool> touched(c.num_cats, false);
            for (int y = 0; y < im.sh; y++) {
                for (int x = 0; x < im.sw; x++) {
                    if (!(upsampled(map.data(), c.w, ty, tx, y, x) > c.thresholds[u])) continue;
                    size++;
                    for (const auto& layer : im.layers) {
                        const uint16_t l = layer[static_cast<size_t>(y) * im.sw + x];
                        if (l == 0) continue;
                        r.inter[static_cast<size_t>(u) * c.num_labels + l]++;
                        if (c.primary[l] >= 0) touched[c.primary[l]] = true;
                    }
                }
            }
            if (size == 0) continue;
            for (int32_t l : im.levels) {
                if (l == 0) continue;
                r.inter[static_cast<size_t>(u) * c.num_labels + l] += size;
                if (c.primary[l] >= 0) touched[c.primary[l]] = true;
            }
            for (int k = 0; k < c.num_cats; k++)
                if (touched[k]) r.act[static_cast<size_t>(u) * c.num_cats + k] += size;
            r.mask[u] += size;
        }
    }
    return r;
}

}  // namespace jdtest

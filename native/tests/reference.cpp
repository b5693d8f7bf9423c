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

Taps taps(int in, int out) {
    Taps t;
    t.first.resize(out);
    t.count.resize(out);
    t.weight.resize(out);
    if (in == out) {  // PIL skips the pass
        for (int i = 0; i < out; i++) {
            t.first[i] = i;
            t.count[i] = 1;
            t.weight[i] = {1.0};
        }
        return t;
    }
    // Pillow's precompute_coeffs with the bilinear filter, operation for operation (built with -ffp-contract=off).
    const double scale = static_cast<double>(in) / out;
    const double filterscale = scale < 1.0 ? 1.0 : scale;
    const double support = 1.0 * filterscale;
    for (int xx = 0; xx < out; xx++) {
        const double center = (xx + 0.5) * scale;
        const double ss = 1.0 / filterscale;
        int xmin = static_cast<int>(center - support + 0.5);
        if (xmin < 0) xmin = 0;
        int xmax = static_cast<int>(center + support + 0.5);
        if (xmax > in) xmax = in;
        xmax -= xmin;
        std::vector<double> k(xmax);
        double ww = 0.0;
        for (int x = 0; x < xmax; x++) {
            double d = (x + xmin - center + 0.5) * ss;
            if (d < 0.0) d = -d;
            k[x] = d < 1.0 ? 1.0 - d : 0.0;
            ww += k[x];
        }
        for (int x = 0; x < xmax; x++) {
            if (ww != 0.0) k[x] /= ww;
        }
        t.first[xx] = xmin;
        t.count[xx] = xmax;
        t.weight[xx] = k;
    }
    return t;
}

float resized(const float* map, int in_w, const Taps& ty, const Taps& tx, int y, int x) {
    double acc = 0.0;
    for (int r = 0; r < ty.count[y]; r++) {
        const float* row = map + static_cast<size_t>(ty.first[y] + r) * in_w + tx.first[x];
        double line = 0.0;
        for (int k = 0; k < tx.count[x]; k++) line += row[k] * tx.weight[x][k];
        acc += static_cast<float>(line) * ty.weight[y][r];
    }
    return static_cast<float>(acc);
}

Grid grid(int h, int w, int sh, int sw) {
    Grid g;
    const Taps ty = taps(h, sh), tx = taps(w, sw);
    for (const Taps* t : {&ty, &tx}) {
        g.ints.insert(g.ints.end(), t->first.begin(), t->first.end());
        g.ints.insert(g.ints.end(), t->count.begin(), t->count.end());
        for (const auto& k : t->weight) {
            for (int j = 0; j < 3; j++) g.weights.push_back(j < static_cast<int>(k.size()) ? k[j] : 0.0);
        }
    }
    // ylo[s]: the first output index whose taps reach s or beyond; yhi[s]: the last whose taps start at s or before
    for (const auto& [t, in] : {std::pair<const Taps*, int>{&ty, h}, std::pair<const Taps*, int>{&tx, w}}) {
        const int out = static_cast<int>(t->first.size());
        for (int s = 0; s < in; s++) {
            int lo = out;
            for (int i = 0; i < out; i++) {
                if (t->first[i] + t->count[i] - 1 >= s) { lo = i; break; }
            }
            g.ints.push_back(lo);
        }
        for (int s = 0; s < in; s++) {
            int hi = -1;
            for (int i = out - 1; i >= 0; i--) {
                if (t->first[i] <= s) { hi = i; break; }
            }
            g.ints.push_back(hi);
        }
    }
    return g;
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
        const Taps ty = taps(c.h, im.sh), tx = taps(c.w, im.sw);
        for (int u = 0; u < c.units; u++) {
            for (int j = 0; j < hw; j++) map[j] = half_to_float(c.acts[(n * c.units + u) * hw + j]);
            int64_t size = 0;
            std::vector<bool> touched(c.num_cats, false);
            for (int y = 0; y < im.sh; y++) {
                for (int x = 0; x < im.sw; x++) {
                    if (!(resized(map.data(), c.w, ty, tx, y, x) > c.thresholds[u])) continue;
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

// Pure host test (no GPU, no CUDA): the host reference that the GPU test (test_stats) checks the kernels against.
// Its bilinear tables are the contract shared bit for bit with Upsampling.axis, and the GPU test hands these same
// tables to the tally kernel, so a wrong table would go unnoticed there: they are checked here against known
// answers and an independent emulation, and the reference tally against counts done by hand.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "reference.h"

namespace {

int failures = 0;

#define CHECK(cond, ...)                                              \
    do {                                                              \
        if (!(cond)) {                                                \
            failures++;                                               \
            std::fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
            std::fprintf(stderr, __VA_ARGS__);                        \
            std::fprintf(stderr, "\n");                               \
        }                                                             \
    } while (0)

uint32_t bits_of(float f) {
    uint32_t b;
    std::memcpy(&b, &f, sizeof(b));
    return b;
}

// An independent evaluation of the fp32 formula: products and sums of two floats are exact in double, so rounding
// each double result to float is exactly one correctly rounded fp32 operation. A table built with contraction
// (FMA) or excess precision would differ somewhere in the sweep below.
void check_against_emulation(int in, int out) {
    const jdtest::Tables t = jdtest::tables(in, out);
    const float scale = static_cast<float>(static_cast<double>(in) / static_cast<double>(out));
    for (int i = 0; i < out; i++) {
        const float centre = static_cast<float>(static_cast<double>(i) + 0.5);
        const float product = static_cast<float>(static_cast<double>(centre) * static_cast<double>(scale));
        float s = static_cast<float>(static_cast<double>(product) - 0.5);
        if (s < 0.0f) s = 0.0f;
        const int i0 = static_cast<int>(std::floor(static_cast<double>(s)));
        const float f = static_cast<float>(static_cast<double>(s) - i0);
        const int i1 = i0 + 1 < in ? i0 + 1 : in - 1;
        CHECK(t.i0[i] == i0 && t.i1[i] == i1 && bits_of(t.f[i]) == bits_of(f),
              "tables(%d -> %d)[%d]: got i0=%d i1=%d f=%a, expected i0=%d i1=%d f=%a", in, out, i, t.i0[i], t.i1[i],
              t.f[i], i0, i1, f);
        CHECK(t.i0[i] >= 0 && t.i0[i] < in && t.i1[i] >= t.i0[i] && t.i1[i] < in && t.f[i] >= 0.0f && t.f[i] < 1.0f,
              "tables(%d -> %d)[%d] out of range: i0=%d i1=%d f=%a", in, out, i, t.i0[i], t.i1[i], t.f[i]);
    }
}

struct Known {
    int in, out, i, i0, i1;
    float f;
};

void check_known_answers() {
    // Values of the fp32 formula worked out independently (numpy float32 scalars).
    const Known known[] = {
        {5, 13, 0, 0, 1, 0.0f},        {5, 13, 1, 0, 1, 0x1.3b13bp-4f}, {5, 13, 2, 0, 1, 0x1.d89d8cp-2f},
        {5, 13, 5, 1, 2, 0x1.3b13bp-1f}, {5, 13, 6, 2, 3, 0.0f},        {5, 13, 9, 3, 4, 0x1.3b13cp-3f},
        {5, 13, 12, 4, 4, 0x1.3b13cp-2f}, {3, 11, 1, 0, 1, 0.0f},       {3, 11, 2, 0, 1, 0x1.745d18p-3f},
        {3, 11, 6, 1, 2, 0x1.1745d8p-2f}, {3, 11, 9, 2, 2, 0x1.745d4p-4f}, {3, 11, 10, 2, 2, 0x1.745d2p-2f},
        {7, 112, 0, 0, 1, 0.0f},       {7, 112, 6, 0, 1, 0.0f},         {7, 112, 9, 0, 1, 0.09375f},
        {7, 112, 111, 6, 6, 0.46875f}, {2, 4, 1, 0, 1, 0.25f},          {2, 4, 2, 0, 1, 0.75f},
        {2, 4, 3, 1, 1, 0.25f},
    };
    for (const Known& k : known) {
        const jdtest::Tables t = jdtest::tables(k.in, k.out);
        CHECK(t.i0[k.i] == k.i0 && t.i1[k.i] == k.i1 && bits_of(t.f[k.i]) == bits_of(k.f),
              "known answer %d -> %d at %d: got i0=%d i1=%d f=%a, expected i0=%d i1=%d f=%a", k.in, k.out, k.i,
              t.i0[k.i], t.i1[k.i], t.f[k.i], k.i0, k.i1, k.f);
    }
    // Same size: the identity.
    for (int n : {1, 2, 7, 56, 113}) {
        const jdtest::Tables t = jdtest::tables(n, n);
        for (int i = 0; i < n; i++) {
            CHECK(t.i0[i] == i && t.f[i] == 0.0f && t.i1[i] == (i + 1 < n ? i + 1 : n - 1),
                  "identity %d at %d: i0=%d i1=%d f=%a", n, i, t.i0[i], t.i1[i], t.f[i]);
        }
    }
}

// The reference itself against PIL / align_corners=False upsampling of [[0, 1], [2, 3]] to 4x4, and its strict
// threshold, label, image-level label and category counting against counts done by hand.
void check_reference() {
    const float expected[4][4] = {{0.0f, 0.25f, 0.75f, 1.0f},
                                  {0.5f, 0.75f, 1.25f, 1.5f},
                                  {1.5f, 1.75f, 2.25f, 2.5f},
                                  {2.0f, 2.25f, 2.75f, 3.0f}};
    const float map[4] = {0.0f, 1.0f, 2.0f, 3.0f};
    const jdtest::Tables t = jdtest::tables(2, 4);
    for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
            const float v = jdtest::upsampled(map, 2, t, t, y, x);
            CHECK(v == expected[y][x], "upsampled(%d, %d) = %g, expected %g", y, x, v, expected[y][x]);
        }
    }
    // Two images, two units of 2x2 maps (unit 0: [[0, 1], [2, 3]]; unit 1: constant 1).
    //  image 0: 4x4 labels; layer 0: left half label 1, right half label 2; layer 1: bottom row label 3.
    //  image 1: 2x2 (the identity resize), no label layers, image-level labels 2 and 0 (0 is never counted).
    // Labels 1 and 2 have category 0, label 3 category 1.
    jdtest::TallyCase c{2, 2, 2, 4, 2, {}, {1.5f, 1.0f}, {-1, 0, 0, 1}, {}};
    for (int n = 0; n < 2; n++) {
        for (float v : map) c.acts.push_back(jdtest::float_to_half(v));
        for (int i = 0; i < 4; i++) c.acts.push_back(jdtest::float_to_half(1.0f));
    }
    jdtest::Image first{4, 4, {std::vector<uint16_t>(16), std::vector<uint16_t>(16)}, {}};
    for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
            first.layers[0][y * 4 + x] = x < 2 ? 1 : 2;
            first.layers[1][y * 4 + x] = y == 3 ? 3 : 0;
        }
    }
    c.images.push_back(first);
    c.images.push_back(jdtest::Image{2, 2, {}, {2, 0}});
    const jdtest::Counts r = jdtest::reference_tally(c);
    // Unit 0 (threshold 1.5; ties are out), image 0: row 2 x = 1, 2, 3 and all of row 3, 7 pixels: label 1 at
    // (2,1), (3,0), (3,1) = 3; label 2 at (2,2), (2,3), (3,2), (3,3) = 4; label 3 all of row 3 = 4; categories 0 and
    // 1 both touched. Image 1: the values 2 and 3, 2 pixels, all counted for label 2 (category 0).
    // Unit 1: its maximum equals its threshold, so its masks are empty.
    const std::vector<int64_t> mask = {9, 0}, inter = {0, 3, 6, 4, 0, 0, 0, 0}, act = {9, 7, 0, 0},
                               lpix = {0, 8, 12, 4};
    CHECK(r.mask == mask, "mask counts %lld %lld, expected 9 0", (long long)r.mask[0], (long long)r.mask[1]);
    CHECK(r.inter == inter, "intersections of unit 0: %lld %lld %lld %lld, expected 0 3 6 4",
          (long long)r.inter[0], (long long)r.inter[1], (long long)r.inter[2], (long long)r.inter[3]);
    CHECK(r.act == act, "activation of unit 0: %lld %lld, expected 9 7", (long long)r.act[0], (long long)r.act[1]);
    CHECK(r.lpix == lpix, "label pixels %lld %lld %lld %lld, expected 0 8 12 4", (long long)r.lpix[0],
          (long long)r.lpix[1], (long long)r.lpix[2], (long long)r.lpix[3]);
    // Half conversions: exact round trips, round to nearest even, subnormals, infinities.
    CHECK(jdtest::half_to_float(0x3c00) == 1.0f && jdtest::half_to_float(0xc000) == -2.0f, "half decode");
    CHECK(jdtest::half_to_float(0x0001) == std::ldexp(1.0f, -24), "half subnormal decode");
    CHECK(jdtest::float_to_half(1.0f + std::ldexp(1.0f, -11)) == 0x3c00, "half ties to even (down)");
    CHECK(jdtest::float_to_half(1.0f + 3 * std::ldexp(1.0f, -11)) == 0x3c02, "half ties to even (up)");
    CHECK(jdtest::float_to_half(1e6f) == 0x7c00 && std::isinf(jdtest::half_to_float(0xfc00)), "half infinities");
    for (uint32_t h = 0; h < 0x10000; h++) {
        const float v = jdtest::half_to_float(static_cast<uint16_t>(h));
        if (!std::isnan(v)) {
            CHECK(jdtest::float_to_half(v) == h, "half round trip of %#x", h);
        }
    }
}

}  // namespace

int main() {
    check_known_answers();
    const int sizes[] = {1, 2, 3, 5, 7, 11, 13, 14, 28, 56, 112, 113, 224, 227, 384};
    for (int in : sizes) {
        for (int out : sizes) {
            check_against_emulation(in, out);
        }
    }
    for (int in = 1; in <= 40; in++) {
        for (int out = 1; out <= 300; out++) {
            check_against_emulation(in, out);
        }
    }
    check_reference();
    if (failures != 0) {
        std::fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    std::printf("host reference (bilinear tables, upsampling, tally, half conversions): all checks passed\n");
    return 0;
}

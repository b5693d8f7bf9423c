// Pure host test (no GPU, no CUDA): the bilinear tables that the kernels and the Java CPU backend share, and the
// host reference the GPU test relies on.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "jdissect_cuda.h"
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

void check_errors() {
    int32_t a[4], b[4];
    float f[4];
    char err[128];
    CHECK(jd_bilinear_tables(0, 4, a, b, f, err, sizeof(err)) == JD_ERR_INVALID_ARGUMENT &&
              std::strstr(err, "positive") != nullptr,
          "in = 0 must be rejected with a message, got '%s'", err);
    CHECK(jd_bilinear_tables(2, 4, nullptr, b, f, err, sizeof(err)) == JD_ERR_INVALID_ARGUMENT,
          "a null table must be rejected");
    CHECK(jd_bilinear_tables(2, 4, a, b, f, nullptr, 0) == JD_OK, "a null error buffer is allowed");
    CHECK(std::strcmp(jd_status_name(JD_ERR_OUT_OF_MEMORY), "JD_ERR_OUT_OF_MEMORY") == 0, "status name");
    CHECK(std::strcmp(jd_status_name(12345), "JD_ERR_UNKNOWN_STATUS") == 0, "unknown status name");
}

// The reference itself against PIL / align_corners=False upsampling of [[0, 1], [2, 3]] to 4x4, and its strict
// threshold and label counting against counts done by hand.
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
    jdtest::TallyProblem p;
    p.images = 1;
    p.units = 2;
    p.in_h = p.in_w = 2;
    p.out_h = p.out_w = 4;
    p.layers = 2;
    p.num_labels = 4;
    for (float v : map) p.acts.push_back(jdtest::float_to_half(v));
    for (int i = 0; i < 4; i++) p.acts.push_back(jdtest::float_to_half(1.0f));  // constant map
    p.thresholds = {1.5f, 1.0f};  // unit 0: ties at 1.5 are out; unit 1: max == threshold, empty mask
    // Layer 0: left half label 1, right half label 2. Layer 1: bottom row label 3, everything else 0.
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 4; x++) p.labels.push_back(x < 2 ? 1 : 2);
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 4; x++) p.labels.push_back(y == 3 ? 3 : 0);
    const jdtest::TallyResult r = jdtest::reference_tally(p);
    // Mask of unit 0: row 2 x = 1, 2, 3 and all of row 3 -> 7 pixels; label 1: (2,1), (3,0), (3,1) = 3;
    // label 2: (2,2), (2,3), (3,2), (3,3) = 4; label 3: row 3 = 4.
    CHECK(r.mask_counts[0] == 7 && r.mask_counts[1] == 0, "mask counts %llu %llu, expected 7 0",
          (unsigned long long)r.mask_counts[0], (unsigned long long)r.mask_counts[1]);
    CHECK(r.intersections[0] == 0 && r.intersections[1] == 3 && r.intersections[2] == 4 && r.intersections[3] == 4,
          "intersections of unit 0: %llu %llu %llu %llu, expected 0 3 4 4", (unsigned long long)r.intersections[0],
          (unsigned long long)r.intersections[1], (unsigned long long)r.intersections[2],
          (unsigned long long)r.intersections[3]);
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
    check_errors();
    check_reference();
    if (failures != 0) {
        std::fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    std::printf("bilinear tables and host reference: all checks passed\n");
    return 0;
}

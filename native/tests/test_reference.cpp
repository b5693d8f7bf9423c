// Pure host test (no GPU, no CUDA): the host reference that the GPU test (test_stats) checks the kernels against.
// Its taps are PIL's resize(BILINEAR), shared bit for bit with Upsampling.axis, and the GPU test hands these same
// tables to the tally kernel, so a wrong table would go unnoticed there: the resizing is checked here against values
// PIL computed, the taps' shape at every scale, and the reference tally against counts done by hand.
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

// The taps' shape at one scale: inside the axis, at most 3 of them where the axis grows (what the kernel reads), a
// single tap of weight 1 where it keeps its size, weights that are non-negative and sum to 1 within a few ulps.
void check_taps(int in, int out) {
    const jdtest::Taps t = jdtest::taps(in, out);
    for (int i = 0; i < out; i++) {
        const int n = t.count[i];
        CHECK(t.first[i] >= 0 && n >= 1 && t.first[i] + n <= in && static_cast<int>(t.weight[i].size()) == n,
              "taps(%d -> %d)[%d]: first %d, count %d", in, out, i, t.first[i], n);
        CHECK(in > out || n <= 3, "taps(%d -> %d)[%d]: %d taps on a growing axis", in, out, i, n);
        CHECK(in != out || (n == 1 && t.first[i] == i && t.weight[i][0] == 1.0), "identity %d at %d", in, i);
        double sum = 0.0;
        for (double k : t.weight[i]) {
            CHECK(k >= 0.0 && k <= 1.0, "taps(%d -> %d)[%d]: weight %a", in, out, i, k);
            sum += k;
        }
        CHECK(std::fabs(sum - 1.0) < 1e-14, "taps(%d -> %d)[%d]: weights sum to %a", in, out, i, sum);
    }
}

bool same(float a, float b) {
    return std::isnan(a) ? std::isnan(b) : bits_of(a) == bits_of(b);
}

// Known answers: PIL 9.4's resize(BILINEAR) of these float32 maps in mode F (Image.fromarray(m).resize((w, h))),
// printed as hex floats; the reference must give them bit for bit.
void check_known_answers() {
    const float two_by_three[6] = {0.1f, -1.7f, 3.3f, 2.9f, 0.0f, -0.45f};
    const float pil_5x7[5][7] = {
        {0x1.99999ap-4f, -0x1.41d41ep-3f, -0x1.db6db8p-1f, -0x1.b33334p+0f, 0x1.c57c54p-2f, 0x1.4af8b0p+1f,
         0x1.a66666p+1f},
        {0x1.851ebap-2f, 0x1.b6db70p-4f, -0x1.6c405ep-1f, -0x1.87ae16p+0f, 0x1.846376p-2f, 0x1.24efeap+1f,
         0x1.766666p+1f},
        {0x1.800000p+0f, 0x1.2a0ea2p+0f, 0x1.41d420p-3f, -0x1.b33334p-1f, 0x1.fffffap-4f, 0x1.19999ap+0f,
         0x1.6cccccp+0f},
        {0x1.4f5c2ap+1f, 0x1.1c57c6p+1f, 0x1.069538p+0f, -0x1.5c28f6p-3f, -0x1.08c6f2p-3f, -0x1.6ac9d8p-4f,
         -0x1.333332p-4f},
        {0x1.733334p+1f, 0x1.3e2be4p+1f, 0x1.3e2be4p+0f, 0x0.0p+0f, -0x1.8af8aep-3f, -0x1.8af8aep-2f,
         -0x1.ccccccp-2f}};
    const jdtest::Taps ty = jdtest::taps(2, 5), tx = jdtest::taps(3, 7);
    for (int y = 0; y < 5; y++) {
        for (int x = 0; x < 7; x++) {
            const float v = jdtest::resized(two_by_three, 3, ty, tx, y, x);
            CHECK(same(v, pil_5x7[y][x]), "2x3 -> 5x7 at (%d, %d): %a, PIL %a", y, x, v, pil_5x7[y][x]);
        }
    }
    // 3 -> 47, index 23: the centre 1.4999999999999998 reads three samples, the first with weight 2.2e-16 (which
    // PIL keeps: 1e30 * 2.2e-16 shows) and the third with weight 0 (inf * 0 is NaN in PIL).
    const jdtest::Taps t47 = jdtest::taps(3, 47), one = jdtest::taps(1, 1);
    CHECK(t47.count[23] == 3 && t47.weight[23][2] == 0.0, "3 -> 47 at 23: %d taps", t47.count[23]);
    const float row[3] = {1e30f, 2.0f, 5.0f};
    const float pil_row[3] = {0x1.9c7d86p+95f, 0x1.93e594p+47f, 0x1.1882bap+1f};
    for (int i = 0; i < 3; i++) {
        const float v = jdtest::resized(row, 3, one, t47, 0, 22 + i);
        CHECK(same(v, pil_row[i]), "1e30, 2, 5: 3 -> 47 at %d: %a, PIL %a", 22 + i, v, pil_row[i]);
    }
    const float with_inf[3] = {1.0f, 2.0f, INFINITY};
    CHECK(std::isnan(jdtest::resized(with_inf, 3, one, t47, 0, 23)), "inf * 0 at 3 -> 47, index 23 is NaN");
    CHECK(std::isinf(jdtest::resized(with_inf, 3, one, t47, 0, 46)), "the last index reads the infinity alone");
    // Shrinking (PIL's widened triangle) and growing single rows.
    const float seven[7] = {0.3f, 1.1f, -2.5f, 7.25f, 0.0f, 4.4f, 1.0f};
    const float pil_7to3[3] = {0x1.5f15fap-5f, 0x1.5c3c3cp+1f, 0x1.1f15f2p+1f};
    const jdtest::Taps t73 = jdtest::taps(7, 3);
    for (int i = 0; i < 3; i++) {
        const float v = jdtest::resized(seven, 7, one, t73, 0, i);
        CHECK(same(v, pil_7to3[i]), "7 -> 3 at %d: %a, PIL %a", i, v, pil_7to3[i]);
    }
    const float pil_3to8[8] = {0x1.99999ap-4f, -0x1.99999cp-7f, -0x1.600000p-1f, -0x1.5ccccep+0f, -0x1.866668p-1f,
                               0x1.1cccccp+0f, 0x1.7e6666p+1f, 0x1.a66666p+1f};
    const jdtest::Taps t38 = jdtest::taps(3, 8);
    for (int i = 0; i < 8; i++) {
        const float v = jdtest::resized(two_by_three, 3, one, t38, 0, i);
        CHECK(same(v, pil_3to8[i]), "3 -> 8 at %d: %a, PIL %a", i, v, pil_3to8[i]);
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
    const jdtest::Taps t = jdtest::taps(2, 4);
    for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
            const float v = jdtest::resized(map, 2, t, t, y, x);
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
            check_taps(in, out);
        }
    }
    for (int in = 1; in <= 64; in++) {
        for (int out = 1; out <= 300; out++) {
            check_taps(in, out);
        }
    }
    check_reference();
    if (failures != 0) {
        std::fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    std::printf("host reference (PIL's taps, resizing, tally, half conversions): all checks passed\n");
    return 0;
}

// GPU test of the statistics contexts (pass 1 quantile keys and top-k, the fused tally, ablation) against host code
// written from the contract in jdissect_cuda.h and CpuBackend: full sorts, every pixel of every map, plain loops.
// Exits 77 (ctest: skipped) with the reason when there is no CUDA driver or device.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "gpu_test.h"
#include "reference.h"

namespace {

void expect(bool ok, const std::string& what) {
    if (!ok) {
        failures++;
        std::fprintf(stderr, "FAIL %s\n", what.c_str());
    }
}

unsigned order_key(uint16_t v) { return v ^ (0x8000u | ((v >> 15) * 0x7fffu)); }

// ---------------------------------------------------------------- pass 1

struct Acts {
    int images, units, hw;
    std::vector<uint16_t> v;
};

void check_stats(const std::string& name, const Acts& a, double q, int topk, size_t staging, bool resident_fine,
                 jd_context ctx) {
    const long long count = static_cast<long long>(a.images) * a.hw;
    const long long low_rank = static_cast<long long>(std::floor((count - 1) * (1.0 - q)));
    const long long high_rank = std::min(low_rank + 1, count - 1);
    CHECK_OK(jd_context_set_staging_limit(ctx, staging, err, sizeof(err)));
    int resident = 0;
    CHECK_OK(jd_stats_begin(ctx, a.units, a.hw, a.images, topk, &resident, err, sizeof(err)));
    const size_t per = static_cast<size_t>(a.units) * a.hw;
    // Uneven chunks from the host.
    std::vector<int> chunks;
    for (int done = 0, c = 1; done < a.images; c = c * 2 + 1) {
        const int n = std::min(c, a.images - done);
        chunks.push_back(n);
        done += n;
    }
    long long first = 0;
    for (int n : chunks) {
        CHECK_OK(jd_stats_coarse(ctx, a.v.data() + first * per, first, n, err, sizeof(err)));
        first += n;
    }
    const std::vector<long long> lows(a.units, low_rank), highs(a.units, high_rank);
    CHECK_OK(jd_stats_locate(ctx, lows.data(), highs.data(), err, sizeof(err)));
    if (resident_fine && resident) {
        CHECK_OK(jd_stats_fine(ctx, nullptr, a.images, err, sizeof(err)));
    } else {
        first = 0;
        for (int n : chunks) {
            CHECK_OK(jd_stats_fine(ctx, a.v.data() + first * per, n, err, sizeof(err)));
            first += n;
        }
    }
    std::vector<int32_t> low(a.units), high(a.units), top_images(static_cast<size_t>(a.units) * topk),
        top_keys(static_cast<size_t>(a.units) * topk);
    CHECK_OK(jd_stats_finish(ctx, low.data(), high.data(), top_images.data(), top_keys.data(), err, sizeof(err)));
    int bad = 0;
    for (int u = 0; u < a.units; u++) {
        std::vector<unsigned> keys;
        std::vector<std::pair<long long, int>> best;  // (-key, image)
        for (int n = 0; n < a.images; n++) {
            unsigned m = 0;
            for (int j = 0; j < a.hw; j++) {
                const unsigned k = order_key(a.v[(static_cast<size_t>(n) * a.units + u) * a.hw + j]);
                keys.push_back(k);
                m = std::max(m, k);
            }
            best.push_back({-static_cast<long long>(m), n});
        }
        std::sort(keys.begin(), keys.end());
        std::sort(best.begin(), best.end());
        if (low[u] != static_cast<int32_t>(keys[low_rank]) || high[u] != static_cast<int32_t>(keys[high_rank])) {
            if (bad++ < 5) {
                std::fprintf(stderr, "FAIL %s: unit %d keys %d/%d, expected %u/%u\n", name.c_str(), u, low[u], high[u],
                             keys[low_rank], keys[high_rank]);
            }
        }
        for (int r = 0; r < topk; r++) {
            const size_t i = static_cast<size_t>(u) * topk + r;
            const bool ok = top_images[i] == best[r].second && top_keys[i] == -best[r].first;
            if (!ok && bad++ < 5) {
                std::fprintf(stderr, "FAIL %s: unit %d rank %d: image %d key %d, expected image %d key %lld\n",
                             name.c_str(), u, r, top_images[i], top_keys[i], best[r].second, -best[r].first);
            }
        }
    }
    expect(bad == 0, name + ": pass 1");
    std::printf("%-44s %d images x %d units x %d values, top %d: %s\n", name.c_str(), a.images, a.units, a.hw, topk,
                bad ? "see failures" : "ok");
}

Acts random_acts(std::mt19937& rng, int images, int units, int hw, int distinct) {
    Acts a{images, units, hw, std::vector<uint16_t>(static_cast<size_t>(images) * units * hw)};
    std::normal_distribution<float> normal(0.3f, 2.0f);
    std::uniform_int_distribution<int> small(0, distinct - 1);
    for (auto& v : a.v) v = distinct > 0 ? jdtest::float_to_half(static_cast<float>(small(rng))) : jdtest::float_to_half(normal(rng));
    return a;
}

// ---------------------------------------------------------------- pass 2

using jdtest::Counts;
using jdtest::Image;
using jdtest::TallyCase;

// Packs the case as jd_tally_chunk wants it (one grid per image, even when sizes repeat).
void run_tally(const std::string& name, const TallyCase& c, size_t staging, jd_context ctx) {
    std::vector<int64_t> info;
    std::vector<uint16_t> labels;
    std::vector<int32_t> levels, gi;
    std::vector<double> gf;
    for (const Image& im : c.images) {
        info.push_back(static_cast<int64_t>(labels.size()));
        info.push_back(im.sh);
        info.push_back(im.sw);
        info.push_back(static_cast<int64_t>(im.layers.size()));
        info.push_back(static_cast<int64_t>(levels.size()));
        info.push_back(static_cast<int64_t>(im.levels.size()));
        info.push_back(static_cast<int64_t>(gi.size()));
        info.push_back(static_cast<int64_t>(gf.size()));
        for (const auto& layer : im.layers) labels.insert(labels.end(), layer.begin(), layer.end());
        levels.insert(levels.end(), im.levels.begin(), im.levels.end());
        const jdtest::Grid g = jdtest::grid(c.h, c.w, im.sh, im.sw);
        gi.insert(gi.end(), g.ints.begin(), g.ints.end());
        gf.insert(gf.end(), g.weights.begin(), g.weights.end());
    }
    const Counts want = jdtest::reference_tally(c);
    CHECK_OK(jd_context_set_staging_limit(ctx, staging, err, sizeof(err)));
    CHECK_OK(jd_tally_begin(ctx, c.units, c.h, c.w, c.thresholds.data(), c.num_labels, c.num_cats, c.primary.data(),
                            err, sizeof(err)));
    // Two host chunks: the first image alone, then the rest (offsets relative to each chunk's own buffers).
    const int n = static_cast<int>(c.images.size());
    const size_t map = static_cast<size_t>(c.units) * c.h * c.w;
    const int split = std::min(1, n);
    for (int part = 0; part < 2; part++) {
        const int a = part == 0 ? 0 : split, b = part == 0 ? split : n;
        if (a == b) continue;
        std::vector<int64_t> sub(info.begin() + a * 8, info.begin() + b * 8);
        const int64_t lbase = sub[0], vbase = sub[4];
        const int64_t lend = b < n ? info[b * 8] : static_cast<int64_t>(labels.size());
        const int64_t vend = b < n ? info[b * 8 + 4] : static_cast<int64_t>(levels.size());
        for (int i = 0; i < b - a; i++) {
            sub[i * 8] -= lbase;
            sub[i * 8 + 4] -= vbase;
        }
        CHECK_OK(jd_tally_chunk(ctx, c.acts.data() + a * map, b - a, sub.data(), labels.data() + lbase, lend - lbase,
                                levels.data() + vbase, vend - vbase, gi.data(), static_cast<long long>(gi.size()),
                                gf.data(), static_cast<long long>(gf.size()), err, sizeof(err)));
    }
    Counts got;
    got.inter.assign(want.inter.size(), -1);
    got.act.assign(want.act.size(), -1);
    got.lpix.assign(want.lpix.size(), -1);
    got.mask.assign(want.mask.size(), -1);
    CHECK_OK(jd_tally_finish(ctx, got.inter.data(), got.act.data(), got.lpix.data(), got.mask.data(), err,
                             sizeof(err)));
    int bad = 0;
    auto cmp = [&](const std::vector<int64_t>& g, const std::vector<int64_t>& w, const char* what) {
        for (size_t i = 0; i < g.size(); i++) {
            if (g[i] != w[i] && bad++ < 8) {
                std::fprintf(stderr, "FAIL %s: %s[%zu] = %lld, expected %lld\n", name.c_str(), what, i,
                             static_cast<long long>(g[i]), static_cast<long long>(w[i]));
            }
        }
    };
    cmp(got.inter, want.inter, "intersection");
    cmp(got.act, want.act, "activation");
    cmp(got.lpix, want.lpix, "label_pixels");
    cmp(got.mask, want.mask, "mask_pixels");
    expect(bad == 0, name + ": tally");
    long long total = 0;
    for (int64_t m : want.mask) total += m;
    std::printf("%-44s %d images x %d units, %dx%d maps: total |mask| %lld: %s\n", name.c_str(), n, c.units, c.h, c.w,
                total, bad ? "see failures" : "ok");
}

TallyCase random_tally(std::mt19937& rng, int images, int units, int h, int w, std::vector<std::pair<int, int>> sizes,
                       int layers, int num_labels, int num_cats, int levels, bool integer_maps) {
    TallyCase c{units, h, w, num_labels, num_cats, {}, {}, {}, {}};
    c.acts.resize(static_cast<size_t>(images) * units * h * w);
    std::normal_distribution<float> normal(0.0f, 1.5f);
    std::uniform_int_distribution<int> small(0, 3);
    for (auto& v : c.acts) v = jdtest::float_to_half(integer_maps ? static_cast<float>(small(rng)) : normal(rng));
    std::uniform_int_distribution<int> cat(-1, num_cats - 1), label(0, num_labels - 1), run(1, 30), pick(0, 9);
    c.primary.resize(num_labels);
    for (auto& p : c.primary) p = num_cats > 0 ? cat(rng) : -1;
    c.primary[0] = -1;
    for (int n = 0; n < images; n++) {
        Image im;
        im.sh = sizes[n % sizes.size()].first;
        im.sw = sizes[n % sizes.size()].second;
        for (int l = 0; l < layers; l++) {
            std::vector<uint16_t> layer(static_cast<size_t>(im.sh) * im.sw);
            for (size_t i = 0; i < layer.size();) {
                const int v = label(rng);
                for (int k = run(rng); k > 0 && i < layer.size(); k--) layer[i++] = static_cast<uint16_t>(v);
            }
            im.layers.push_back(layer);
        }
        for (int l = 0; l < levels; l++) im.levels.push_back(label(rng));
        c.images.push_back(im);
    }
    c.thresholds.resize(units);
    for (int u = 0; u < units; u++) {
        const int k = pick(rng);
        if (integer_maps) {
            c.thresholds[u] = static_cast<float>(u % 4);  // ties everywhere; 3 is the maximum: empty masks
        } else if (k == 0) {
            c.thresholds[u] = 100.0f;
        } else if (k == 1) {
            c.thresholds[u] = -100.0f;
        } else {
            // A resized value of image 0 itself: exact ties.
            const Image& im = c.images[0];
            const jdtest::Taps ty = jdtest::taps(h, im.sh), tx = jdtest::taps(w, im.sw);
            std::vector<float> map(static_cast<size_t>(h) * w);
            for (size_t j = 0; j < map.size(); j++) map[j] = jdtest::half_to_float(c.acts[static_cast<size_t>(u) * h * w + j]);
            std::uniform_int_distribution<int> py(0, im.sh - 1), px(0, im.sw - 1);
            c.thresholds[u] = jdtest::resized(map.data(), w, ty, tx, py(rng), px(rng));
        }
    }
    return c;
}

// ---------------------------------------------------------------- ablation

void check_ablate(const std::string& name, std::mt19937& rng, int images, int units, int hw, bool per_location,
                  size_t staging, jd_context ctx) {
    std::normal_distribution<float> normal(0.0f, 3.0f);
    std::vector<float> x(static_cast<size_t>(images) * units * hw), alpha(per_location ? units * hw : units),
        repl(units);
    for (auto& v : x) v = normal(rng);
    for (auto& v : alpha) v = std::fabs(normal(rng)) / 3.0f;
    for (auto& v : repl) v = normal(rng);
    if (!per_location) alpha[0] = 0.0f;
    x[0] = -INFINITY;  // unit 0 of image 0: alpha 0 keeps it (no 0 * inf)
    std::vector<float> want(x);
    for (int n = 0; n < images; n++)
        for (int u = 0; u < units; u++)
            for (int j = 0; j < hw; j++) {
                const float a = per_location ? alpha[static_cast<size_t>(u) * hw + j] : alpha[u];
                if (!per_location && a == 0.0f) continue;
                float& v = want[(static_cast<size_t>(n) * units + u) * hw + j];
                const volatile float d = repl[u] - v;
                v = std::fma(a, d, v);
            }
    CHECK_OK(jd_context_set_staging_limit(ctx, staging, err, sizeof(err)));
    CHECK_OK(jd_ablate(ctx, x.data(), images, units, hw, alpha.data(), static_cast<long long>(alpha.size()),
                       repl.data(), err, sizeof(err)));
    int bad = 0;
    for (size_t i = 0; i < x.size(); i++) {
        // Bit for bit, except that any NaN equals any NaN: fma(a, inf, -inf) is NaN on both sides, but x86 makes
        // the negative default NaN and the GPU the positive canonical one (seen on an H100).
        const bool both_nan = std::isnan(x[i]) && std::isnan(want[i]);
        if (!both_nan && std::memcmp(&x[i], &want[i], 4) != 0 && bad++ < 5) {
            std::fprintf(stderr, "FAIL %s: x[%zu] = %a, expected %a\n", name.c_str(), i, x[i], want[i]);
        }
    }
    expect(bad == 0, name + ": ablation");
    std::printf("%-44s %d images x %d units x %d: %s\n", name.c_str(), images, units, hw, bad ? "see failures" : "ok");
}

}  // namespace

int main() {
    int count = 0;
    const jd_status st = jd_device_count(&count, err, sizeof(err));
    if (st == JD_ERR_NO_DRIVER || st == JD_ERR_NO_DEVICE) {
        std::printf("SKIP: no GPU to run the statistics kernels on: %s\n", err);
        return 77;
    }
    CHECK_OK(st);
    jd_context ctx = nullptr;
    CHECK_OK(jd_context_create(0, &ctx, err, sizeof(err)));
    std::mt19937 rng(31337);

    check_stats("quantile + top-k, random 7x7", random_acts(rng, 37, 21, 49, 0), 0.005, 5, 0, true, ctx);
    check_stats("quantile + top-k, host fine pass", random_acts(rng, 37, 21, 49, 0), 0.005, 5, 0, false, ctx);
    check_stats("ties (4 values), top-k ties to earlier", random_acts(rng, 50, 17, 9, 4), 0.2, 7, 0, true, ctx);
    check_stats("odd sizes 5x3, q = 0.5", random_acts(rng, 19, 3, 15, 0), 0.5, 19, 0, true, ctx);
    check_stats("split chunks (staging 1 image)", random_acts(rng, 23, 33, 25, 0), 0.01, 3, 33 * 25 * 2, false, ctx);
    check_stats("one image, one value", random_acts(rng, 1, 2, 1, 0), 0.005, 1, 0, true, ctx);
    check_stats("big maps 56x56, no top-k", random_acts(rng, 6, 40, 3136, 0), 0.005, 0, 0, true, ctx);
    {
        Acts special = random_acts(rng, 11, 5, 16, 0);
        const uint16_t specials[] = {0x7c00, 0xfc00, 0x7e00, 0xfe00, 0x0001, 0x8001, 0x8000, 0x0000};
        for (size_t i = 0; i < special.v.size(); i += 3) special.v[i] = specials[i % 8];
        check_stats("special values (inf, NaN, -0, subnormal)", special, 0.1, 4, 0, true, ctx);
    }

    run_tally("tally random 7x7 -> 112x112", random_tally(rng, 3, 10, 7, 7, {{112, 112}}, 3, 40, 6, 1, false), 0, ctx);
    run_tally("tally label sizes per image", random_tally(rng, 5, 9, 7, 5, {{13, 11}, {112, 96}, {7, 5}, {30, 31}}, 2, 25, 4, 2, false), 0, ctx);
    run_tally("tally ties (integer maps)", random_tally(rng, 4, 8, 4, 4, {{8, 8}, {9, 7}}, 1, 6, 3, 0, true), 0, ctx);
    run_tally("tally downsampling 13x11 -> 5x3", random_tally(rng, 3, 6, 13, 11, {{5, 3}}, 1, 9, 2, 1, false), 0, ctx);
    run_tally("tally image-level only", random_tally(rng, 3, 5, 7, 7, {{20, 20}}, 0, 12, 3, 2, false), 0, ctx);
    run_tally("tally no categories", random_tally(rng, 2, 5, 7, 7, {{20, 20}}, 1, 12, 0, 1, false), 0, ctx);
    run_tally("tally many categories (70)", random_tally(rng, 3, 12, 7, 7, {{28, 28}}, 2, 300, 70, 1, false), 0, ctx);
    run_tally("tally big maps in global (40x40)", random_tally(rng, 2, 9, 40, 40, {{80, 80}}, 1, 30, 5, 1, false), 0, ctx);
    run_tally("tally many labels (9000, global L)", random_tally(rng, 2, 5, 7, 7, {{56, 56}}, 2, 9000, 5, 1, false), 0, ctx);
    run_tally("tally split (staging ~1 image)", random_tally(rng, 6, 8, 7, 7, {{50, 50}}, 2, 30, 4, 1, false), 8 * 49 * 2 + 64 + 2 * 2500 * 2 + 8, ctx);
    run_tally("tally 1x1 maps, odd units", random_tally(rng, 3, 13, 1, 1, {{7, 9}}, 1, 5, 2, 0, false), 0, ctx);

    jd_status s = JD_OK;
    check_ablate("ablate per unit", rng, 5, 7, 49, false, 0, ctx);
    check_ablate("ablate per unit and location", rng, 5, 7, 49, true, 0, ctx);
    check_ablate("ablate split (staging 1 image)", rng, 6, 4, 9, true, 4 * 9 * 4, ctx);

    // Tables made for another map size (a 7x7 map to 20x20) given with a 3x3 map: refused with a message, not read.
    {
        const float th[2] = {0.0f, 0.0f};
        const int32_t primary[3] = {-1, 0, 0};
        CHECK_OK(jd_tally_begin(ctx, 2, 3, 3, th, 3, 1, primary, err, sizeof(err)));
        const jdtest::Grid g = jdtest::grid(7, 7, 20, 20);
        const std::vector<int32_t>& gi = g.ints;
        const std::vector<double>& gf = g.weights;
        const std::vector<uint16_t> acts(2 * 9, 0x3c00), lab(400, 1);
        const int64_t info[8] = {0, 20, 20, 1, 0, 0, 0, 0};
        s = jd_tally_chunk(ctx, acts.data(), 1, info, lab.data(), 400, nullptr, 0, gi.data(),
                           static_cast<long long>(gi.size()), gf.data(), static_cast<long long>(gf.size()), err,
                           sizeof(err));
        expect(s == JD_ERR_INVALID_ARGUMENT && std::strstr(err, "grid table") != nullptr,
               std::string("tables of another map size refused (got: ") + err + ")");
        std::printf("%-44s refused: %s\n", "grid tables of another map size", err);
    }

    // Order of calls is checked, with a message.
    const long long zero[1] = {0};
    s = jd_stats_locate(ctx, zero, zero, err, sizeof(err));
    expect(s == JD_ERR_INVALID_ARGUMENT && std::strstr(err, "first") != nullptr, "jd_stats_locate out of order");
    CHECK_OK(jd_context_destroy(ctx, err, sizeof(err)));
    if (failures != 0) {
        std::fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    std::printf("all statistics checks passed\n");
    return 0;
}

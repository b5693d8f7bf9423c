// GPU test of jd_tally_mask against the host reference (same tables, straightforward loops). Exits 77 (ctest:
// skipped) with the reason when there is no CUDA driver or device.
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

template <class T>
struct DeviceArray {
    T* ptr = nullptr;
    size_t count = 0;
    DeviceArray() = default;
    explicit DeviceArray(const std::vector<T>& host) : count(host.size()) {
        void* p = nullptr;
        CHECK_OK(jd_malloc(&p, count * sizeof(T), err, sizeof(err)));
        ptr = static_cast<T*>(p);
        if (count > 0) CHECK_OK(jd_memcpy(ptr, host.data(), count * sizeof(T), JD_HOST_TO_DEVICE, nullptr, err, sizeof(err)));
    }
    DeviceArray(const DeviceArray&) = delete;
    DeviceArray& operator=(const DeviceArray&) = delete;
    ~DeviceArray() { jd_free(ptr, nullptr, 0); }
    std::vector<T> to_host() const {
        std::vector<T> host(count);
        if (count > 0) CHECK_OK(jd_memcpy(host.data(), ptr, count * sizeof(T), JD_DEVICE_TO_HOST, nullptr, err, sizeof(err)));
        return host;
    }
};

// Runs the kernel on p (twice when repeat, to check that results are added) with both intersection layouts and
// compares with the reference.
void run_case(const std::string& name, const jdtest::TallyProblem& p, jd_stream stream) {
    const jdtest::TallyResult want = jdtest::reference_tally(p);
    const jdtest::Tables ty = jdtest::tables(p.in_h, p.out_h);
    const jdtest::Tables tx = jdtest::tables(p.in_w, p.out_w);
    DeviceArray<uint16_t> acts(p.acts);
    DeviceArray<float> thr(p.thresholds);
    DeviceArray<int32_t> y0(ty.i0), y1(ty.i1), x0(tx.i0), x1(tx.i1);
    DeviceArray<float> fy(ty.f), fx(tx.f);
    DeviceArray<int32_t> labels(p.labels.empty() ? std::vector<int32_t>(1, 0) : p.labels);
    const size_t per_image = static_cast<size_t>(p.units) * p.num_labels;

    for (int per_image_layout = 0; per_image_layout < 2; per_image_layout++) {
        const int repeats = per_image_layout ? 1 : 2;
        DeviceArray<unsigned long long> masks(std::vector<unsigned long long>(static_cast<size_t>(p.images) * p.units, 0));
        DeviceArray<unsigned long long> inter(
            std::vector<unsigned long long>(per_image_layout ? p.images * per_image : per_image, 0));
        for (int r = 0; r < repeats; r++) {
            CHECK_OK(jd_tally_mask(acts.ptr, p.images, p.units, p.in_h, p.in_w, thr.ptr, y0.ptr, y1.ptr, fy.ptr,
                                   x0.ptr, x1.ptr, fx.ptr, p.out_h, p.out_w, labels.ptr, p.layers, p.num_labels,
                                   masks.ptr, inter.ptr, per_image_layout ? static_cast<int64_t>(per_image) : 0,
                                   stream, err, sizeof(err)));
        }
        CHECK_OK(jd_stream_synchronize(stream, err, sizeof(err)));
        const std::vector<unsigned long long> got_masks = masks.to_host();
        const std::vector<unsigned long long> got_inter = inter.to_host();
        int bad = 0;
        for (size_t i = 0; i < got_masks.size(); i++) {
            if (got_masks[i] != repeats * want.mask_counts[i] && bad++ < 5) {
                std::fprintf(stderr, "FAIL %s (layout %d): |mask| of image %zu unit %zu = %llu, expected %llu\n",
                             name.c_str(), per_image_layout, i / p.units, i % p.units, got_masks[i],
                             (unsigned long long)(repeats * want.mask_counts[i]));
            }
        }
        for (size_t i = 0; i < got_inter.size(); i++) {
            unsigned long long expected = 0;
            if (per_image_layout) {
                expected = want.intersections[i];
            } else {
                for (int n = 0; n < p.images; n++) expected += want.intersections[n * per_image + i];
                expected *= repeats;
            }
            if (got_inter[i] != expected && bad++ < 10) {
                std::fprintf(stderr, "FAIL %s (layout %d): intersection[%zu] (unit %zu label %zu) = %llu, expected %llu\n",
                             name.c_str(), per_image_layout, i, (i % per_image) / p.num_labels, i % p.num_labels,
                             got_inter[i], expected);
            }
        }
        if (bad != 0) failures++;
    }
    unsigned long long total = 0, empty = 0;
    for (uint64_t c : want.mask_counts) {
        total += c;
        empty += c == 0;
    }
    std::printf("%-34s %dx%d -> %dx%d, %d images x %d units, %d layers, %d labels: total |mask| %llu, %llu empty: %s\n",
                name.c_str(), p.in_h, p.in_w, p.out_h, p.out_w, p.images, p.units, p.layers, p.num_labels, total,
                empty, failures ? "see failures" : "ok");
}

jdtest::TallyProblem shape(int images, int units, int in_h, int in_w, int out_h, int out_w, int layers, int num_labels) {
    jdtest::TallyProblem p;
    p.images = images;
    p.units = units;
    p.in_h = in_h;
    p.in_w = in_w;
    p.out_h = out_h;
    p.out_w = out_w;
    p.layers = layers;
    p.num_labels = num_labels;
    p.acts.resize(static_cast<size_t>(images) * units * in_h * in_w);
    p.thresholds.resize(units);
    p.labels.resize(static_cast<size_t>(images) * layers * out_h * out_w);
    return p;
}

// Random fp16 maps; labels in blobs (runs of equal labels, as in segmentations) with a share of 0 and of numbers
// outside [1, num_labels) that must be ignored; thresholds picked among the upsampled values themselves, so that
// exact ties and any rounding difference between kernel and reference change the counts.
jdtest::TallyProblem random_problem(std::mt19937& rng, int images, int units, int in_h, int in_w, int out_h, int out_w,
                                    int layers, int num_labels) {
    jdtest::TallyProblem p = shape(images, units, in_h, in_w, out_h, out_w, layers, num_labels);
    std::normal_distribution<float> normal(0.5f, 1.5f);
    for (auto& a : p.acts) a = jdtest::float_to_half(normal(rng));
    std::uniform_int_distribution<int> label(0, num_labels - 1);
    std::uniform_int_distribution<int> run(1, 40);
    std::uniform_int_distribution<int> odd(0, 99);
    for (size_t i = 0; i < p.labels.size();) {
        int l = label(rng);
        const int o = odd(rng);
        if (o < 2) l = num_labels + o;  // out of range: ignored
        if (o == 2) l = -1;             // negative: ignored
        for (int k = run(rng); k > 0 && i < p.labels.size(); k--) p.labels[i++] = l;
    }
    const jdtest::Tables ty = jdtest::tables(in_h, out_h);
    const jdtest::Tables tx = jdtest::tables(in_w, out_w);
    std::uniform_int_distribution<int> py(0, out_h - 1), px(0, out_w - 1), pick(0, 9);
    std::vector<float> map(static_cast<size_t>(in_h) * in_w);
    for (int u = 0; u < units; u++) {
        const uint16_t* src = p.acts.data() + static_cast<size_t>(u) * map.size();  // image 0's map
        for (size_t i = 0; i < map.size(); i++) map[i] = jdtest::half_to_float(src[i]);
        const int kind = pick(rng);
        if (kind == 0) {
            p.thresholds[u] = 100.0f;  // above every value: empty masks
        } else if (kind == 1) {
            p.thresholds[u] = -100.0f;  // below every value: full masks
        } else {
            p.thresholds[u] = jdtest::upsampled(map.data(), in_w, ty, tx, py(rng), px(rng));
        }
    }
    return p;
}

// Integer-valued maps on a coarse grid: many upsampled values equal the threshold exactly (ties are out), and
// maps whose maximum equals the threshold (empty masks).
jdtest::TallyProblem ties_problem(std::mt19937& rng) {
    jdtest::TallyProblem p = shape(2, 6, 4, 4, 8, 8, 1, 5);
    std::uniform_int_distribution<int> small(0, 3);
    for (auto& a : p.acts) a = jdtest::float_to_half(static_cast<float>(small(rng)));
    for (size_t i = 0; i < p.labels.size(); i++) p.labels[i] = static_cast<int32_t>(i % 5);
    for (int u = 0; u < 6; u++) p.thresholds[u] = static_cast<float>(u % 4);  // 0, 1, 2, 3 (3 = max: empty)
    // Unit 5 of image 1: a constant map equal to its threshold.
    const size_t m = 16;
    for (size_t i = 0; i < m; i++) p.acts[(1 * 6 + 5) * m + i] = jdtest::float_to_half(p.thresholds[5]);
    return p;
}

// Special values: infinities, NaN, subnormals and signed zeros follow the same IEEE operations on both sides.
jdtest::TallyProblem special_values_problem(std::mt19937& rng) {
    jdtest::TallyProblem p = random_problem(rng, 2, 4, 5, 3, 13, 11, 1, 7);
    const uint16_t specials[] = {0x7c00, 0xfc00, 0x7e00, 0x0001, 0x8001, 0x8000, 0x0000, 0x7bff, 0xfbff};
    std::uniform_int_distribution<size_t> where(0, p.acts.size() - 1);
    for (int k = 0; k < 12; k++) p.acts[where(rng)] = specials[k % 9];
    p.thresholds = {0.0f, -0.0f, 1.0f, -65504.0f};
    return p;
}

}  // namespace

int main() {
    int count = 0;
    const jd_status st = jd_device_count(&count, err, sizeof(err));
    if (st == JD_ERR_NO_DRIVER || st == JD_ERR_NO_DEVICE) {
        std::printf("SKIP: no GPU to run the tally kernel on: %s\n", err);
        return 77;
    }
    CHECK_OK(st);
    char name[256];
    size_t free_mem = 0, total_mem = 0;
    int major = 0, minor = 0, sms = 0;
    CHECK_OK(jd_device_info(0, name, sizeof(name), &free_mem, &total_mem, &major, &minor, &sms, err, sizeof(err)));
    std::printf("device 0: %s, sm_%d%d, %d SMs, %.0f of %.0f MiB free\n", name, major, minor, sms,
                free_mem / 1048576.0, total_mem / 1048576.0);

    jd_stream stream = nullptr;
    CHECK_OK(jd_stream_create(&stream, err, sizeof(err)));
    std::mt19937 rng(20240611);

    run_case("random 7x7 -> 112x112", random_problem(rng, 3, 10, 7, 7, 112, 112, 2, 20), stream);
    run_case("random 5x3 -> 13x11", random_problem(rng, 4, 9, 5, 3, 13, 11, 3, 9), stream);
    run_case("random 13x11 -> 5x3 (downsampling)", random_problem(rng, 2, 5, 13, 11, 5, 3, 1, 4), stream);
    run_case("random 14x14 -> 113x227", random_problem(rng, 2, 7, 14, 14, 113, 227, 1, 30), stream);
    run_case("random 1x1 -> 7x9", random_problem(rng, 2, 3, 1, 1, 7, 9, 1, 3), stream);
    run_case("ties at the threshold", ties_problem(rng), stream);
    run_case("special values", special_values_problem(rng), stream);
    run_case("no label layers", random_problem(rng, 2, 6, 7, 7, 56, 56, 0, 1), stream);
    run_case("map in global (112x112 -> 224x224)", random_problem(rng, 1, 3, 112, 112, 224, 224, 1, 12), stream);
    run_case("labels in global (20000 labels)", random_problem(rng, 2, 4, 7, 7, 112, 112, 2, 20000), stream);
    run_case("map and labels in global", random_problem(rng, 1, 2, 120, 120, 150, 150, 1, 15000), stream);
    run_case("many units (2 x 600, 14x14 -> 56x56)", random_problem(rng, 2, 600, 14, 14, 56, 56, 1, 50), stream);
    run_case("default stream", random_problem(rng, 2, 3, 6, 6, 30, 30, 1, 8), nullptr);

    // Zero images: nothing to do, success.
    {
        jdtest::TallyProblem p = random_problem(rng, 1, 2, 3, 3, 6, 6, 1, 3);
        const jdtest::Tables t = jdtest::tables(3, 6);
        DeviceArray<uint16_t> acts(p.acts);
        DeviceArray<float> thr(p.thresholds), f(t.f);
        DeviceArray<int32_t> i0(t.i0), i1(t.i1), labels(p.labels);
        DeviceArray<unsigned long long> masks(std::vector<unsigned long long>(2, 0)), inter(std::vector<unsigned long long>(6, 0));
        CHECK_OK(jd_tally_mask(acts.ptr, 0, 2, 3, 3, thr.ptr, i0.ptr, i1.ptr, f.ptr, i0.ptr, i1.ptr, f.ptr, 6, 6,
                               labels.ptr, 1, 3, masks.ptr, inter.ptr, 0, stream, err, sizeof(err)));
        // A host pointer where device memory is required is refused with a message, not a crash.
        jd_status s = jd_tally_mask(reinterpret_cast<const uint16_t*>(p.acts.data()), 1, 2, 3, 3, thr.ptr, i0.ptr,
                                    i1.ptr, f.ptr, i0.ptr, i1.ptr, f.ptr, 6, 6, labels.ptr, 1, 3, masks.ptr,
                                    inter.ptr, 0, stream, err, sizeof(err));
        if (s != JD_ERR_INVALID_ARGUMENT || std::strstr(err, "acts") == nullptr) {
            std::fprintf(stderr, "FAIL: host pointer for acts: %s: %s\n", jd_status_name(s), err);
            failures++;
        }
    }

    CHECK_OK(jd_stream_destroy(stream, err, sizeof(err)));
    if (failures != 0) {
        std::fprintf(stderr, "%d case(s) failed\n", failures);
        return 1;
    }
    std::printf("tally mask: all cases match the host reference\n");
    return 0;
}

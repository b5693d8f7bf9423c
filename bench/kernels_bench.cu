// Kernel benchmark of the CUDA backend on a synthetic full-Broden-scale workload shaped like ResNet-18 layer4:
// by default 63,000 images, 512 units, 7x7 maps, 112x112 label maps with 3 label layers and 1 image-level label,
// 1,198 labels in 6 categories. The data is generated on the device; the statistics go through the C API's
// _device calls with kernel profiling on. Prints images/s and achieved memory bandwidth per statistic against the
// device's peak, as "key: value" lines (bench/gpu-check.sh keeps them).
// Usage: jd_bench [--images N] [--units U] [--map S] [--labels S] [--layers L] [--repeats R]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include "jdissect_cuda.h"

namespace {

char err[1024];

#define OK(call)                                                                                          \
    do {                                                                                                  \
        jd_status s_ = (call);                                                                            \
        if (s_ != JD_OK) {                                                                                \
            std::fprintf(stderr, "jd_bench: %s failed: %s: %s\n", #call, jd_status_name(s_), err);       \
            std::exit(1);                                                                                 \
        }                                                                                                 \
    } while (0)

#define CU(call)                                                                                          \
    do {                                                                                                  \
        cudaError_t e_ = (call);                                                                          \
        if (e_ != cudaSuccess) {                                                                          \
            std::fprintf(stderr, "jd_bench: %s failed: %s\n", #call, cudaGetErrorString(e_));            \
            std::exit(1);                                                                                 \
        }                                                                                                 \
    } while (0)

__device__ __forceinline__ unsigned int mix(unsigned long long x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return static_cast<unsigned int>(x);
}

// Activations: a ReLU of a sum of uniforms (roughly normal), with a per-unit scale, as fp16.
__global__ void fill_acts(uint16_t* acts, long long n, int per_unit, int units) {
    for (long long i = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<long long>(gridDim.x) * blockDim.x) {
        const unsigned int a = mix(i * 3 + 1), b = mix(i * 3 + 2);
        const float g = (a & 0xffff) / 65536.0f + (a >> 16) / 65536.0f + (b & 0xffff) / 65536.0f - 1.5f;
        const int unit = static_cast<int>((i / per_unit) % units);
        const float v = fmaxf(0.0f, g * (1.0f + (unit % 7) * 0.25f));
        acts[i] = __half_as_ushort(__float2half_rn(v));
    }
}

// Label layers: regions of 16x16 pixels, each with one label (1 in 8 unlabelled), different per layer and image.
__global__ void fill_labels(uint16_t* labels, long long n, int side, int num_labels) {
    const long long plane = static_cast<long long>(side) * side;
    for (long long i = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<long long>(gridDim.x) * blockDim.x) {
        const long long layer_image = i / plane;
        const int p = static_cast<int>(i - layer_image * plane);
        const int y = p / side, x = p - (p / side) * side;
        const unsigned int h = mix((layer_image << 16) ^ ((y / 16) << 8) ^ (x / 16));
        labels[i] = (h & 7u) == 0 ? 0 : static_cast<uint16_t>(1 + (h >> 3) % (num_labels - 1));
    }
}

int arg(int argc, char** argv, const char* name, int fallback) {
    for (int i = 1; i + 1 < argc; i++)
        if (std::strcmp(argv[i], name) == 0) return std::atoi(argv[i + 1]);
    return fallback;
}

double now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

float key_value(int key) {
    const unsigned short bits = (key & 0x8000) != 0 ? static_cast<unsigned short>(key & 0x7fff)
                                                    : static_cast<unsigned short>(~key & 0xffff);
    return __half2float(__ushort_as_half(bits));
}

}  // namespace

int main(int argc, char** argv) {
    long long images = arg(argc, argv, "--images", 63000);
    const int units = arg(argc, argv, "--units", 512);
    const int map = arg(argc, argv, "--map", 7);
    const int side = arg(argc, argv, "--labels", 112);
    const int layers = arg(argc, argv, "--layers", 3);
    const int repeats = std::max(1, arg(argc, argv, "--repeats", 3));
    const int num_labels = 1198, num_cats = 6, topk = 10;
    const double q = 0.005;

    int count = 0;
    const jd_status st = jd_device_count(&count, err, sizeof(err));
    if (st == JD_ERR_NO_DRIVER || st == JD_ERR_NO_DEVICE) {
        std::printf("SKIP: no GPU for the kernel benchmark: %s\n", err);
        return 77;
    }
    OK(st);
    char name[256];
    size_t free_mem = 0, total_mem = 0;
    int major = 0, minor = 0, sms = 0;
    OK(jd_device_info(0, name, sizeof(name), &free_mem, &total_mem, &major, &minor, &sms, err, sizeof(err)));
    int mem_khz = 0, bus_bits = 0;
    double peak_gbs = 0.0;
    if (cudaDeviceGetAttribute(&mem_khz, cudaDevAttrMemoryClockRate, 0) == cudaSuccess &&
        cudaDeviceGetAttribute(&bus_bits, cudaDevAttrGlobalMemoryBusWidth, 0) == cudaSuccess && mem_khz > 0) {
        peak_gbs = 2.0 * mem_khz * 1e3 * (bus_bits / 8.0) / 1e9;
    }
    cudaGetLastError();
    std::printf("device: %s, sm_%d%d, %d SMs, %.1f GiB free of %.1f GiB, peak memory bandwidth %.0f GB/s\n", name,
                major, minor, sms, free_mem / 1073741824.0, total_mem / 1073741824.0, peak_gbs);

    const size_t hw = static_cast<size_t>(map) * map;
    const size_t plane = static_cast<size_t>(side) * side;
    const size_t per_image = units * hw * 2 + layers * plane * 2 + 8 * 8 + 4 + static_cast<size_t>(units) * 4;
    const long long fit = static_cast<long long>((free_mem * 0.8) / per_image);
    if (fit < images) {
        std::printf("note: %lld images do not fit in free memory; benchmarking %lld and scaling the times\n", images,
                    fit);
    }
    const long long full = images;
    images = std::min(images, fit);
    const double scale = static_cast<double>(full) / images;
    std::printf("workload: %lld images x %d units x %dx%d maps, %dx%d labels x %d layers + 1 image-level, "
                "%d labels, %d categories, q %.3f, top %d\n",
                full, units, map, map, side, side, layers, num_labels, num_cats, q, topk);

    uint16_t *acts = nullptr, *labels = nullptr;
    const size_t n_acts = images * units * hw, n_labels = images * layers * plane;
    CU(cudaMalloc(&acts, n_acts * 2));
    CU(cudaMalloc(&labels, std::max<size_t>(2, n_labels * 2)));
    fill_acts<<<4096, 256>>>(acts, static_cast<long long>(n_acts), static_cast<int>(hw), units);
    if (n_labels > 0) fill_labels<<<4096, 256>>>(labels, static_cast<long long>(n_labels), side, num_labels);
    CU(cudaGetLastError());
    CU(cudaDeviceSynchronize());

    jd_context ctx = nullptr;
    OK(jd_context_create(0, &ctx, err, sizeof(err)));

    // ---- pass 1
    const long long values = images * static_cast<long long>(hw);
    const long long low_rank = static_cast<long long>(std::floor((values - 1) * (1.0 - q)));
    const long long high_rank = std::min(low_rank + 1, values - 1);
    std::vector<int32_t> low(units), high(units), top_images(units * topk), top_keys(units * topk);
    double best_p1 = 1e30, t_coarse = 0, t_max = 0, t_topk = 0, t_fine = 0;
    for (int r = 0; r < repeats; r++) {
        OK(jd_context_set_profiling(ctx, 1, err, sizeof(err)));
        const double t0 = now();
        OK(jd_stats_begin(ctx, units, static_cast<int>(hw), images, topk, nullptr, err, sizeof(err)));
        OK(jd_stats_coarse_device(ctx, acts, 0, static_cast<int>(images), err, sizeof(err)));
        OK(jd_stats_locate(ctx, low_rank, high_rank, err, sizeof(err)));
        OK(jd_stats_fine_device(ctx, acts, static_cast<int>(images), err, sizeof(err)));
        OK(jd_stats_finish(ctx, low.data(), high.data(), top_images.data(), top_keys.data(), err, sizeof(err)));
        const double t = now() - t0;
        double ms[JD_TIMING_COUNT];
        OK(jd_context_timings(ctx, ms, err, sizeof(err)));
        if (t < best_p1) {
            best_p1 = t;
            t_coarse = ms[JD_TIMING_COARSE] / 1e3;
            t_max = ms[JD_TIMING_MAX_KEYS] / 1e3;
            t_topk = ms[JD_TIMING_TOPK] / 1e3;
            t_fine = ms[JD_TIMING_FINE] / 1e3;
        }
    }
    std::vector<float> thresholds(units);
    const double h = (values - 1) * (1.0 - q);
    const double frac = h - std::floor(h);
    for (int u = 0; u < units; u++) {
        const float lo = key_value(low[u]), hi = key_value(high[u]);
        thresholds[u] = frac == 0.0 ? lo : static_cast<float>(lo + frac * (static_cast<double>(hi) - lo));
    }

    // ---- pass 2
    std::vector<int32_t> ti, gi;
    std::vector<float> gf;
    {
        std::vector<int32_t> i0(side), i1(side);
        std::vector<float> f(side);
        OK(jd_bilinear_tables(map, side, i0.data(), i1.data(), f.data(), err, sizeof(err)));
        for (int a = 0; a < 2; a++) {
            gi.insert(gi.end(), i0.begin(), i0.end());
            gi.insert(gi.end(), i1.begin(), i1.end());
        }
        for (int a = 0; a < 2; a++) {  // ylo yhi then xlo xhi (square)
            for (int s = 0; s < map; s++) {
                int lo = side;
                for (int i = 0; i < side; i++) if (i1[i] >= s) { lo = i; break; }
                gi.push_back(lo);
            }
            for (int s = 0; s < map; s++) {
                int hi = -1;
                for (int i = side - 1; i >= 0; i--) if (i0[i] <= s) { hi = i; break; }
                gi.push_back(hi);
            }
        }
        gf.insert(gf.end(), f.begin(), f.end());
        gf.insert(gf.end(), f.begin(), f.end());
    }
    std::vector<int64_t> info(images * 8);
    std::vector<int32_t> levels(images);
    for (long long n = 0; n < images; n++) {
        int64_t* r = info.data() + n * 8;
        r[0] = n * layers * static_cast<int64_t>(plane);
        r[1] = side; r[2] = side; r[3] = layers; r[4] = n; r[5] = 1; r[6] = 0; r[7] = 0;
        levels[n] = 1 + static_cast<int32_t>((n * 2654435761ull) % (num_labels - 1));
    }
    std::vector<int32_t> primary(num_labels);
    for (int l = 0; l < num_labels; l++) primary[l] = l == 0 ? -1 : l % num_cats;
    int64_t *d_info = nullptr;
    int32_t *d_levels = nullptr, *d_gi = nullptr;
    float* d_gf = nullptr;
    CU(cudaMalloc(&d_info, info.size() * 8));
    CU(cudaMalloc(&d_levels, levels.size() * 4));
    CU(cudaMalloc(&d_gi, gi.size() * 4));
    CU(cudaMalloc(&d_gf, gf.size() * 4));
    CU(cudaMemcpy(d_info, info.data(), info.size() * 8, cudaMemcpyHostToDevice));
    CU(cudaMemcpy(d_levels, levels.data(), levels.size() * 4, cudaMemcpyHostToDevice));
    CU(cudaMemcpy(d_gi, gi.data(), gi.size() * 4, cudaMemcpyHostToDevice));
    CU(cudaMemcpy(d_gf, gf.data(), gf.size() * 4, cudaMemcpyHostToDevice));
    std::vector<int64_t> inter(static_cast<size_t>(units) * num_labels), act(units * num_cats), lpix(num_labels),
        mask(units);
    double best_p2 = 1e30, t_tally = 0;
    for (int r = 0; r < repeats; r++) {
        OK(jd_context_set_profiling(ctx, 1, err, sizeof(err)));
        const double t0 = now();
        OK(jd_tally_begin(ctx, units, map, map, thresholds.data(), num_labels, num_cats, primary.data(), err,
                          sizeof(err)));
        OK(jd_tally_chunk_device(ctx, acts, static_cast<int>(images), d_info, info.data(), labels, d_levels, d_gi,
                                 d_gf, err, sizeof(err)));
        OK(jd_tally_finish(ctx, inter.data(), act.data(), lpix.data(), mask.data(), err, sizeof(err)));
        const double t = now() - t0;
        double ms[JD_TIMING_COUNT];
        OK(jd_context_timings(ctx, ms, err, sizeof(err)));
        if (t < best_p2) {
            best_p2 = t;
            t_tally = ms[JD_TIMING_TALLY] / 1e3;
        }
    }
    long long mask_total = 0, inter_total = 0;
    for (int64_t m : mask) mask_total += m;
    for (int64_t v : inter) inter_total += v;

    const double acts_gb = n_acts * 2 / 1e9, labels_gb = n_labels * 2 / 1e9;
    auto line = [&](const char* what, double seconds, double gb) {
        const double s_full = seconds * scale;
        std::printf("%-34s %8.3f s  %10.0f images/s  %7.0f GB/s  (%4.1f%% of peak)\n", what, s_full,
                    full / s_full, gb / seconds, peak_gbs > 0 ? 100.0 * gb / seconds / peak_gbs : 0.0);
    };
    std::printf("\nkernel times for %lld images (best of %d):\n", full, repeats);
    line("quantile (coarse + fine histogram)", t_coarse + t_fine, 2 * acts_gb);
    line("top-k (per-image maxima + merge)", t_max + t_topk, acts_gb);
    line("  coarse histogram", t_coarse, acts_gb);
    line("  fine histogram", t_fine, acts_gb);
    line("  per-image maxima", t_max, acts_gb);
    line("  top-k merge", t_topk, 0.0);
    line("tally (fused, with label pixels)", t_tally, acts_gb + labels_gb);
    std::printf("%-34s %8.3f s  (pass 1 through the C API, host round trips included)\n", "pass 1 wall", best_p1 * scale);
    std::printf("%-34s %8.3f s  (pass 2 through the C API, counts copied back)\n", "pass 2 wall", best_p2 * scale);
    std::printf("bytes: activations %.2f GB, label maps %.2f GB; tally counts: |mask| %lld, intersections %lld\n",
                acts_gb, labels_gb, mask_total, inter_total);
    std::printf("thresholds: unit 0 %.6g, unit 1 %.6g; top image of unit 0: %d\n", thresholds[0], thresholds[1],
                top_images[0]);
    std::printf("quantile_s=%.4f topk_s=%.4f tally_s=%.4f\n", (t_coarse + t_fine) * scale, (t_max + t_topk) * scale,
                t_tally * scale);
    OK(jd_context_destroy(ctx, err, sizeof(err)));
    return 0;
}

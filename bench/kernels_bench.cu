// Benchmark of the CUDA backend's C API on a synthetic full-Broden-scale workload shaped like ResNet-18 layer4:
// by default 63,000 images, 512 units, 7x7 maps, 112x112 label maps with 3 label layers and 1 image-level label,
// 1,198 labels in 6 categories. It makes the calls CudaBackend makes, in the same order, on host memory in chunks
// of the same size (16M activation values), so the times are those of the shipped path: the copies to the device
// included, the JNI crossing excluded. The data is generated on the device and copied to host memory first.
// Prints the time of each call kind, images/s and bytes per second, as "key: value" lines and a last
// "pass1_s=... pass2_s=..." line (bench/gpu-check.sh keeps them).
// Usage: jd_bench [--images N] [--units U] [--map S] [--labels S] [--layers L] [--repeats R] [--dump DIR]
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include "jdissect_cuda.h"
#include "reference.h"

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

// CudaBackend.CHUNK_VALUES: activation values per host chunk.
constexpr long long kChunkValues = 16ll << 20;

__device__ __forceinline__ unsigned int mix(unsigned long long x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return static_cast<unsigned int>(x);
}

// Activations [base, base + n): a ReLU of a sum of uniforms (roughly normal), with a per-unit scale, as fp16.
__global__ void fill_acts(uint16_t* acts, long long base, long long n, int per_unit, int units) {
    for (long long j = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x; j < n;
         j += static_cast<long long>(gridDim.x) * blockDim.x) {
        const long long i = base + j;
        const unsigned int a = mix(i * 3 + 1), b = mix(i * 3 + 2);
        const float g = (a & 0xffff) / 65536.0f + (a >> 16) / 65536.0f + (b & 0xffff) / 65536.0f - 1.5f;
        const int unit = static_cast<int>((i / per_unit) % units);
        const float v = fmaxf(0.0f, g * (1.0f + (unit % 7) * 0.25f));
        acts[j] = __half_as_ushort(__float2half_rn(v));
    }
}

// Label pixels [base, base + n): regions of 16x16 pixels, each with one label (1 in 8 unlabelled), different per
// layer and image.
__global__ void fill_labels(uint16_t* labels, long long base, long long n, int side, int num_labels) {
    const long long plane = static_cast<long long>(side) * side;
    for (long long j = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x; j < n;
         j += static_cast<long long>(gridDim.x) * blockDim.x) {
        const long long i = base + j;
        const long long layer_image = i / plane;
        const int p = static_cast<int>(i - layer_image * plane);
        const int y = p / side, x = p - (p / side) * side;
        const unsigned int h = mix((layer_image << 16) ^ ((y / 16) << 8) ^ (x / 16));
        labels[j] = (h & 7u) == 0 ? 0 : static_cast<uint16_t>(1 + (h >> 3) % (num_labels - 1));
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

// Fp16.fromSortKey, then the half's value.
float key_value(int key) {
    const unsigned short bits = (key & 0x8000) != 0 ? static_cast<unsigned short>(key & 0x7fff)
                                                    : static_cast<unsigned short>(~key & 0xffff);
    return __half2float(__ushort_as_half(bits));
}

// --dump DIR: the benchmark's inputs and results as files, so that the PyTorch peer (bench/peer/torch_stats.py
// --data DIR) times the same bytes: acts.f16 [images][units][map][map] (fp16 bits), labels.u16
// [images][layers][side][side], levels.i32 [images], thresholds.f32 [units], and meta.txt (key=value lines: the
// shape, q and the tally's totals). One file each, written with stdio; returns false on the first error.
bool write_file(const char* dir, const char* name, const void* data, size_t bytes) {
    std::string path = std::string(dir) + "/" + name;
    FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) {
        std::fprintf(stderr, "jd_bench: cannot write %s: %s\n", path.c_str(), std::strerror(errno));
        return false;
    }
    const bool ok = bytes == 0 || std::fwrite(data, 1, bytes, f) == bytes;
    if (std::fclose(f) != 0 || !ok) {
        std::fprintf(stderr, "jd_bench: writing %s failed: %s\n", path.c_str(), std::strerror(errno));
        return false;
    }
    return true;
}

const char* text_arg(int argc, char** argv, const char* name) {
    for (int i = 1; i + 1 < argc; i++) {
        if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
    }
    return nullptr;
}

// Seconds per call kind, the best repeat's.
struct Phase {
    const char* name;
    double s;
};

}  // namespace

int main(int argc, char** argv) {
    long long images = arg(argc, argv, "--images", 63000);
    const int units = arg(argc, argv, "--units", 512);
    const int map = arg(argc, argv, "--map", 7);
    const int side = arg(argc, argv, "--labels", 112);
    const int layers = arg(argc, argv, "--layers", 3);
    const int repeats = std::max(1, arg(argc, argv, "--repeats", 3));
    const char* dump = text_arg(argc, argv, "--dump");
    const int num_labels = 1198, num_cats = 6, topk = 10;
    const double q = 0.005;

    int count = 0;
    const jd_status st = jd_device_count(&count, err, sizeof(err));
    if (st == JD_ERR_NO_DRIVER || st == JD_ERR_NO_DEVICE) {
        std::printf("SKIP: no GPU for the benchmark: %s\n", err);
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

    // Host memory holds the whole workload (as an activation cache and a dataset would); at most half of it.
    const size_t hw = static_cast<size_t>(map) * map;
    const size_t plane = static_cast<size_t>(side) * side;
    const size_t per_image = units * hw * 2 + layers * plane * 2 + 8 * 8 + 4;
    const double host_mem = static_cast<double>(sysconf(_SC_PHYS_PAGES)) * sysconf(_SC_PAGESIZE);
    const long long fit = std::max(1ll, static_cast<long long>(host_mem * 0.5 / per_image));
    if (fit < images) {
        std::printf("note: %lld images do not fit in half of host memory; benchmarking %lld and scaling the times\n",
                    images, fit);
    }
    const long long full = images;
    images = std::min(images, fit);
    const double scale = static_cast<double>(full) / images;
    const int chunk = static_cast<int>(std::max(1ll, std::min(images, kChunkValues / static_cast<long long>(units * hw))));
    std::printf("workload: %lld images x %d units x %dx%d maps, %dx%d labels x %d layers + 1 image-level, "
                "%d labels, %d categories, q %.3f, top %d; host chunks of %d images\n",
                full, units, map, map, side, side, layers, num_labels, num_cats, q, topk, chunk);

    const size_t n_acts = images * units * hw, n_labels = images * layers * plane;
    std::vector<uint16_t> acts(n_acts), labels(std::max<size_t>(1, n_labels));
    {
        const double t0 = now();
        const size_t piece = static_cast<size_t>(64) << 20;
        uint16_t* d = nullptr;
        CU(cudaMalloc(&d, piece * 2));
        for (size_t done = 0; done < n_acts; done += piece) {
            const size_t n = std::min(piece, n_acts - done);
            fill_acts<<<4096, 256>>>(d, static_cast<long long>(done), static_cast<long long>(n), static_cast<int>(hw),
                                     units);
            CU(cudaGetLastError());
            CU(cudaMemcpy(acts.data() + done, d, n * 2, cudaMemcpyDeviceToHost));
        }
        for (size_t done = 0; done < n_labels; done += piece) {
            const size_t n = std::min(piece, n_labels - done);
            fill_labels<<<4096, 256>>>(d, static_cast<long long>(done), static_cast<long long>(n), side, num_labels);
            CU(cudaGetLastError());
            CU(cudaMemcpy(labels.data() + done, d, n * 2, cudaMemcpyDeviceToHost));
        }
        CU(cudaFree(d));
        std::printf("data: %.2f GB of activations and %.2f GB of label maps in host memory (%.1f s to make)\n",
                    n_acts * 2 / 1e9, n_labels * 2 / 1e9, now() - t0);
    }

    jd_context ctx = nullptr;
    OK(jd_context_create(0, &ctx, err, sizeof(err)));
    const size_t values_per_image = static_cast<size_t>(units) * hw;

    // ---- pass 1, as CudaBackend.unitStats
    const long long values = images * static_cast<long long>(hw);
    const long long low_rank = static_cast<long long>(std::floor((values - 1) * (1.0 - q)));
    const long long high_rank = std::min(low_rank + 1, values - 1);
    const std::vector<long long> low_ranks(units, low_rank), high_ranks(units, high_rank);
    std::vector<int32_t> low(units), high(units), top_images(units * topk), top_keys(units * topk);
    Phase p1[5] = {{"jd_stats_begin", 0}, {"jd_stats_coarse (copy in; histogram, maxima, top-k)", 0},
                   {"jd_stats_locate", 0}, {"jd_stats_fine", 0}, {"jd_stats_finish", 0}};
    double best_p1 = 1e30;
    int resident = 0;
    for (int r = 0; r < repeats; r++) {
        double t[6];
        t[0] = now();
        OK(jd_stats_begin(ctx, units, static_cast<int>(hw), images, topk, &resident, err, sizeof(err)));
        t[1] = now();
        for (long long first = 0; first < images; first += chunk) {
            const int m = static_cast<int>(std::min<long long>(chunk, images - first));
            OK(jd_stats_coarse(ctx, acts.data() + first * values_per_image, first, m, err, sizeof(err)));
        }
        t[2] = now();
        OK(jd_stats_locate(ctx, low_ranks.data(), high_ranks.data(), err, sizeof(err)));
        t[3] = now();
        if (resident != 0) {
            OK(jd_stats_fine(ctx, nullptr, static_cast<int>(images), err, sizeof(err)));
        } else {
            for (long long first = 0; first < images; first += chunk) {
                const int m = static_cast<int>(std::min<long long>(chunk, images - first));
                OK(jd_stats_fine(ctx, acts.data() + first * values_per_image, m, err, sizeof(err)));
            }
        }
        t[4] = now();
        OK(jd_stats_finish(ctx, low.data(), high.data(), top_images.data(), top_keys.data(), err, sizeof(err)));
        t[5] = now();
        if (t[5] - t[0] < best_p1) {
            best_p1 = t[5] - t[0];
            for (int i = 0; i < 5; i++) p1[i].s = t[i + 1] - t[i];
        }
    }
    p1[3].name = resident != 0 ? "jd_stats_fine (activations kept on the device)" : "jd_stats_fine (copy in again)";
    std::vector<float> thresholds(units);
    const double h = (values - 1) * (1.0 - q);
    const double frac = h - std::floor(h);
    for (int u = 0; u < units; u++) {
        const float lo = key_value(low[u]), hi = key_value(high[u]);
        thresholds[u] = frac == 0.0 ? lo : static_cast<float>(lo + frac * (static_cast<double>(hi) - lo));
    }

    // ---- pass 2, as CudaBackend.tally: one grid (every label map is side x side), descriptors per chunk
    // Upsampling.axis(map, side) on both axes, as the native tests' host reference packs it
    const jdtest::Grid grid = jdtest::grid(map, map, side, side);
    const std::vector<int32_t>& gi = grid.ints;
    const std::vector<double>& gf = grid.weights;
    std::vector<int32_t> levels(images);
    for (long long n = 0; n < images; n++) levels[n] = 1 + static_cast<int32_t>((n * 2654435761ull) % (num_labels - 1));
    std::vector<int32_t> primary(num_labels);
    for (int l = 0; l < num_labels; l++) primary[l] = l == 0 ? -1 : l % num_cats;
    std::vector<int64_t> inter(static_cast<size_t>(units) * num_labels), act(units * num_cats), lpix(num_labels),
        mask(units), info(static_cast<size_t>(chunk) * 8);
    const long long label_plane = static_cast<long long>(layers) * plane;
    Phase p2[3] = {{"jd_tally_begin", 0}, {"jd_tally_chunk (copy in; fused tally)", 0}, {"jd_tally_finish", 0}};
    double best_p2 = 1e30;
    for (int r = 0; r < repeats; r++) {
        double t[4];
        t[0] = now();
        OK(jd_tally_begin(ctx, units, map, map, thresholds.data(), num_labels, num_cats, primary.data(), err,
                          sizeof(err)));
        t[1] = now();
        for (long long first = 0; first < images; first += chunk) {
            const int m = static_cast<int>(std::min<long long>(chunk, images - first));
            for (int i = 0; i < m; i++) {
                int64_t* d = info.data() + static_cast<size_t>(i) * 8;
                d[0] = i * label_plane;
                d[1] = side; d[2] = side; d[3] = layers; d[4] = i; d[5] = 1; d[6] = 0; d[7] = 0;
            }
            OK(jd_tally_chunk(ctx, acts.data() + first * values_per_image, m, info.data(), labels.data() + first * label_plane,
                              m * label_plane, levels.data() + first, m, gi.data(), static_cast<long long>(gi.size()),
                              gf.data(), static_cast<long long>(gf.size()), err, sizeof(err)));
        }
        t[2] = now();
        OK(jd_tally_finish(ctx, inter.data(), act.data(), lpix.data(), mask.data(), err, sizeof(err)));
        t[3] = now();
        if (t[3] - t[0] < best_p2) {
            best_p2 = t[3] - t[0];
            for (int i = 0; i < 3; i++) p2[i].s = t[i + 1] - t[i];
        }
    }
    long long mask_total = 0, inter_total = 0;
    for (int64_t m : mask) mask_total += m;
    for (int64_t v : inter) inter_total += v;
    OK(jd_context_destroy(ctx, err, sizeof(err)));

    const double acts_gb = n_acts * 2 / 1e9, labels_gb = n_labels * 2 / 1e9;
    auto line = [&](const char* what, double seconds, double gb, const char* per) {
        const double s_full = seconds * scale;
        std::printf("  %-52s %8.4f s", what, s_full);
        if (gb > 0) std::printf("  %10.0f images/s  %6.1f GB/s %s", full / s_full, gb / seconds, per);
        std::printf("\n");
    };
    std::printf("\npass 1 (thresholds and top-k) for %lld images, best of %d, %s:\n", full, repeats,
                resident != 0 ? "activations resident on the device after jd_stats_coarse" : "not resident");
    line(p1[0].name, p1[0].s, 0, "");
    line(p1[1].name, p1[1].s, acts_gb, "of host data");
    line(p1[2].name, p1[2].s, 0, "");
    if (resident != 0) {
        char per[64];
        std::snprintf(per, sizeof(per), "of device memory (%.0f%% of peak)",
                      peak_gbs > 0 ? 100.0 * acts_gb / p1[3].s / peak_gbs : 0.0);
        line(p1[3].name, p1[3].s, acts_gb, per);
    } else {
        line(p1[3].name, p1[3].s, acts_gb, "of host data");
    }
    line(p1[4].name, p1[4].s, 0, "");
    line("pass 1", best_p1, acts_gb, "of activations");
    std::printf("\npass 2 (tally) for %lld images, best of %d:\n", full, repeats);
    line(p2[0].name, p2[0].s, 0, "");
    line(p2[1].name, p2[1].s, acts_gb + labels_gb, "of host data");
    line(p2[2].name, p2[2].s, 0, "");
    line("pass 2", best_p2, acts_gb + labels_gb, "of activations and labels");
    std::printf("\nbytes: activations %.2f GB, label maps %.2f GB; tally counts: |mask| %lld, intersections %lld\n",
                acts_gb, labels_gb, mask_total, inter_total);
    std::printf("thresholds: unit 0 %.6g, unit 1 %.6g; top image of unit 0: %d\n", thresholds[0], thresholds[1],
                top_images[0]);
    std::printf("pass1_s=%.4f pass2_s=%.4f\n", best_p1 * scale, best_p2 * scale);
    if (dump != nullptr) {
        const double t0 = now();
        char meta[512];
        const int len = std::snprintf(meta, sizeof(meta),
                                      "images=%lld\nunits=%d\nmap=%d\nside=%d\nlayers=%d\nnum_labels=%d\n"
                                      "num_cats=%d\nq=%.17g\ntopk=%d\nmask_total=%lld\ninter_total=%lld\n",
                                      images, units, map, side, layers, num_labels, num_cats, q, topk, mask_total,
                                      inter_total);
        if (!write_file(dump, "acts.f16", acts.data(), n_acts * 2) ||
            !write_file(dump, "labels.u16", labels.data(), n_labels * 2) ||
            !write_file(dump, "levels.i32", levels.data(), levels.size() * 4) ||
            !write_file(dump, "thresholds.f32", thresholds.data(), thresholds.size() * 4) ||
            !write_file(dump, "meta.txt", meta, static_cast<size_t>(len))) {
            return 1;
        }
        std::printf("dump: %s (%.1f GB in %.1f s)\n", dump, (n_acts + n_labels) * 2 / 1e9, now() - t0);
    }
    return 0;
}

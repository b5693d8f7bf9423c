// Statistics contexts of the C API (jdissect_cuda.h): pass 1 (quantile keys, top-k), pass 2 (the fused tally) and
// masked ablation, over host data streamed in chunks. Host chunks are staged in device buffers
// that grow on demand within a budget (half of the memory free, or the limit a caller set); a chunk that does not
// fit is processed in pieces, so a large batch is split rather than refused.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include <cuda_runtime_api.h>

#include "../kernels/stats.cuh"
#include "jd_cuda_internal.h"

using jd::fail;

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

struct Buffer {
    void* ptr = nullptr;
    size_t bytes = 0;
};

enum class Phase { kIdle, kCoarse, kFine };

}  // namespace

struct jd_context_opaque {
    int device = 0;
    cudaStream_t stream = nullptr;
    size_t staging_limit = 0;

    // Staging of host data.
    Buffer acts, labels, levels, info, grid_ints, grid_weights, values, alpha, replacement;

    // Pass 1.
    Phase phase = Phase::kIdle;
    int units = 0, hw = 0, topk = 0;
    long long images = 0, seen = 0, fine_seen = 0;
    bool resident = false;
    Buffer resident_acts, coarse, fine, max_keys, top[2], bins;
    int top_current = 0;
    std::vector<int32_t> bin_low, bin_high;
    std::vector<long long> rest_low, rest_high;

    // Pass 2.
    bool tally_open = false;
    int t_units = 0, t_h = 0, t_w = 0, num_labels = 0, num_categories = 0;
    Buffer thresholds, primary, intersection, activation, mask_pixels, label_pixels;
};

namespace {

Buffer* staging_buffers(jd_context ctx, size_t* count) {
    *count = 9;
    return &ctx->acts;
}

size_t staging_held(jd_context ctx) {
    size_t n = 0;
    const Buffer* b = staging_buffers(ctx, &n);
    size_t held = 0;
    for (size_t i = 0; i < n; i++) held += b[i].bytes;
    return held;
}

void release(Buffer& b) {
    if (b.ptr != nullptr) cudaFree(b.ptr);
    b.ptr = nullptr;
    b.bytes = 0;
}

// Makes b hold at least bytes (contents are not kept), checking the request against the free memory first.
jd_status reserve(Buffer& b, size_t bytes, const char* fn, const char* what, char* err, size_t err_len) {
    if (b.bytes >= bytes) return JD_OK;
    release(b);
    if (bytes == 0) return JD_OK;
    size_t free_b = 0, total_b = 0;
    JD_CUDA(cudaMemGetInfo(&free_b, &total_b), "cudaMemGetInfo");
    if (bytes > free_b) {
        return fail(JD_ERR_OUT_OF_MEMORY, err, err_len,
                    "%s: out of GPU memory for %s: %.1f MiB needed, %.1f MiB free of %.1f MiB", fn, what,
                    bytes / kMiB, free_b / kMiB, total_b / kMiB);
    }
    const cudaError_t e = cudaMalloc(&b.ptr, bytes);
    if (e != cudaSuccess) {
        cudaGetLastError();
        b.ptr = nullptr;
        return fail(e == cudaErrorMemoryAllocation ? JD_ERR_OUT_OF_MEMORY : jd::status_of(e), err, err_len,
                    "%s: cudaMalloc of %.1f MiB for %s failed: %s (%.1f MiB were free)", fn, bytes / kMiB, what,
                    cudaGetErrorString(e), free_b / kMiB);
    }
    b.bytes = bytes;
    return JD_OK;
}

// Bytes of device memory the staging buffers may use together.
jd_status staging_budget(jd_context ctx, size_t* budget, const char* fn, char* err, size_t err_len) {
    if (ctx->staging_limit != 0) {
        *budget = ctx->staging_limit;
        return JD_OK;
    }
    size_t free_b = 0, total_b = 0;
    JD_CUDA(cudaMemGetInfo(&free_b, &total_b), "cudaMemGetInfo");
    *budget = (free_b + staging_held(ctx)) / 2;
    return JD_OK;
}

jd_status enter(jd_context ctx, const char* fn, char* err, size_t err_len) {
    if (ctx == nullptr) return fail(JD_ERR_INVALID_ARGUMENT, err, err_len, "%s: ctx is null", fn);
    JD_REQUIRE_DRIVER();
    JD_CUDA(cudaSetDevice(ctx->device), "cudaSetDevice");
    return JD_OK;
}

jd_status upload(void* dst, const void* src, size_t bytes, cudaStream_t s, const char* fn, char* err,
                 size_t err_len) {
    if (bytes == 0) return JD_OK;
    JD_CUDA(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyHostToDevice, s), "cudaMemcpyAsync (to device)");
    return JD_OK;
}

jd_status download(void* dst, const void* src, size_t bytes, cudaStream_t s, const char* fn, char* err,
                   size_t err_len) {
    if (bytes == 0) return JD_OK;
    JD_CUDA(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToHost, s), "cudaMemcpyAsync (to host)");
    JD_CUDA(cudaStreamSynchronize(s), "cudaStreamSynchronize");
    return JD_OK;
}

jd_status launched(cudaError_t e, const char* fn, const char* what, char* err, size_t err_len) {
    if (e != cudaSuccess) return jd::cuda_fail(e, fn, what, err, err_len);
    return JD_OK;
}

// The bin of 256 holding the value of 0-based rank `rank`, and the rank within it (CpuBackend.locate).
bool locate(const unsigned long long* hist, long long rank, int32_t* bin, long long* rest) {
    long long seen = 0;
    for (int b = 0; b < 256; b++) {
        const long long c = static_cast<long long>(hist[b]);
        if (rank < seen + c) {
            *bin = b;
            *rest = rank - seen;
            return true;
        }
        seen += c;
    }
    return false;
}

void end_stats(jd_context ctx) {
    ctx->phase = Phase::kIdle;
    release(ctx->resident_acts);
    ctx->resident = false;
}

// ---- pass 1 on activations in device memory (host chunks are staged by the C API functions below)

jd_status count_coarse(jd_context ctx, const uint16_t* acts, long long first_image, int images, const char* fn,
                       char* err, size_t err_len) {
    if (ctx->phase != Phase::kCoarse) {
        return fail(JD_ERR_INVALID_ARGUMENT, err, err_len, "%s: call jd_stats_begin first (or jd_stats_locate was "
                    "already called)", fn);
    }
    if (images < 0 || first_image != ctx->seen || ctx->seen + images > ctx->images) {
        return fail(JD_ERR_INVALID_ARGUMENT, err, err_len,
                    "%s: images must come in order: expected first_image %lld, got %lld with %d images (of %lld)",
                    fn, ctx->seen, first_image, images, ctx->images);
    }
    if (images == 0) return JD_OK;
    JD_TRY(reserve(ctx->max_keys, static_cast<size_t>(images) * ctx->units * sizeof(int32_t), fn, "per-image maxima",
                   err, err_len));
    const unsigned long long* top_in = static_cast<const unsigned long long*>(ctx->top[ctx->top_current].ptr);
    unsigned long long* top_out = static_cast<unsigned long long*>(ctx->top[1 - ctx->top_current].ptr);
    int32_t* max_keys = static_cast<int32_t*>(ctx->max_keys.ptr);
    JD_TRY(launched(jd::launch_coarse_histogram(acts, images, ctx->units, ctx->hw,
                                                static_cast<unsigned long long*>(ctx->coarse.ptr), ctx->stream),
                    fn, "coarse histogram launch", err, err_len));
    JD_TRY(launched(jd::launch_max_keys(acts, images, ctx->units, ctx->hw, max_keys, ctx->stream), fn,
                    "maximum launch", err, err_len));
    if (ctx->topk > 0) {
        JD_TRY(launched(jd::launch_topk_merge(top_in, max_keys, images, ctx->units, static_cast<int>(first_image),
                                              ctx->topk, top_out, ctx->stream),
                        fn, "top-k launch", err, err_len));
        ctx->top_current = 1 - ctx->top_current;
    }
    ctx->seen += images;
    return JD_OK;
}

jd_status count_fine(jd_context ctx, const uint16_t* acts, int images, const char* fn, char* err, size_t err_len) {
    if (ctx->phase != Phase::kFine) {
        return fail(JD_ERR_INVALID_ARGUMENT, err, err_len, "%s: call jd_stats_locate first", fn);
    }
    if (images < 0 || ctx->fine_seen + images > ctx->images) {
        return fail(JD_ERR_INVALID_ARGUMENT, err, err_len, "%s: %d more images after %lld exceed the %lld begun",
                    fn, images, ctx->fine_seen, ctx->images);
    }
    if (images == 0) return JD_OK;
    const int32_t* bins = static_cast<const int32_t*>(ctx->bins.ptr);
    JD_TRY(launched(jd::launch_fine_histogram(acts, images, ctx->units, ctx->hw, bins, bins + ctx->units,
                                              static_cast<unsigned long long*>(ctx->fine.ptr), ctx->stream),
                    fn, "fine histogram launch", err, err_len));
    ctx->fine_seen += images;
    return JD_OK;
}

// Host activations in pieces that fit the staging budget; `step` runs on each piece's device copy.
template <class Step>
jd_status staged_acts(jd_context ctx, const uint16_t* acts, int images, const char* fn, char* err, size_t err_len,
                      Step step) {
    const size_t per_image = static_cast<size_t>(ctx->units) * ctx->hw * sizeof(uint16_t);
    size_t budget = 0;
    JD_TRY(staging_budget(ctx, &budget, fn, err, err_len));
    long long piece = static_cast<long long>(budget / std::max<size_t>(per_image, 1));
    piece = std::max(1ll, std::min(piece, static_cast<long long>(images)));
    JD_TRY(reserve(ctx->acts, static_cast<size_t>(piece) * per_image, fn, "staged activations", err, err_len));
    for (int done = 0; done < images;) {
        const int n = static_cast<int>(std::min<long long>(piece, images - done));
        JD_TRY(upload(ctx->acts.ptr, acts + static_cast<size_t>(done) * (per_image / sizeof(uint16_t)),
                      static_cast<size_t>(n) * per_image, ctx->stream, fn, err, err_len));
        JD_TRY(step(static_cast<const uint16_t*>(ctx->acts.ptr), done, n));
        done += n;
    }
    return JD_OK;
}

// ---- pass 2

struct ImageInfo {
    long long label_offset, sh, sw, layers, level_offset, level_count, grid_ints, grid_weights;
};

ImageInfo info_of(const int64_t* info, long long n) {
    const int64_t* r = info + n * jd::kImageFields;
    return ImageInfo{r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]};
}

// Checks every image's descriptor against the sizes of the buffers and the image order.
jd_status check_info(jd_context ctx, const int64_t* info, int images, long long label_count, long long level_count,
                     long long grid_int_count, long long grid_weight_count, const char* fn, char* err,
                     size_t err_len) {
    long long label_end = 0, level_end = 0;
    for (int n = 0; n < images; n++) {
        const ImageInfo i = info_of(info, n);
        if (i.sh <= 0 || i.sw <= 0 || i.sh * i.sw > 0x7fffffffll || i.layers < 0 || i.level_count < 0 ||
            i.label_offset < label_end || i.level_offset < level_end || i.grid_ints < 0 || i.grid_weights < 0) {
            return fail(JD_ERR_INVALID_ARGUMENT, err, err_len,
                        "%s: image %d: bad descriptor (label offset %lld, %lldx%lld, %lld layers, %lld image-level "
                        "labels at %lld): sizes must be positive and images in order",
                        fn, n, i.label_offset, i.sh, i.sw, i.layers, i.level_count, i.level_offset);
        }
        label_end = i.label_offset + i.layers * i.sh * i.sw;
        level_end = i.level_offset + i.level_count;
        const long long needed_ints = 2 * i.sh + 2 * i.sw + 2 * ctx->t_h + 2 * ctx->t_w;
        if (label_end > label_count || level_end > level_count || i.grid_ints + needed_ints > grid_int_count ||
            i.grid_weights + (i.sh + i.sw) * jd::kMaxTaps > grid_weight_count) {
            return fail(JD_ERR_INVALID_ARGUMENT, err, err_len,
                        "%s: image %d reaches past its buffers (labels to %lld of %lld, image-level labels to %lld "
                        "of %lld, grid tables at %lld/%lld)",
                        fn, n, label_end, label_count, level_end, level_count, i.grid_ints, i.grid_weights);
        }
    }
    return JD_OK;
}

// Checks the resizing tables every image points at: taps inside the h x w map, 1 to kMaxTaps of them, reader ranges
// inside the label map. A wrong table would make the kernel read outside a map; this says so instead.
jd_status check_grids(jd_context ctx, const int64_t* info, int images, const int32_t* grid_ints,
                      long long grid_int_count, const char* fn, char* err, size_t err_len) {
    std::vector<char> checked(static_cast<size_t>(std::max<long long>(grid_int_count, 1)), 0);
    const int h = ctx->t_h, w = ctx->t_w;
    for (int n = 0; n < images; n++) {
        const ImageInfo i = info_of(info, n);
        if (checked[i.grid_ints]) continue;
        checked[i.grid_ints] = 1;
        const int32_t* g = grid_ints + i.grid_ints;
        const long long sh = i.sh, sw = i.sw;
        // yfirst ycount [sh], xfirst xcount [sw], ylo yhi [h], xlo xhi [w]
        struct Range { long long at, count, lo, hi; const char* what; };
        const Range ranges[] = {{0, sh, 0, h - 1, "first source rows"},
                                {sh, sh, 1, jd::kMaxTaps, "source row counts"},
                                {2 * sh, sw, 0, w - 1, "first source columns"},
                                {2 * sh + sw, sw, 1, jd::kMaxTaps, "source column counts"},
                                {2 * sh + 2 * sw, h, 0, sh, "first reader rows"},
                                {2 * sh + 2 * sw + h, h, -1, sh - 1, "last reader rows"},
                                {2 * sh + 2 * sw + 2 * h, w, 0, sw, "first reader columns"},
                                {2 * sh + 2 * sw + 2 * h + w, w, -1, sw - 1, "last reader columns"}};
        for (const Range& r : ranges) {
            for (long long j = 0; j < r.count; j++) {
                const int32_t v = g[r.at + j];
                if (v < r.lo || v > r.hi) {
                    return fail(JD_ERR_INVALID_ARGUMENT, err, err_len,
                                "%s: image %d: the grid table at %lld is not for a %dx%d map resized to %lldx%lld: "
                                "%s[%lld] = %d, outside %lld..%lld",
                                fn, n, i.grid_ints, h, w, sh, sw, r.what, j, v, r.lo, r.hi);
                }
            }
        }
        // the taps of each output index end inside the map
        for (int axis = 0; axis < 2; axis++) {
            const long long out = axis == 0 ? sh : sw;
            const long long in = axis == 0 ? h : w;
            const int32_t* first = g + (axis == 0 ? 0 : 2 * sh);
            const int32_t* count = first + out;
            for (long long j = 0; j < out; j++) {
                if (first[j] + count[j] > in) {
                    return fail(JD_ERR_INVALID_ARGUMENT, err, err_len,
                                "%s: image %d: the grid table at %lld is not for a %dx%d map resized to %lldx%lld: "
                                "%s %lld reads samples %d..%d, past %lld",
                                fn, n, i.grid_ints, h, w, sh, sw, axis == 0 ? "row" : "column", j, first[j],
                                first[j] + count[j] - 1, in - 1);
                }
            }
        }
    }
    return JD_OK;
}

jd::TallyArgs tally_args(jd_context ctx) {
    jd::TallyArgs a;
    std::memset(&a, 0, sizeof(a));
    a.units = ctx->t_units;
    a.h = ctx->t_h;
    a.w = ctx->t_w;
    a.thresholds = static_cast<const float*>(ctx->thresholds.ptr);
    a.num_labels = ctx->num_labels;
    a.num_categories = ctx->num_categories;
    a.primary = static_cast<const int32_t*>(ctx->primary.ptr);
    a.intersection = static_cast<unsigned long long*>(ctx->intersection.ptr);
    a.activation = static_cast<unsigned long long*>(ctx->activation.ptr);
    a.mask_pixels = static_cast<unsigned long long*>(ctx->mask_pixels.ptr);
    a.label_pixels = static_cast<unsigned long long*>(ctx->label_pixels.ptr);
    return a;
}

jd_status require_tally(jd_context ctx, const char* fn, char* err, size_t err_len) {
    if (!ctx->tally_open) return fail(JD_ERR_INVALID_ARGUMENT, err, err_len, "%s: call jd_tally_begin first", fn);
    return JD_OK;
}

}  // namespace

extern "C" {

JD_API jd_status jd_context_create(int dev, jd_context* ctx, char* err, size_t err_len) {
    static const char* fn = "jd_context_create";
    return jd::guarded(fn, err, err_len, [&]() -> jd_status {
        if (ctx == nullptr) return fail(JD_ERR_INVALID_ARGUMENT, err, err_len, "%s: ctx is null", fn);
        *ctx = nullptr;
        JD_REQUIRE_DRIVER();
        int n = 0;
        JD_CUDA(cudaGetDeviceCount(&n), "cudaGetDeviceCount");
        if (dev < 0 || dev >= n) {
            return fail(JD_ERR_NO_DEVICE, err, err_len, "%s: no device %d (valid: 0 to %d)", fn, dev, n - 1);
        }
        JD_CUDA(cudaSetDevice(dev), "cudaSetDevice");
        cudaStream_t s = nullptr;
        JD_CUDA(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
        jd_context c = new jd_context_opaque();
        c->device = dev;
        c->stream = s;
        *ctx = c;
        return JD_OK;
    });
}

JD_API jd_status jd_context_destroy(jd_context ctx, char* err, size_t err_len) {
    static const char* fn = "jd_context_destroy";
    return jd::guarded(fn, err, err_len, [&]() -> jd_status {
        if (ctx == nullptr) return JD_OK;
        JD_TRY(enter(ctx, fn, err, err_len));
        cudaStreamSynchronize(ctx->stream);
        Buffer* all[] = {&ctx->acts, &ctx->labels, &ctx->levels, &ctx->info, &ctx->grid_ints, &ctx->grid_weights,
                         &ctx->values, &ctx->alpha, &ctx->replacement, &ctx->resident_acts, &ctx->coarse,
                         &ctx->fine, &ctx->max_keys, &ctx->top[0], &ctx->top[1], &ctx->bins, &ctx->thresholds,
                         &ctx->primary, &ctx->intersection, &ctx->activation, &ctx->mask_pixels,
                         &ctx->label_pixels};
        for (Buffer* b : all) release(*b);
        cudaStreamDestroy(ctx->stream);
        delete ctx;
        cudaGetLastError();
        return JD_OK;
    });
}

JD_API jd_status jd_context_set_staging_limit(jd_context ctx, size_t bytes, char* err, size_t err_len) {
    static const char* fn = "jd_context_set_staging_limit";
    return jd::guarded(fn, err, err_len, [&]() -> jd_status {
        JD_TRY(enter(ctx, fn, err, err_len));
        JD_CUDA(cudaStreamSynchronize(ctx->stream), "cudaStreamSynchronize");
        size_t n = 0;
        Buffer* b = staging_buffers(ctx, &n);
        for (size_t i = 0; i < n; i++) release(b[i]);
        ctx->staging_limit = bytes;
        return JD_OK;
    });
}

// ---------------------------------------------------------------- pass 1

JD_API jd_status jd_stats_begin(jd_context ctx, int units, int hw, long long images, int topk, int* resident,
                                char* err, size_t err_len) {
    static const char* fn = "jd_stats_begin";
    return jd::guarded(fn, err, err_len, [&]() -> jd_status {
        if (resident != nullptr) *resident = 0;
        if (units <= 0 || hw <= 0 || images <= 0 || topk < 0 || topk > images || images > 0x7fffffffll) {
            return fail(JD_ERR_INVALID_ARGUMENT, err, err_len,
                        "%s: bad sizes (units=%d hw=%d images=%lld topk=%d): units, hw, images > 0 (images < 2^31), "
                        "0 <= topk <= images", fn, units, hw, images, topk);
        }
        JD_TRY(enter(ctx, fn, err, err_len));
        end_stats(ctx);
        ctx->units = units;
        ctx->hw = hw;
        ctx->images = images;
        ctx->topk = topk;
        ctx->seen = 0;
        ctx->fine_seen = 0;
        ctx->top_current = 0;
        const size_t u = static_cast<size_t>(units);
        JD_TRY(reserve(ctx->coarse, u * 256 * 8, fn, "coarse histograms", err, err_len));
        JD_TRY(reserve(ctx->fine, u * 512 * 8, fn, "fine histograms", err, err_len));
        JD_TRY(reserve(ctx->bins, u * 2 * 4, fn, "bins", err, err_len));
        JD_TRY(reserve(ctx->top[0], std::max<size_t>(1, u * topk * 8), fn, "top-k lists", err, err_len));
        JD_TRY(reserve(ctx->top[1], std::max<size_t>(1, u * topk * 8), fn, "top-k lists", err, err_len));
        JD_CUDA(cudaMemsetAsync(ctx->coarse.ptr, 0, u * 256 * 8, ctx->stream), "cudaMemsetAsync");
        JD_CUDA(cudaMemsetAsync(ctx->fine.ptr, 0, u * 512 * 8, ctx->stream), "cudaMemsetAsync");
        JD_CUDA(cudaMemsetAsync(ctx->top[0].ptr, 0, u * topk * 8, ctx->stream), "cudaMemsetAsync");
        // Keep every activation on the device when it takes at most a third of the free memory: the fine pass then
        // reads no host data.
        const size_t total = static_cast<size_t>(images) * u * hw * sizeof(uint16_t);
        size_t free_b = 0, total_b = 0;
        JD_CUDA(cudaMemGetInfo(&free_b, &total_b), "cudaMemGetInfo");
        if (total <= free_b / 3 && cudaMalloc(&ctx->resident_acts.ptr, total) == cudaSuccess) {
            ctx->resident_acts.bytes = total;
            ctx->resident = true;
        } else {
            cudaGetLastError();
            ctx->resident_acts.ptr = nullptr;
        }
        if (resident != nullptr) *resident = ctx->resident ? 1 : 0;
        ctx->phase = Phase::kCoarse;
        return JD_OK;
    });
}

JD_API jd_status jd_stats_coarse(jd_context ctx, const uint16_t* acts, long long first_image, int images,
                                 char* err, size_t err_len) {
    static const char* fn = "jd_stats_coarse";
    return jd::guarded(fn, err, err_len, [&]() -> jd_status {
        JD_TRY(enter(ctx, fn, err, err_len));
        if (acts == nullptr && images > 0) return fail(JD_ERR_INVALID_ARGUMENT, err, err_len, "%s: acts is null", fn);
        if (ctx->phase == Phase::kCoarse && ctx->resident && images > 0 && first_image == ctx->seen &&
            ctx->seen + images <= ctx->images) {
            const size_t per_image = static_cast<size_t>(ctx->units) * ctx->hw;
            uint16_t* dst = static_cast<uint16_t*>(ctx->resident_acts.ptr) + static_cast<size_t>(first_image) * per_image;
            JD_TRY(upload(dst, acts, static_cast<size_t>(images) * per_image * sizeof(uint16_t), ctx->stream, fn, err,
                          err_len));
            return count_coarse(ctx, dst, first_image, images, fn, err, err_len);
        }
        return staged_acts(ctx, acts, images, fn, err, err_len, [&](const uint16_t* d, int done, int n) {
            return count_coarse(ctx, d, first_image + done, n, fn, err, err_len);
        });
    });
}

JD_API jd_status jd_stats_locate(jd_context ctx, const long long* low_ranks, const long long* high_ranks, char* err,
                                 size_t err_len) {
    static const char* fn = "jd_stats_locate";
    return jd::guarded(fn, err, err_len, [&]() -> jd_status {
        JD_TRY(enter(ctx, fn, err, err_len));
        if (ctx->phase != Phase::kCoarse || ctx->seen != ctx->images) {
            return fail(JD_ERR_INVALID_ARGUMENT, err, err_len,
                        "%s: every image must be counted first (%lld of %lld seen)", fn, ctx->seen, ctx->images);
        }
        if (low_ranks == nullptr || high_ranks == nullptr) {
            return fail(JD_ERR_INVALID_ARGUMENT, err, err_len, "%s: low_ranks and high_ranks are needed", fn);
        }
        const long long count = ctx->images * ctx->hw;
        const int units = ctx->units;
        for (int u = 0; u < units; u++) {
            if (low_ranks[u] < 0 || high_ranks[u] < low_ranks[u] || high_ranks[u] >= count) {
                return fail(JD_ERR_INVALID_ARGUMENT, err, err_len, "%s: unit %d: ranks %lld, %lld outside 0..%lld",
                            fn, u, low_ranks[u], high_ranks[u], count - 1);
            }
        }
        std::vector<unsigned long long> hist(static_cast<size_t>(units) * 256);
        JD_TRY(download(hist.data(), ctx->coarse.ptr, hist.size() * 8, ctx->stream, fn, err, err_len));
        ctx->bin_low.assign(units, 0);
        ctx->bin_high.assign(units, 0);
        ctx->rest_low.assign(units, 0);
        ctx->rest_high.assign(units, 0);
        for (int u = 0; u < units; u++) {
            const unsigned long long* h = hist.data() + static_cast<size_t>(u) * 256;
            if (!locate(h, low_ranks[u], &ctx->bin_low[u], &ctx->rest_low[u]) ||
                !locate(h, high_ranks[u], &ctx->bin_high[u], &ctx->rest_high[u])) {
                return fail(JD_ERR_INTERNAL, err, err_len, "%s: unit %d: rank %lld beyond the counted values", fn, u,
                            high_ranks[u]);
            }
        }
        std::vector<int32_t> bins(ctx->bin_low);
        bins.insert(bins.end(), ctx->bin_high.begin(), ctx->bin_high.end());
        JD_TRY(upload(ctx->bins.ptr, bins.data(), bins.size() * 4, ctx->stream, fn, err, err_len));
        JD_CUDA(cudaStreamSynchronize(ctx->stream), "cudaStreamSynchronize");
        ctx->fine_seen = 0;
        ctx->phase = Phase::kFine;
        return JD_OK;
    });
}

JD_API jd_status jd_stats_fine(jd_context ctx, const uint16_t* acts, int images, char* err, size_t err_len) {
    static const char* fn = "jd_stats_fine";
    return jd::guarded(fn, err, err_len, [&]() -> jd_status {
        JD_TRY(enter(ctx, fn, err, err_len));
        if (acts == nullptr) {
            if (!ctx->resident || ctx->phase != Phase::kFine || ctx->fine_seen != 0 || images != ctx->images) {
                return fail(JD_ERR_INVALID_ARGUMENT, err, err_len,
                            "%s: acts is null, which needs resident activations and one call for all %lld images",
                            fn, ctx->images);
            }
            return count_fine(ctx, static_cast<const uint16_t*>(ctx->resident_acts.ptr), images, fn, err, err_len);
        }
        return staged_acts(ctx, acts, images, fn, err, err_len, [&](const uint16_t* d, int, int n) {
            return count_fine(ctx, d, n, fn, err, err_len);
        });
    });
}

JD_API jd_status jd_stats_finish(jd_context ctx, int32_t* low_key, int32_t* high_key, int32_t* top_images,
                                 int32_t* top_keys, char* err, size_t err_len) {
    static const char* fn = "jd_stats_finish";
    return jd::guarded(fn, err, err_len, [&]() -> jd_status {
        JD_TRY(enter(ctx, fn, err, err_len));
        if (ctx->phase != Phase::kFine || ctx->fine_seen != ctx->images) {
            return fail(JD_ERR_INVALID_ARGUMENT, err, err_len,
                        "%s: the fine pass must see every image first (%lld of %lld)", fn, ctx->fine_seen,
                        ctx->images);
        }
        if (low_key == nullptr || high_key == nullptr || (ctx->topk > 0 && (top_images == nullptr || top_keys == nullptr))) {
            return fail(JD_ERR_INVALID_ARGUMENT, err, err_len, "%s: null output", fn);
        }
        const int units = ctx->units;
        std::vector<unsigned long long> fine(static_cast<size_t>(units) * 512);
        JD_TRY(download(fine.data(), ctx->fine.ptr, fine.size() * 8, ctx->stream, fn, err, err_len));
        for (int u = 0; u < units; u++) {
            const unsigned long long* f = fine.data() + static_cast<size_t>(u) * 512;
            int32_t low = 0, high = 0;
            long long unused = 0;
            bool ok = locate(f, ctx->rest_low[u], &low, &unused);
            if (ctx->bin_high[u] == ctx->bin_low[u]) {
                ok = ok && locate(f, ctx->rest_high[u], &high, &unused);
            } else {
                ok = ok && locate(f + 256, ctx->rest_high[u], &high, &unused);
            }
            if (!ok) {
                return fail(JD_ERR_INTERNAL, err, err_len, "%s: unit %d: the fine counts disagree with the coarse "
                            "ones (were the same activations given twice?)", fn, u);
            }
            low_key[u] = (ctx->bin_low[u] << 8) | low;
            high_key[u] = (ctx->bin_high[u] << 8) | high;
        }
        if (ctx->topk > 0) {
            const size_t n = static_cast<size_t>(units) * ctx->topk;
            std::vector<unsigned long long> top(n);
            JD_TRY(download(top.data(), ctx->top[ctx->top_current].ptr, n * 8, ctx->stream, fn, err, err_len));
            for (size_t i = 0; i < n; i++) {
                if (top[i] == 0ull) {
                    top_images[i] = -1;
                    top_keys[i] = -1;
                } else {
                    top_keys[i] = static_cast<int32_t>(top[i] >> 32);
                    top_images[i] = static_cast<int32_t>(0xffffffffu - static_cast<uint32_t>(top[i] & 0xffffffffull));
                }
            }
        }
        end_stats(ctx);
        return JD_OK;
    });
}

// ---------------------------------------------------------------- pass 2

JD_API jd_status jd_tally_begin(jd_context ctx, int units, int h, int w, const float* thresholds, int num_labels,
                                int num_categories, const int32_t* primary, char* err, size_t err_len) {
    static const char* fn = "jd_tally_begin";
    return jd::guarded(fn, err, err_len, [&]() -> jd_status {
        if (units <= 0 || h <= 0 || w <= 0 || static_cast<long long>(h) * w > 0x7fffffffll || num_labels < 1 ||
            num_categories < 0 || num_categories > 32768 || thresholds == nullptr || primary == nullptr) {
            return fail(JD_ERR_INVALID_ARGUMENT, err, err_len,
                        "%s: bad arguments (units=%d map %dx%d num_labels=%d num_categories=%d): sizes > 0, "
                        "num_labels >= 1, 0 <= num_categories <= 32768, thresholds and primary given",
                        fn, units, h, w, num_labels, num_categories);
        }
        for (int l = 0; l < num_labels; l++) {
            if (primary[l] < -1 || primary[l] >= num_categories) {
                return fail(JD_ERR_INVALID_ARGUMENT, err, err_len,
                            "%s: label %d has primary category %d, outside -1..%d", fn, l, primary[l],
                            num_categories - 1);
            }
        }
        JD_TRY(enter(ctx, fn, err, err_len));
        ctx->tally_open = false;
        ctx->t_units = units;
        ctx->t_h = h;
        ctx->t_w = w;
        ctx->num_labels = num_labels;
        ctx->num_categories = num_categories;
        const size_t u = static_cast<size_t>(units);
        const size_t inter = u * num_labels * 8, act = std::max<size_t>(8, u * num_categories * 8);
        JD_TRY(reserve(ctx->thresholds, u * 4, fn, "thresholds", err, err_len));
        JD_TRY(reserve(ctx->primary, static_cast<size_t>(num_labels) * 4, fn, "primary categories", err, err_len));
        JD_TRY(reserve(ctx->intersection, inter, fn, "intersection counts", err, err_len));
        JD_TRY(reserve(ctx->activation, act, fn, "activation counts", err, err_len));
        JD_TRY(reserve(ctx->mask_pixels, u * 8, fn, "mask counts", err, err_len));
        JD_TRY(reserve(ctx->label_pixels, static_cast<size_t>(num_labels) * 8, fn, "label counts", err, err_len));
        JD_TRY(upload(ctx->thresholds.ptr, thresholds, u * 4, ctx->stream, fn, err, err_len));
        JD_TRY(upload(ctx->primary.ptr, primary, static_cast<size_t>(num_labels) * 4, ctx->stream, fn, err, err_len));
        JD_CUDA(cudaMemsetAsync(ctx->intersection.ptr, 0, inter, ctx->stream), "cudaMemsetAsync");
        JD_CUDA(cudaMemsetAsync(ctx->activation.ptr, 0, act, ctx->stream), "cudaMemsetAsync");
        JD_CUDA(cudaMemsetAsync(ctx->mask_pixels.ptr, 0, u * 8, ctx->stream), "cudaMemsetAsync");
        JD_CUDA(cudaMemsetAsync(ctx->label_pixels.ptr, 0, static_cast<size_t>(num_labels) * 8, ctx->stream),
                "cudaMemsetAsync");
        JD_CUDA(cudaStreamSynchronize(ctx->stream), "cudaStreamSynchronize");
        ctx->tally_open = true;
        return JD_OK;
    });
}

JD_API jd_status jd_tally_chunk(jd_context ctx, const uint16_t* acts, int images, const int64_t* info,
                                const uint16_t* labels, long long label_count, const int32_t* levels,
                                long long level_count, const int32_t* grid_ints, long long grid_int_count,
                                const double* grid_weights, long long grid_weight_count, char* err,
                                size_t err_len) {
    static const char* fn = "jd_tally_chunk";
    return jd::guarded(fn, err, err_len, [&]() -> jd_status {
        JD_TRY(enter(ctx, fn, err, err_len));
        JD_TRY(require_tally(ctx, fn, err, err_len));
        if (images < 0 || label_count < 0 || level_count < 0 || grid_int_count < 0 || grid_weight_count < 0) {
            return fail(JD_ERR_INVALID_ARGUMENT, err, err_len, "%s: negative size", fn);
        }
        if (images == 0) return JD_OK;
        if (acts == nullptr || info == nullptr || grid_ints == nullptr || grid_weights == nullptr ||
            (label_count > 0 && labels == nullptr) || (level_count > 0 && levels == nullptr)) {
            return fail(JD_ERR_INVALID_ARGUMENT, err, err_len, "%s: null input", fn);
        }
        JD_TRY(check_info(ctx, info, images, label_count, level_count, grid_int_count, grid_weight_count, fn, err,
                          err_len));
        JD_TRY(check_grids(ctx, info, images, grid_ints, grid_int_count, fn, err, err_len));
        const size_t map_bytes = static_cast<size_t>(ctx->t_units) * ctx->t_h * ctx->t_w * sizeof(uint16_t);
        JD_TRY(reserve(ctx->grid_ints, std::max<long long>(1, grid_int_count) * 4, fn, "grid tables", err, err_len));
        JD_TRY(reserve(ctx->grid_weights, std::max<long long>(1, grid_weight_count) * 8, fn, "grid tables", err,
                       err_len));
        JD_TRY(upload(ctx->grid_ints.ptr, grid_ints, grid_int_count * 4, ctx->stream, fn, err, err_len));
        JD_TRY(upload(ctx->grid_weights.ptr, grid_weights, grid_weight_count * 8, ctx->stream, fn, err, err_len));
        size_t budget = 0;
        JD_TRY(staging_budget(ctx, &budget, fn, err, err_len));
        for (int first = 0; first < images;) {
            // The largest run of images from `first` whose data fits the budget (at least one image).
            size_t bytes = 0;
            int end = first;
            long long label_end = 0, level_end = 0;
            const ImageInfo head = info_of(info, first);
            while (end < images) {
                const ImageInfo i = info_of(info, end);
                const long long le = i.label_offset + i.layers * i.sh * i.sw;
                const long long ve = i.level_offset + i.level_count;
                const size_t next = static_cast<size_t>(end - first + 1) * (map_bytes + jd::kImageFields * 8) +
                                    static_cast<size_t>(le - head.label_offset) * 2 +
                                    static_cast<size_t>(ve - head.level_offset) * 4;
                if (end > first && next > budget) break;
                bytes = next;
                label_end = le;
                level_end = ve;
                end++;
            }
            (void)bytes;
            const int n = end - first;
            const size_t label_n = static_cast<size_t>(label_end - head.label_offset);
            const size_t level_n = static_cast<size_t>(level_end - head.level_offset);
            JD_TRY(reserve(ctx->acts, static_cast<size_t>(n) * map_bytes, fn, "staged activations", err, err_len));
            JD_TRY(reserve(ctx->labels, std::max<size_t>(2, label_n * 2), fn, "staged labels", err, err_len));
            JD_TRY(reserve(ctx->levels, std::max<size_t>(4, level_n * 4), fn, "staged image-level labels", err,
                           err_len));
            JD_TRY(reserve(ctx->info, static_cast<size_t>(n) * jd::kImageFields * 8, fn, "image descriptors", err,
                           err_len));
            JD_TRY(upload(ctx->acts.ptr, reinterpret_cast<const unsigned char*>(acts) + first * map_bytes,
                          n * map_bytes, ctx->stream, fn, err, err_len));
            JD_TRY(upload(ctx->labels.ptr, labels + head.label_offset, label_n * 2, ctx->stream, fn, err, err_len));
            JD_TRY(upload(ctx->levels.ptr, levels + head.level_offset, level_n * 4, ctx->stream, fn, err, err_len));
            JD_TRY(upload(ctx->info.ptr, info + static_cast<size_t>(first) * jd::kImageFields,
                          static_cast<size_t>(n) * jd::kImageFields * 8, ctx->stream, fn, err, err_len));
            jd::TallyArgs a = tally_args(ctx);
            a.acts = static_cast<const uint16_t*>(ctx->acts.ptr);
            a.images = n;
            a.info = static_cast<const int64_t*>(ctx->info.ptr);
            a.labels = static_cast<const uint16_t*>(ctx->labels.ptr);
            a.label_base = head.label_offset;
            a.levels = static_cast<const int32_t*>(ctx->levels.ptr);
            a.level_base = head.level_offset;
            a.grid_ints = static_cast<const int32_t*>(ctx->grid_ints.ptr);
            a.grid_weights = static_cast<const double*>(ctx->grid_weights.ptr);
            JD_TRY(launched(jd::launch_tally(a, ctx->stream), fn, "tally launch", err, err_len));
            first = end;
        }
        return JD_OK;
    });
}

JD_API jd_status jd_tally_finish(jd_context ctx, int64_t* intersection, int64_t* activation, int64_t* label_pixels,
                                 int64_t* mask_pixels, char* err, size_t err_len) {
    static const char* fn = "jd_tally_finish";
    return jd::guarded(fn, err, err_len, [&]() -> jd_status {
        JD_TRY(enter(ctx, fn, err, err_len));
        JD_TRY(require_tally(ctx, fn, err, err_len));
        if (intersection == nullptr || label_pixels == nullptr || mask_pixels == nullptr ||
            (activation == nullptr && ctx->num_categories > 0)) {
            return fail(JD_ERR_INVALID_ARGUMENT, err, err_len, "%s: null output", fn);
        }
        const size_t u = static_cast<size_t>(ctx->t_units);
        JD_TRY(download(intersection, ctx->intersection.ptr, u * ctx->num_labels * 8, ctx->stream, fn, err, err_len));
        if (ctx->num_categories > 0) {
            JD_TRY(download(activation, ctx->activation.ptr, u * ctx->num_categories * 8, ctx->stream, fn, err,
                            err_len));
        }
        JD_TRY(download(label_pixels, ctx->label_pixels.ptr, static_cast<size_t>(ctx->num_labels) * 8, ctx->stream,
                        fn, err, err_len));
        JD_TRY(download(mask_pixels, ctx->mask_pixels.ptr, u * 8, ctx->stream, fn, err, err_len));
        ctx->tally_open = false;
        return JD_OK;
    });
}

// ---------------------------------------------------------------- ablation

static jd_status check_ablate(long long images, int units, int hw, const float* alpha, long long alpha_count,
                              const float* replacement, const char* fn, char* err, size_t err_len) {
    if (images < 0 || units <= 0 || hw <= 0 ||
        (alpha_count != units && alpha_count != static_cast<long long>(units) * hw)) {
        return fail(JD_ERR_INVALID_ARGUMENT, err, err_len,
                    "%s: bad sizes (images=%lld units=%d hw=%d alpha_count=%lld): alpha needs %d (per unit) or "
                    "%lld (per unit and location) values", fn, images, units, hw, alpha_count, units,
                    static_cast<long long>(units) * hw);
    }
    if (alpha == nullptr || replacement == nullptr) {
        return fail(JD_ERR_INVALID_ARGUMENT, err, err_len, "%s: alpha or replacement is null", fn);
    }
    return JD_OK;
}

JD_API jd_status jd_ablate(jd_context ctx, float* x, long long images, int units, int hw, const float* alpha,
                           long long alpha_count, const float* replacement, char* err, size_t err_len) {
    static const char* fn = "jd_ablate";
    return jd::guarded(fn, err, err_len, [&]() -> jd_status {
        JD_TRY(check_ablate(images, units, hw, alpha, alpha_count, replacement, fn, err, err_len));
        JD_TRY(enter(ctx, fn, err, err_len));
        if (images == 0) return JD_OK;
        if (x == nullptr) return fail(JD_ERR_INVALID_ARGUMENT, err, err_len, "%s: x is null", fn);
        JD_TRY(reserve(ctx->alpha, alpha_count * 4, fn, "alpha", err, err_len));
        JD_TRY(reserve(ctx->replacement, static_cast<size_t>(units) * 4, fn, "replacement", err, err_len));
        JD_TRY(upload(ctx->alpha.ptr, alpha, alpha_count * 4, ctx->stream, fn, err, err_len));
        JD_TRY(upload(ctx->replacement.ptr, replacement, static_cast<size_t>(units) * 4, ctx->stream, fn, err,
                      err_len));
        const size_t per_image = static_cast<size_t>(units) * hw * sizeof(float);
        size_t budget = 0;
        JD_TRY(staging_budget(ctx, &budget, fn, err, err_len));
        const long long piece = std::max(1ll, std::min(images, static_cast<long long>(budget / per_image)));
        JD_TRY(reserve(ctx->values, piece * per_image, fn, "staged activations", err, err_len));
        for (long long done = 0; done < images; done += piece) {
            const long long n = std::min(piece, images - done);
            float* host = x + static_cast<size_t>(done) * (per_image / sizeof(float));
            JD_TRY(upload(ctx->values.ptr, host, n * per_image, ctx->stream, fn, err, err_len));
            JD_TRY(launched(jd::launch_ablate(static_cast<float*>(ctx->values.ptr), n, units, hw,
                                              static_cast<const float*>(ctx->alpha.ptr), alpha_count,
                                              static_cast<const float*>(ctx->replacement.ptr), ctx->stream),
                            fn, "ablation launch", err, err_len));
            JD_TRY(download(host, ctx->values.ptr, n * per_image, ctx->stream, fn, err, err_len));
        }
        return JD_OK;
    });
}

}  // extern "C"

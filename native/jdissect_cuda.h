/*
 * jdissect native API: a small C interface over the CUDA kernels of jdissect, called from Java through JavaCPP.
 *
 * Rules that hold for every function:
 *  - It returns a jd_status; JD_OK (0) means success.
 *  - It takes an error-message buffer (err, err_len) as its last two parameters. On failure a NUL-terminated,
 *    human-readable message is written there (truncated to err_len); on success err is set to "". Either may be
 *    NULL / 0, in which case no message is written.
 *  - No C++ exception ever leaves the library.
 *  - On a machine without a CUDA driver (libcuda.so.1) every call that needs the GPU returns JD_ERR_NO_DRIVER
 *    (jd_status_name and jd_version do not need it); the CUDA runtime is linked statically, so the driver is the
 *    only run-time dependency.
 *  - Every data pointer is to host memory; the library copies data to the device and back itself.
 *
 * This header is also the Java API: the build generates org.jdissect.cuda.CudaLib from it with JavaCPP's parser
 * (java/src/main/java/org/jdissect/cuda/CudaLibConfig.java), so keep it to plain C declarations.
 */
#ifndef JDISSECT_CUDA_H
#define JDISSECT_CUDA_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define JD_API __declspec(dllexport)
#else
#define JD_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef enum jd_status {
    JD_OK = 0,
    JD_ERR_INVALID_ARGUMENT = 1, /* a null pointer, a negative or inconsistent size, a call out of order */
    JD_ERR_NO_DRIVER = 2,        /* libcuda.so.1 missing, or a driver too old for this runtime */
    JD_ERR_NO_DEVICE = 3,        /* a driver but no usable CUDA device (or the device index is out of range) */
    JD_ERR_OUT_OF_MEMORY = 4,    /* the request exceeds the device's free memory */
    JD_ERR_CUDA = 5,             /* any other CUDA runtime error; the message carries cudaGetErrorString's text */
    JD_ERR_INTERNAL = 6          /* a bug in this library (an unexpected C++ exception was caught) */
} jd_status;

/* A short constant name of a status ("JD_OK", "JD_ERR_OUT_OF_MEMORY", ...); never NULL. */
JD_API const char* jd_status_name(int status);

/* Versions: of this library's API, and of the CUDA runtime it was built with (e.g. 13000). Pure host call. */
JD_API jd_status jd_version(int* api_version, int* cuda_runtime_version, char* err, size_t err_len);

/* Number of CUDA devices. Without a driver: JD_ERR_NO_DRIVER; with a driver but no device: JD_ERR_NO_DEVICE. */
JD_API jd_status jd_device_count(int* count, char* err, size_t err_len);

/*
 * Properties of device dev: its name (NUL-terminated, truncated to name_len), free and total memory in bytes,
 * compute capability and number of multiprocessors. Every output pointer may be NULL.
 */
JD_API jd_status jd_device_info(int dev, char* name, size_t name_len, size_t* free_mem, size_t* total_mem,
                                int* cc_major, int* cc_minor, int* multiprocessors, char* err, size_t err_len);

/*
 * ---------------------------------------------------------------------------------------------------------------
 * Statistics contexts: the backend operations of org.jdissect.stats.Backend (CpuBackend is their specification).
 *
 * A context owns a stream on one device and the device buffers of the operations below. Data comes from host
 * memory chunk by chunk; each call copies it in, and splits a chunk into smaller pieces when it does not fit in
 * the device memory that is free, rather than fail. All counts are 64-bit. A context is used by one host thread
 * at a time. Activations are IEEE fp16 bit patterns in [image][unit][y][x] order.
 * ---------------------------------------------------------------------------------------------------------------
 */
typedef struct jd_context_opaque* jd_context;

/* Creates a context on device dev (*ctx = NULL on failure). */
JD_API jd_status jd_context_create(int dev, jd_context* ctx, char* err, size_t err_len);
/* Frees everything the context holds; NULL is a no-op. */
JD_API jd_status jd_context_destroy(jd_context ctx, char* err, size_t err_len);
/*
 * Caps the device memory the context uses for staging host data (bytes; 0 restores the default: half of the
 * memory free when a buffer is needed). Tests use it to force the split of chunks.
 */
JD_API jd_status jd_context_set_staging_limit(jd_context ctx, size_t bytes, char* err, size_t err_len);

/*
 * Pass 1: exact per-unit quantile by counting fp16 order keys (Fp16.sortKey), and top-k images by per-image
 * maximum key. Sequence: jd_stats_begin; jd_stats_coarse for every image in order (first_image counts from 0);
 * jd_stats_locate with each unit's two 0-based ranks; jd_stats_fine over every image again; jd_stats_finish.
 *
 *  jd_stats_begin   images: the total number of images (when their activations fit in a share of the free
 *                   memory they stay on the device after jd_stats_coarse, and *resident is set to 1: jd_stats_fine
 *                   may then be called once with acts = NULL); topk: images kept per unit (0 to images).
 *  jd_stats_coarse  the high-byte histogram of each unit's keys, the per-image maxima and the top-k merge.
 *  jd_stats_locate  for each unit u the bins of the keys of rank low_ranks[u] and high_ranks[u] (0-based,
 *                   ascending; one pair per unit, so that a unit's non-finite values, stored lowest, can be left
 *                   out of its quantile by starting its ranks above them).
 *  jd_stats_fine    the low-byte histograms within those bins.
 *  jd_stats_finish  low_key[u], high_key[u]: the order keys of ranks low_ranks[u] and high_ranks[u] of unit u;
 *                   top_images[u * topk + r], top_keys[u * topk + r]: the r-th best image and its maximum key,
 *                   best first, ties to the earlier image; -1 in both where fewer images were seen.
 */
JD_API jd_status jd_stats_begin(jd_context ctx, int units, int hw, long long images, int topk, int* resident,
                                char* err, size_t err_len);
JD_API jd_status jd_stats_coarse(jd_context ctx, const uint16_t* acts, long long first_image, int images,
                                 char* err, size_t err_len);
JD_API jd_status jd_stats_locate(jd_context ctx, const long long* low_ranks, const long long* high_ranks, char* err,
                                 size_t err_len);
JD_API jd_status jd_stats_fine(jd_context ctx, const uint16_t* acts, int images, char* err, size_t err_len);
JD_API jd_status jd_stats_finish(jd_context ctx, int32_t* low_key, int32_t* high_key, int32_t* top_images,
                                 int32_t* top_keys, char* err, size_t err_len);

/*
 * Pass 2: the fused tally of BRODEN.md (CpuBackend.tally is its specification). Sequence: jd_tally_begin;
 * jd_tally_chunk per chunk of images; jd_tally_finish.
 *
 *  jd_tally_begin  thresholds[units]; primary[num_labels]: each label's primary category, or -1 for none;
 *                  num_categories at most 32768.
 *  jd_tally_chunk  images of acts [images][units][h][w], and per image 8 int64 values in info:
 *                    [0] offset of its pixel labels in labels: layers planes of sh * sw uint16 label numbers,
 *                        row-major (0 unlabelled; numbers >= num_labels are ignored);
 *                    [1] sh, [2] sw, [3] layers;
 *                    [4] offset and [5] count of its image-level labels in levels (int32);
 *                    [6] offset in grid_ints and [7] offset in grid_weights of its resizing tables:
 *                        grid_ints:    yfirst[sh] ycount[sh] xfirst[sw] xcount[sw] ylo[h] yhi[h] xlo[w] xhi[w]
 *                        grid_weights: wy[sh][3] wx[sw][3]
 *                    the taps of Upsampling.axis, which are those of PIL's resize(BILINEAR) (Pillow's
 *                    precompute_coeffs): output index i of an axis reads count[i] samples (1 to 3) from first[i]
 *                    with weights w[i][0 .. count[i]) (unused entries 0); an axis that keeps its size has one tap of
 *                    weight 1 per index. ylo[s] is the first output row y with yfirst[y] + ycount[y] - 1 >= s (sh if
 *                    none), yhi[s] the last with yfirst[y] <= s (-1 if none), xlo and xhi likewise for columns.
 *                    Label maps are at least the map's size on each axis (a shrinking axis reads more taps: the
 *                    CPU backend computes those).
 *                  Images' labels and image-level labels must lie in image order in labels and levels.
 *                  Each map is resized as PIL does in mode F, horizontal pass first, every product and sum of
 *                  doubles rounded on its own (no fused multiply-add):
 *                    line[k] = (float) (0.0 + v[yfirst + k][xfirst] * wx[0] + v[yfirst + k][xfirst + 1] * wx[1] ...)
 *                    value   = (float) (0.0 + line[0] * wy[0] + line[1] * wy[1] ...)
 *                  and a pixel is in the unit's mask when value > thresholds[u]. An image-level label counts every
 *                  pixel of the mask.
 *  jd_tally_finish intersection[units * num_labels], activation[units * num_categories], label_pixels[num_labels],
 *                  mask_pixels[units]: the sums over every chunk.
 */
JD_API jd_status jd_tally_begin(jd_context ctx, int units, int h, int w, const float* thresholds, int num_labels,
                                int num_categories, const int32_t* primary, char* err, size_t err_len);
JD_API jd_status jd_tally_chunk(jd_context ctx, const uint16_t* acts, int images, const int64_t* info,
                                const uint16_t* labels, long long label_count, const int32_t* levels,
                                long long level_count, const int32_t* grid_ints, long long grid_int_count,
                                const double* grid_weights, long long grid_weight_count, char* err,
                                size_t err_len);
JD_API jd_status jd_tally_finish(jd_context ctx, int64_t* intersection, int64_t* activation, int64_t* label_pixels,
                                 int64_t* mask_pixels, char* err, size_t err_len);

/*
 * Masked ablation or insertion in place, x = fma(a, r - x, x) in fp32 (Ablation.apply): x [images][units][hw];
 * alpha_count == units (one per unit; a unit with alpha 0 is left unchanged) or units * hw (per unit and
 * location); replacement[units]. Returns when x holds the result.
 */
JD_API jd_status jd_ablate(jd_context ctx, float* x, long long images, int units, int hw, const float* alpha,
                           long long alpha_count, const float* replacement, char* err, size_t err_len);

#ifdef __cplusplus
}
#endif

#endif /* JDISSECT_CUDA_H */

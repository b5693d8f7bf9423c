// The C API's failure paths: clean statuses and messages, never a crash. Runs everywhere: argument errors first;
// without a driver it checks that every call that needs one says so; with a GPU it checks out-of-memory, calls out
// of order and bad arguments on a real context.
#include <cstdio>
#include <cstring>
#include <vector>

#include "jdissect_cuda.h"

namespace {

int failures = 0;
char err[512];

#define CHECK(cond, ...)                                              \
    do {                                                              \
        if (!(cond)) {                                                \
            failures++;                                               \
            std::fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
            std::fprintf(stderr, __VA_ARGS__);                        \
            std::fprintf(stderr, " (last message: '%s')\n", err);     \
        }                                                             \
    } while (0)

// Expects status want and a message containing needle.
void expect(jd_status got, jd_status want, const char* needle, const char* what) {
    CHECK(got == want, "%s: got %s, expected %s", what, jd_status_name(got), jd_status_name(want));
    CHECK(needle == nullptr || std::strstr(err, needle) != nullptr, "%s: message lacks '%s'", what, needle);
}

// Calls with a null context, and argument errors that are found before any context or driver is needed: the same
// answer with and without a GPU.
void check_arguments() {
    CHECK(std::strcmp(jd_status_name(JD_OK), "JD_OK") == 0, "status name of JD_OK");
    CHECK(std::strcmp(jd_status_name(JD_ERR_OUT_OF_MEMORY), "JD_ERR_OUT_OF_MEMORY") == 0, "status name");
    CHECK(std::strcmp(jd_status_name(12345), "JD_ERR_UNKNOWN_STATUS") == 0, "unknown status name");
    expect(jd_device_count(nullptr, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "count is null", "null count");
    expect(jd_context_create(0, nullptr, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "ctx is null",
           "jd_context_create without a place for the context");
    expect(jd_context_destroy(nullptr, err, sizeof(err)), JD_OK, nullptr, "jd_context_destroy(NULL)");
    CHECK(err[0] == '\0', "message cleared on success");
    expect(jd_context_set_staging_limit(nullptr, 0, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "ctx is null",
           "jd_context_set_staging_limit without a context");
    int resident = 1;
    expect(jd_stats_begin(nullptr, 1, 1, 1, 0, &resident, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "ctx is null",
           "jd_stats_begin without a context");
    CHECK(resident == 0, "jd_stats_begin clears *resident on failure");
    expect(jd_stats_begin(nullptr, 0, 1, 1, 0, nullptr, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "units",
           "jd_stats_begin with no units");
    expect(jd_stats_begin(nullptr, 1, 1, 3, 4, nullptr, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "topk",
           "jd_stats_begin with topk > images");
    const uint16_t acts[4] = {0, 0, 0, 0};
    expect(jd_stats_coarse(nullptr, acts, 0, 1, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "ctx is null",
           "jd_stats_coarse without a context");
    expect(jd_stats_locate(nullptr, nullptr, nullptr, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "ctx is null",
           "jd_stats_locate without a context");
    expect(jd_stats_fine(nullptr, acts, 1, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "ctx is null",
           "jd_stats_fine without a context");
    int32_t k[1];
    expect(jd_stats_finish(nullptr, k, k, k, k, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "ctx is null",
           "jd_stats_finish without a context");
    float t = 0.0f;
    int32_t primary = -1;
    expect(jd_tally_begin(nullptr, 1, 1, 1, &t, 1, 1, &primary, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT,
           "ctx is null", "jd_tally_begin without a context");
    expect(jd_tally_begin(nullptr, 1, 0, 1, &t, 1, 1, &primary, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT,
           "bad arguments", "jd_tally_begin with a 0x1 map");
    expect(jd_tally_begin(nullptr, 1, 1, 1, &t, 1, 40000, &primary, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT,
           "32768", "jd_tally_begin with too many categories");
    primary = 5;
    expect(jd_tally_begin(nullptr, 1, 1, 1, &t, 1, 1, &primary, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT,
           "primary category 5", "jd_tally_begin with a bad primary category");
    const int64_t info[8] = {0, 1, 1, 0, 0, 0, 0, 0};
    const double weight = 1.0;
    expect(jd_tally_chunk(nullptr, acts, 1, info, nullptr, 0, nullptr, 0, k, 1, &weight, 1, err, sizeof(err)),
           JD_ERR_INVALID_ARGUMENT, "ctx is null", "jd_tally_chunk without a context");
    int64_t c[1];
    expect(jd_tally_finish(nullptr, c, c, c, c, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "ctx is null",
           "jd_tally_finish without a context");
    float x = 1.0f;
    expect(jd_ablate(nullptr, &x, 1, 1, 1, &t, 2, &t, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "alpha needs 1",
           "jd_ablate with a bad alpha count");
    expect(jd_ablate(nullptr, &x, 1, 1, 1, nullptr, 1, &t, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "null",
           "jd_ablate without alpha");
    expect(jd_ablate(nullptr, &x, 1, 1, 1, &t, 1, &t, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "ctx is null",
           "jd_ablate without a context");
}

void check_without_driver() {
    const char* nd = "libcuda.so.1";
    int n = -1;
    expect(jd_device_count(&n, err, sizeof(err)), JD_ERR_NO_DRIVER, nd, "jd_device_count");
    CHECK(n == 0, "device count without a driver is %d", n);
    char name[64];
    std::memset(name, 'x', sizeof(name));
    size_t free_mem = 1, total_mem = 1;
    int a = 0, b = 0, c = 0;
    expect(jd_device_info(0, name, sizeof(name), &free_mem, &total_mem, &a, &b, &c, err, sizeof(err)),
           JD_ERR_NO_DRIVER, nd, "jd_device_info");
    CHECK(name[0] == '\0', "jd_device_info clears the name on failure");
    jd_context ctx = reinterpret_cast<jd_context>(0x1);
    expect(jd_context_create(0, &ctx, err, sizeof(err)), JD_ERR_NO_DRIVER, nd, "jd_context_create");
    CHECK(ctx == nullptr, "jd_context_create leaves *ctx = NULL on failure");
    // A message that does not fit is truncated, NUL-terminated.
    char tiny[8];
    std::memset(tiny, 'x', sizeof(tiny));
    jd_device_count(&n, tiny, sizeof(tiny));
    CHECK(tiny[7] == '\0' && std::strlen(tiny) == 7, "truncated message");
    // No message buffer at all.
    CHECK(jd_device_count(&n, nullptr, 0) == JD_ERR_NO_DRIVER, "no error buffer");
}

void check_with_device() {
    int n = 0;
    expect(jd_device_count(&n, err, sizeof(err)), JD_OK, nullptr, "jd_device_count");
    CHECK(n >= 1 && err[0] == '\0', "device count %d, message cleared on success", n);
    expect(jd_device_info(n, nullptr, 0, nullptr, nullptr, nullptr, nullptr, nullptr, err, sizeof(err)),
           JD_ERR_NO_DEVICE, "no device", "jd_device_info past the last device");
    size_t free_mem = 0, total_mem = 0;
    expect(jd_device_info(0, nullptr, 0, &free_mem, &total_mem, nullptr, nullptr, nullptr, err, sizeof(err)), JD_OK,
           nullptr, "jd_device_info");
    CHECK(total_mem > 0 && free_mem <= total_mem, "memory %zu of %zu", free_mem, total_mem);
    jd_context ctx = reinterpret_cast<jd_context>(0x1);
    expect(jd_context_create(n, &ctx, err, sizeof(err)), JD_ERR_NO_DEVICE, "no device",
           "jd_context_create past the last device");
    CHECK(ctx == nullptr, "jd_context_create leaves *ctx = NULL on failure");
    expect(jd_context_create(0, &ctx, err, sizeof(err)), JD_OK, nullptr, "jd_context_create");

    // Calls out of order are refused with a message.
    const uint16_t acts[4] = {0x3c00, 0, 0, 0};
    expect(jd_stats_coarse(ctx, acts, 0, 1, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "jd_stats_begin first",
           "jd_stats_coarse before jd_stats_begin");
    int resident = 0;
    expect(jd_stats_begin(ctx, 1, 4, 2, 1, &resident, err, sizeof(err)), JD_OK, nullptr, "jd_stats_begin");
    expect(jd_stats_coarse(ctx, nullptr, 0, 1, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "acts is null",
           "jd_stats_coarse without activations");
    expect(jd_stats_coarse(ctx, acts, 1, 1, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "in order",
           "jd_stats_coarse skipping image 0");
    const long long zero[1] = {0};
    expect(jd_stats_locate(ctx, zero, zero, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "counted first",
           "jd_stats_locate before every image was counted");
    int64_t c[4];
    expect(jd_tally_finish(ctx, c, c, c, c, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "jd_tally_begin first",
           "jd_tally_finish before jd_tally_begin");

    // A request beyond the device's memory is JD_ERR_OUT_OF_MEMORY with the sizes, not a crash: the intersection
    // counts of 2^20 units x 2^20 labels take 8 TiB.
    const int big = 1 << 20;
    std::vector<float> th(big, 0.0f);
    std::vector<int32_t> primary(big, -1);
    expect(jd_tally_begin(ctx, big, 1, 1, th.data(), big, 0, primary.data(), err, sizeof(err)),
           JD_ERR_OUT_OF_MEMORY, "out of GPU memory", "jd_tally_begin beyond the device's memory");
    float x[4] = {1, 2, 3, 4}, alpha = 1.0f, repl = 0.0f;
    expect(jd_ablate(ctx, nullptr, 1, 1, 4, &alpha, 1, &repl, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT,
           "x is null", "jd_ablate without x");
    expect(jd_ablate(ctx, x, 1, 1, 4, &alpha, 1, &repl, err, sizeof(err)), JD_OK, nullptr, "jd_ablate");
    CHECK(x[0] == 0.0f && x[3] == 0.0f, "jd_ablate with alpha 1 replaces the values: %g %g", x[0], x[3]);
    expect(jd_context_destroy(ctx, err, sizeof(err)), JD_OK, nullptr, "jd_context_destroy");
}

}  // namespace

int main() {
    int api = 0, runtime = 0;
    expect(jd_version(&api, &runtime, err, sizeof(err)), JD_OK, nullptr, "jd_version");
    CHECK(api == 3 && runtime >= 11000, "versions %d %d", api, runtime);
    check_arguments();

    int n = 0;
    const jd_status st = jd_device_count(&n, err, sizeof(err));
    if (st == JD_ERR_NO_DRIVER) {
        std::printf("no CUDA driver here (%s): checking that every call reports it\n", err);
        check_without_driver();
    } else if (st == JD_ERR_NO_DEVICE) {
        std::printf("a driver but no device (%s): only the argument checks ran\n", err);
    } else {
        std::printf("%d device(s): checking error paths on device 0\n", n);
        check_with_device();
    }
    if (failures != 0) {
        std::fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    std::printf("api errors: all checks passed\n");
    return 0;
}

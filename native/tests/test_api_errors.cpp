// The C API's failure paths: clean statuses and messages, never a crash. Runs everywhere: without a driver it
// checks that every call says so; with a GPU it checks out-of-memory, bad pointers and bad arguments.
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

void check_without_driver() {
    const char* nd = "libcuda.so.1";
    int n = -1;
    expect(jd_device_count(&n, err, sizeof(err)), JD_ERR_NO_DRIVER, nd, "jd_device_count");
    CHECK(n == 0, "device count without a driver is %d", n);
    char name[64];
    size_t free_mem = 1, total_mem = 1;
    int a = 0, b = 0, c = 0;
    expect(jd_device_info(0, name, sizeof(name), &free_mem, &total_mem, &a, &b, &c, err, sizeof(err)),
           JD_ERR_NO_DRIVER, nd, "jd_device_info");
    expect(jd_set_device(0, err, sizeof(err)), JD_ERR_NO_DRIVER, nd, "jd_set_device");
    void* p = reinterpret_cast<void*>(0x1);
    expect(jd_malloc(&p, 1024, err, sizeof(err)), JD_ERR_NO_DRIVER, nd, "jd_malloc");
    CHECK(p == nullptr, "jd_malloc leaves *ptr = NULL on failure");
    expect(jd_free(nullptr, err, sizeof(err)), JD_ERR_NO_DRIVER, nd, "jd_free");
    char host[16] = {0};
    expect(jd_memcpy(host, host + 8, 8, JD_DEVICE_TO_HOST, nullptr, err, sizeof(err)), JD_ERR_NO_DRIVER, nd,
           "jd_memcpy");
    expect(jd_memset(host, 0, 8, nullptr, err, sizeof(err)), JD_ERR_NO_DRIVER, nd, "jd_memset");
    jd_stream s = nullptr;
    expect(jd_stream_create(&s, err, sizeof(err)), JD_ERR_NO_DRIVER, nd, "jd_stream_create");
    expect(jd_stream_destroy(nullptr, err, sizeof(err)), JD_ERR_NO_DRIVER, nd, "jd_stream_destroy");
    expect(jd_stream_synchronize(nullptr, err, sizeof(err)), JD_ERR_NO_DRIVER, nd, "jd_stream_synchronize");
    expect(jd_tally_mask(nullptr, 1, 1, 2, 2, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, 4, 4,
                         nullptr, 0, 1, nullptr, nullptr, 0, nullptr, err, sizeof(err)),
           JD_ERR_NO_DRIVER, nd, "jd_tally_mask");
    jd_context ctx = reinterpret_cast<jd_context>(0x1);
    expect(jd_context_create(0, &ctx, err, sizeof(err)), JD_ERR_NO_DRIVER, nd, "jd_context_create");
    CHECK(ctx == nullptr, "jd_context_create leaves *ctx = NULL on failure");
    expect(jd_context_destroy(nullptr, err, sizeof(err)), JD_OK, nullptr, "jd_context_destroy(NULL)");
    int resident = 1;
    expect(jd_stats_begin(nullptr, 1, 1, 1, 0, &resident, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "ctx is null",
           "jd_stats_begin without a context");
    CHECK(resident == 0, "jd_stats_begin clears *resident on failure");
    expect(jd_stats_begin(nullptr, 0, 1, 1, 0, nullptr, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "units",
           "jd_stats_begin with no units");
    float t = 0.0f;
    int32_t primary = -1;
    expect(jd_tally_begin(nullptr, 1, 1, 1, &t, 1, 1, &primary, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT,
           "ctx is null", "jd_tally_begin without a context");
    primary = 5;
    expect(jd_tally_begin(nullptr, 1, 1, 1, &t, 1, 1, &primary, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT,
           "primary category 5", "jd_tally_begin with a bad primary category");
    float x = 1.0f;
    expect(jd_ablate(nullptr, &x, 1, 1, 1, &t, 2, &t, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "alpha needs 1",
           "jd_ablate with a bad alpha count");
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
    expect(jd_set_device(-1, err, sizeof(err)), JD_ERR_NO_DEVICE, "no device", "jd_set_device(-1)");
    size_t free_mem = 0, total_mem = 0;
    expect(jd_device_info(0, nullptr, 0, &free_mem, &total_mem, nullptr, nullptr, nullptr, err, sizeof(err)), JD_OK,
           nullptr, "jd_device_info");
    CHECK(total_mem > 0 && free_mem <= total_mem, "memory %zu of %zu", free_mem, total_mem);

    void* p = reinterpret_cast<void*>(0x1);
    expect(jd_malloc(&p, total_mem + (size_t(1) << 30), err, sizeof(err)), JD_ERR_OUT_OF_MEMORY, "out of GPU memory",
           "jd_malloc beyond total memory");
    CHECK(p == nullptr, "jd_malloc leaves *ptr = NULL on failure");
    expect(jd_malloc(&p, 0, err, sizeof(err)), JD_OK, nullptr, "jd_malloc(0)");
    CHECK(p == nullptr, "jd_malloc(0) gives NULL");

    // Round trip host -> device -> device -> host, and memset.
    std::vector<int> host(1000), back(1000, -1);
    for (int i = 0; i < 1000; i++) host[i] = i * 7 - 3;
    void* d1 = nullptr;
    void* d2 = nullptr;
    expect(jd_malloc(&d1, sizeof(int) * 1000, err, sizeof(err)), JD_OK, nullptr, "jd_malloc d1");
    expect(jd_malloc(&d2, sizeof(int) * 1000, err, sizeof(err)), JD_OK, nullptr, "jd_malloc d2");
    jd_stream s = nullptr;
    expect(jd_stream_create(&s, err, sizeof(err)), JD_OK, nullptr, "jd_stream_create");
    expect(jd_memcpy(d1, host.data(), sizeof(int) * 1000, JD_HOST_TO_DEVICE, s, err, sizeof(err)), JD_OK, nullptr, "h2d");
    expect(jd_memcpy(d2, d1, sizeof(int) * 1000, JD_DEVICE_TO_DEVICE, s, err, sizeof(err)), JD_OK, nullptr, "d2d");
    expect(jd_memcpy(back.data(), d2, sizeof(int) * 1000, JD_DEVICE_TO_HOST, s, err, sizeof(err)), JD_OK, nullptr, "d2h");
    CHECK(back == host, "round trip");
    expect(jd_memset(d2, 0, sizeof(int) * 500, s, err, sizeof(err)), JD_OK, nullptr, "memset");
    expect(jd_memcpy(back.data(), d2, sizeof(int) * 1000, JD_DEVICE_TO_HOST, s, err, sizeof(err)), JD_OK, nullptr, "d2h");
    CHECK(back[0] == 0 && back[499] == 0 && back[500] == host[500], "memset result");
    // A host pointer where device memory is expected, and a bad copy kind.
    expect(jd_memcpy(host.data(), back.data(), 16, JD_HOST_TO_DEVICE, s, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT,
           "not device memory", "h2d into host memory");
    expect(jd_memset(host.data(), 0, 16, s, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "not device memory",
           "memset of host memory");
    expect(jd_memcpy(d1, d2, 16, 9, s, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "copy kind", "bad copy kind");
    expect(jd_stream_destroy(s, err, sizeof(err)), JD_OK, nullptr, "jd_stream_destroy");
    expect(jd_free(d1, err, sizeof(err)), JD_OK, nullptr, "jd_free d1");
    expect(jd_free(d2, err, sizeof(err)), JD_OK, nullptr, "jd_free d2");
    expect(jd_free(nullptr, err, sizeof(err)), JD_OK, nullptr, "jd_free(NULL)");
}

}  // namespace

int main() {
    int api = 0, runtime = 0;
    expect(jd_version(&api, &runtime, err, sizeof(err)), JD_OK, nullptr, "jd_version");
    CHECK(api == 1 && runtime >= 11000, "versions %d %d", api, runtime);
    // Argument errors are found before the driver is needed.
    expect(jd_device_count(nullptr, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "count is null", "null count");
    expect(jd_malloc(nullptr, 16, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "ptr is null", "null ptr");
    expect(jd_memcpy(nullptr, nullptr, 16, 0, nullptr, err, sizeof(err)), JD_ERR_INVALID_ARGUMENT, "copy kind",
           "copy kind 0");
    expect(jd_tally_mask(nullptr, 1, 1, 0, 2, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, 4, 4,
                         nullptr, 0, 1, nullptr, nullptr, 0, nullptr, err, sizeof(err)),
           JD_ERR_INVALID_ARGUMENT, "bad sizes", "tally with in_h = 0");
    expect(jd_tally_mask(nullptr, 1, 3, 2, 2, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, 4, 4,
                         nullptr, 1, 10, nullptr, nullptr, 29, nullptr, err, sizeof(err)),
           JD_ERR_INVALID_ARGUMENT, "overlaps", "tally with an overlapping stride");
    expect(jd_tally_mask(nullptr, 70000, 70000, 2, 2, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
                         4, 4, nullptr, 0, 1, nullptr, nullptr, 0, nullptr, err, sizeof(err)),
           JD_ERR_INVALID_ARGUMENT, "too large", "tally with too many blocks");

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

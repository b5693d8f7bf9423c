// jdissect's JPEG decoder over libjpeg(-turbo): see jdissect_jpeg.h for the contract and why it exists.
//
// libjpeg reports errors by calling error_exit, which must not return: here it longjmps back into the one function
// that called setjmp (decode_into), which then destroys the decompressor. Nothing between the setjmp and a longjmp
// has a destructor, and the variables that function reads after a longjmp are set before the setjmp or volatile.
#include "jdissect_jpeg.h"

#include <csetjmp>
#include <cstdio>  // jpeglib.h needs FILE
#include <cstring>

#include <jpeglib.h>

namespace {

constexpr int kApiVersion = 2;  // 2: jd_jpeg_decode_planes

struct Failure {
    jpeg_error_mgr mgr;  // first: libjpeg hands back a jpeg_error_mgr*, which is this struct's address
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

struct ScanLimit {
    jpeg_progress_mgr mgr;  // first, as above
    Failure* failure;
};

[[noreturn]] void stop(j_common_ptr info) {
    Failure* failure = reinterpret_cast<Failure*>(info->err);
    info->err->format_message(info, failure->message);
    std::longjmp(failure->jump, 1);
}

// libjpeg's warnings (msg_level -1: data cut short, a corrupt segment, bytes before a marker) stop the decoding as
// errors do: PIL refuses such a file, ImageIO decodes it with the rest grey. Trace messages (levels >= 0) are
// ignored.
void on_message(j_common_ptr info, int msg_level) {
    if (msg_level < 0) {
        stop(info);
    }
}

// Called between the scans of a progressive file while jpeg_start_decompress reads it whole.
void on_progress(j_common_ptr info) {
    if (!info->is_decompressor) {
        return;
    }
    j_decompress_ptr d = reinterpret_cast<j_decompress_ptr>(info);
    if (d->input_scan_number > JD_JPEG_MAX_SCANS) {
        ScanLimit* limit = reinterpret_cast<ScanLimit*>(d->progress);
        std::snprintf(limit->failure->message, sizeof limit->failure->message,
                      "more than %d progressive scans (a file that would take a pass over the image for each)",
                      JD_JPEG_MAX_SCANS);
        std::longjmp(limit->failure->jump, 1);
    }
}

void write_message(char* err, size_t err_len, const char* message) {
    if (err != nullptr && err_len > 0) {
        std::snprintf(err, err_len, "%s", message);
    }
}

bool has_icc_profile(j_decompress_ptr info) {
    static const char kIcc[] = "ICC_PROFILE";  // with its NUL: 12 bytes
    for (jpeg_saved_marker_ptr m = info->marker_list; m != nullptr; m = m->next) {
        if (m->marker == JPEG_APP0 + 2 && m->data_length >= sizeof kIcc
            && std::memcmp(m->data, kIcc, sizeof kIcc) == 0) {
            return true;
        }
    }
    return false;
}

// What decode_into decided, kept in memory that a longjmp does not roll back.
struct Outcome {
    int status;
    char message[JMSG_LENGTH_MAX + 160];
};

// Where the pixels go: bytes (out, out_length) or, with tables set, normalised float planes.
struct Sink {
    unsigned char* out;
    long long out_length;
    const float* tables;  // 3 x 256, or null for bytes
    const int* planes;
    float* floats;        // the first plane's first value
    long long floats_available;
};

// The planes' decoding: rows of R, G, B bytes in a buffer of libjpeg's pool (freed with the decompressor, also after
// an error), each byte through its colour's table into its plane.
void decode_planes(jpeg_decompress_struct* info, const Sink* sink, int width, int height, Outcome* outcome) {
    info->out_color_space = JCS_RGB;
    jpeg_start_decompress(info);
    const JDIMENSION batch = 16;
    JSAMPARRAY rows = (*info->mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(info), JPOOL_IMAGE,
                                                  static_cast<JDIMENSION>(width) * 3, batch);
    const size_t plane = static_cast<size_t>(width) * height;
    float* red = sink->floats + sink->planes[0] * plane;
    float* green = sink->floats + sink->planes[1] * plane;
    float* blue = sink->floats + sink->planes[2] * plane;
    const float* tr = sink->tables;
    const float* tg = sink->tables + 256;
    const float* tb = sink->tables + 512;
    while (info->output_scanline < info->output_height) {
        const JDIMENSION first = info->output_scanline;
        JDIMENSION n = info->output_height - first;
        if (n > batch) {
            n = batch;
        }
        const JDIMENSION read = jpeg_read_scanlines(info, rows, n);
        if (read == 0) {  // a suspending source only; jpeg_mem_src never suspends
            outcome->status = JD_JPEG_INTERNAL;
            std::snprintf(outcome->message, sizeof outcome->message, "libjpeg read no row at row %u", first);
            return;
        }
        for (JDIMENSION i = 0; i < read; i++) {
            const JSAMPLE* __restrict row = rows[i];
            const size_t o = static_cast<size_t>(first + i) * width;
            float* __restrict r = red + o;
            float* __restrict g = green + o;
            float* __restrict b = blue + o;
            for (int x = 0; x < width; x++) {
                r[x] = tr[row[3 * x]];
                g[x] = tg[row[3 * x + 1]];
                b[x] = tb[row[3 * x + 2]];
            }
        }
    }
    jpeg_finish_decompress(info);
    outcome->status = JD_JPEG_OK;
    outcome->message[0] = '\0';
}

void decode_into(jpeg_decompress_struct* info, Failure* failure, ScanLimit* limit, const unsigned char* data,
                 unsigned long length, long long max_pixels, const Sink* sink, int* shape, Outcome* outcome) {
    if (setjmp(failure->jump) != 0) {
        outcome->status = JD_JPEG_CORRUPT;
        std::snprintf(outcome->message, sizeof outcome->message, "%s", failure->message);
        return;
    }
    jpeg_create_decompress(info);
    info->progress = &limit->mgr;
    jpeg_mem_src(info, data, length);
    // the first bytes of each APP2 segment, enough to see an ICC profile's identifier
    jpeg_save_markers(info, JPEG_APP0 + 2, 12);
    jpeg_read_header(info, TRUE);

    const int entry_width = shape[0];
    const int entry_height = shape[1];
    const int entry_channels = shape[2];
    const int width = static_cast<int>(info->image_width);
    const int height = static_cast<int>(info->image_height);
    shape[0] = width;
    shape[1] = height;
    shape[2] = 0;
    const char* other = nullptr;
    int channels = 0;
    if (info->data_precision != 8) {
        other = "samples of more than 8 bits";
    } else if (info->num_components == 1 && info->jpeg_color_space == JCS_GRAYSCALE) {
        channels = 1;
    } else if (info->num_components != 3) {
        other = "not 1 or 3 components";
    } else if (!info->saw_JFIF_marker || info->saw_Adobe_marker || info->jpeg_color_space != JCS_YCbCr) {
        other = "3 components without a JFIF marker, or with an Adobe one";
    }
    if (other == nullptr && channels == 1 && sink->tables != nullptr) {
        other = "one component (grey), which the caller converts";
        shape[2] = 1;
    }
    if (other == nullptr && has_icc_profile(info)) {
        other = "an ICC colour profile";
        channels = 0;
    }
    if (other != nullptr) {
        outcome->status = JD_JPEG_OTHER_LAYOUT;
        std::snprintf(outcome->message, sizeof outcome->message, "a JPEG with %s", other);
        return;
    }
    if (channels == 0) {
        channels = 3;
    }
    shape[2] = channels;
    const long long pixels = static_cast<long long>(width) * height;
    if (pixels > max_pixels) {
        outcome->status = JD_JPEG_TOO_LARGE;
        std::snprintf(outcome->message, sizeof outcome->message,
                      "its header declares %d x %d pixels, more than the %lld allowed (refused before decoding)",
                      width, height, max_pixels);
        return;
    }
    if (width != entry_width || height != entry_height || channels != entry_channels) {
        outcome->status = JD_JPEG_NEEDS_BUFFER;
        std::snprintf(outcome->message, sizeof outcome->message,
                      "the file is %d x %d x %d, the buffer laid out for %d x %d x %d", width, height, channels,
                      entry_width, entry_height, entry_channels);
        return;
    }
    const long long room = sink->tables != nullptr ? sink->floats_available : sink->out_length;
    if (pixels * channels > room) {
        outcome->status = JD_JPEG_INVALID_ARGUMENT;
        std::snprintf(outcome->message, sizeof outcome->message,
                      "out holds %lld values, fewer than the %d x %d x %d the shape on entry says", room, width,
                      height, channels);
        return;
    }
    if (sink->tables != nullptr) {
        decode_planes(info, sink, width, height, outcome);
        return;
    }
    unsigned char* out = sink->out;
#ifdef JCS_EXTENSIONS
    info->out_color_space = channels == 3 ? JCS_EXT_BGR : JCS_GRAYSCALE;
#else
    info->out_color_space = channels == 3 ? JCS_RGB : JCS_GRAYSCALE;  // IJG's libjpeg: swapped to B, G, R below
#endif
    jpeg_start_decompress(info);
    const size_t stride = static_cast<size_t>(width) * channels;
    JSAMPROW rows[16];
    while (info->output_scanline < info->output_height) {
        const JDIMENSION first = info->output_scanline;
        JDIMENSION n = info->output_height - first;
        if (n > 16) {
            n = 16;
        }
        for (JDIMENSION i = 0; i < n; i++) {
            rows[i] = out + (first + i) * stride;
        }
        const JDIMENSION read = jpeg_read_scanlines(info, rows, n);
#ifndef JCS_EXTENSIONS
        if (channels == 3) {
            for (JDIMENSION i = 0; i < read; i++) {
                for (size_t p = 0; p < stride; p += 3) {
                    const unsigned char r = rows[i][p];
                    rows[i][p] = rows[i][p + 2];
                    rows[i][p + 2] = r;
                }
            }
        }
#endif
        if (read == 0) {  // a suspending source only; jpeg_mem_src never suspends
            outcome->status = JD_JPEG_INTERNAL;
            std::snprintf(outcome->message, sizeof outcome->message, "libjpeg read no row at row %u", first);
            return;
        }
    }
    jpeg_finish_decompress(info);
    outcome->status = JD_JPEG_OK;
    outcome->message[0] = '\0';
}

int decode(const unsigned char* data, long long length, long long max_pixels, const Sink& sink, int* shape,
           char* err, size_t err_len) {
    if (length == 0) {
        write_message(err, err_len, "an empty file");
        return JD_JPEG_CORRUPT;
    }
    jpeg_decompress_struct info;
    std::memset(&info, 0, sizeof info);  // info.mem stays NULL if creating fails, so destroying is safe
    Failure failure;
    info.err = jpeg_std_error(&failure.mgr);
    failure.mgr.error_exit = stop;
    failure.mgr.emit_message = on_message;
    failure.message[0] = '\0';
    ScanLimit limit;
    std::memset(&limit, 0, sizeof limit);
    limit.mgr.progress_monitor = on_progress;
    limit.failure = &failure;
    Outcome outcome;
    outcome.status = JD_JPEG_INTERNAL;
    std::snprintf(outcome.message, sizeof outcome.message, "jd_jpeg_decode: no outcome");
    decode_into(&info, &failure, &limit, data, static_cast<unsigned long>(length), max_pixels, &sink, shape,
                &outcome);
    jpeg_destroy_decompress(&info);
    write_message(err, err_len, outcome.message);
    return outcome.status;
}

bool bad_lengths(const unsigned char* data, long long length, long long max_pixels, const int* shape) {
    return data == nullptr || shape == nullptr || length < 0 || max_pixels < 0
           || static_cast<unsigned long long>(length) > static_cast<unsigned long>(-1);
}

}  // namespace

extern "C" {

JD_JPEG_API int jd_jpeg_version(int* api_version, int* libjpeg_version, char* err, size_t err_len) {
    if (api_version != nullptr) {
        *api_version = kApiVersion;
    }
    if (libjpeg_version != nullptr) {
        *libjpeg_version = JPEG_LIB_VERSION;
    }
    write_message(err, err_len, "");
    return JD_JPEG_OK;
}

JD_JPEG_API int jd_jpeg_decode(const unsigned char* data, long long length, long long max_pixels,
                               unsigned char* out, long long out_length, int* shape, char* err, size_t err_len) {
    if (bad_lengths(data, length, max_pixels, shape) || (out == nullptr && out_length != 0) || out_length < 0) {
        write_message(err, err_len, "jd_jpeg_decode: a null pointer or a negative length");
        return JD_JPEG_INVALID_ARGUMENT;
    }
    Sink sink = {out, out_length, nullptr, nullptr, nullptr, 0};
    return decode(data, length, max_pixels, sink, shape, err, err_len);
}

JD_JPEG_API int jd_jpeg_decode_planes(const unsigned char* data, long long length, long long max_pixels,
                                      const float* tables, const int* planes, float* out, long long out_offset,
                                      long long out_length, int* shape, char* err, size_t err_len) {
    if (bad_lengths(data, length, max_pixels, shape) || tables == nullptr || planes == nullptr || out == nullptr
        || out_offset < 0 || out_length < out_offset) {
        write_message(err, err_len, "jd_jpeg_decode_planes: a null pointer, or an offset outside out");
        return JD_JPEG_INVALID_ARGUMENT;
    }
    if (planes[0] < 0 || planes[0] > 2 || planes[1] < 0 || planes[1] > 2 || planes[2] < 0 || planes[2] > 2
        || planes[0] == planes[1] || planes[0] == planes[2] || planes[1] == planes[2] || shape[2] != 3) {
        write_message(err, err_len, "jd_jpeg_decode_planes: planes must be a permutation of 0, 1, 2 and shape[2] 3");
        return JD_JPEG_INVALID_ARGUMENT;
    }
    Sink sink = {nullptr, 0, tables, planes, out + out_offset, out_length - out_offset};
    return decode(data, length, max_pixels, sink, shape, err, err_len);
}

}  // extern "C"

// Known-answer tests of jdissect_jpeg.h: files made by libjpeg's own compressor, decoded through the C API and
// compared with libjpeg's plain decoding of the same bytes (R, G, B rows), and every status the API can return.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <jpeglib.h>

#include "jdissect_jpeg.h"

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
    if (!ok) {
        std::fprintf(stderr, "FAIL: %s\n", what.c_str());
        failures++;
    }
}

struct Options {
    int width = 37;
    int height = 23;
    int components = 3;
    int h_samp = 2;  // of the first component: 2 x 2 is 4:2:0
    int v_samp = 2;
    bool jfif = true;
    bool adobe = false;
    bool icc = false;
    bool progressive = false;
    int scan_refinements = 0;  // > 0: a progressive script of 63 single-coefficient bands per component, each in
                               // 1 + this many scans
    int restart_rows = 0;
};

// A smooth pattern with some noise, so that every DCT coefficient is exercised.
std::vector<unsigned char> pattern(const Options& o) {
    std::vector<unsigned char> px(static_cast<size_t>(o.width) * o.height * o.components);
    unsigned seed = 12345;
    for (size_t i = 0; i < px.size(); i++) {
        seed = seed * 1103515245u + 12345u;
        const size_t p = i / o.components;
        const int x = static_cast<int>(p % o.width);
        const int y = static_cast<int>(p / o.width);
        const int c = static_cast<int>(i % o.components);
        px[i] = static_cast<unsigned char>((x * 7 + y * 3 + c * 80 + ((seed >> 16) & 31)) & 255);
    }
    return px;
}

std::vector<unsigned char> encode(const Options& o) {
    jpeg_compress_struct c;
    jpeg_error_mgr e;
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&c, &buffer, &size);
    c.image_width = o.width;
    c.image_height = o.height;
    c.input_components = o.components;
    c.in_color_space = o.components == 3 ? JCS_RGB : JCS_GRAYSCALE;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 85, TRUE);
    c.write_JFIF_header = o.jfif ? TRUE : FALSE;
    c.write_Adobe_marker = o.adobe ? TRUE : FALSE;
    if (o.components == 3) {
        c.comp_info[0].h_samp_factor = o.h_samp;
        c.comp_info[0].v_samp_factor = o.v_samp;
    }
    c.restart_in_rows = o.restart_rows;
    std::vector<jpeg_scan_info> script;
    if (o.progressive) {
        jpeg_simple_progression(&c);
    } else if (o.scan_refinements > 0) {
        const int al = o.scan_refinements;
        jpeg_scan_info dc = {};
        dc.comps_in_scan = o.components;
        for (int k = 0; k < o.components; k++) {
            dc.component_index[k] = k;
        }
        script.push_back(dc);
        for (int comp = 0; comp < o.components; comp++) {
            for (int k = 1; k <= 63; k++) {
                for (int pass = 0; pass <= al; pass++) {
                    jpeg_scan_info s = {};
                    s.comps_in_scan = 1;
                    s.component_index[0] = comp;
                    s.Ss = k;
                    s.Se = k;
                    s.Ah = pass == 0 ? 0 : al - pass + 1;
                    s.Al = al - pass;
                    script.push_back(s);
                }
            }
        }
        c.scan_info = script.data();
        c.num_scans = static_cast<int>(script.size());
    }
    jpeg_start_compress(&c, TRUE);
    if (o.icc) {
        unsigned char icc[40] = "ICC_PROFILE";  // the identifier with its NUL, then a sequence number and count
        icc[12] = 1;
        icc[13] = 1;
        jpeg_write_marker(&c, JPEG_APP0 + 2, icc, sizeof icc);
    }
    std::vector<unsigned char> px = pattern(o);
    const size_t stride = static_cast<size_t>(o.width) * o.components;
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = px.data() + c.next_scanline * stride;
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    std::vector<unsigned char> file(buffer, buffer + size);
    std::free(buffer);
    return file;
}

// libjpeg's plain decoding: R, G, B (or grey) rows.
std::vector<unsigned char> reference(const std::vector<unsigned char>& file, int channels) {
    jpeg_decompress_struct d;
    jpeg_error_mgr e;
    d.err = jpeg_std_error(&e);
    jpeg_create_decompress(&d);
    jpeg_mem_src(&d, file.data(), file.size());
    jpeg_read_header(&d, TRUE);
    d.out_color_space = channels == 3 ? JCS_RGB : JCS_GRAYSCALE;
    jpeg_start_decompress(&d);
    std::vector<unsigned char> px(static_cast<size_t>(d.output_width) * d.output_height * channels);
    while (d.output_scanline < d.output_height) {
        JSAMPROW row = px.data() + static_cast<size_t>(d.output_scanline) * d.output_width * channels;
        jpeg_read_scanlines(&d, &row, 1);
    }
    jpeg_finish_decompress(&d);
    jpeg_destroy_decompress(&d);
    return px;
}

struct Result {
    int status;
    int shape[3];
    std::string message;
    std::vector<unsigned char> out;
};

Result decode(const std::vector<unsigned char>& file, int w, int h, int c, long long max_pixels = 1LL << 30) {
    Result r;
    r.shape[0] = w;
    r.shape[1] = h;
    r.shape[2] = c;
    r.out.assign(static_cast<size_t>(w) * h * c, 0xAB);
    char err[512];
    r.status = jd_jpeg_decode(file.data(), static_cast<long long>(file.size()), max_pixels, r.out.data(),
                              static_cast<long long>(r.out.size()), r.shape, err, sizeof err);
    r.message = err;
    return r;
}

void decodes_as_libjpeg(const Options& o, const std::string& name) {
    const std::vector<unsigned char> file = encode(o);
    const int channels = o.components;
    Result r = decode(file, o.width, o.height, channels);
    check(r.status == JD_JPEG_OK, name + ": status " + std::to_string(r.status) + " (" + r.message + ")");
    check(r.message.empty(), name + ": no message on success");
    check(r.shape[0] == o.width && r.shape[1] == o.height && r.shape[2] == channels, name + ": shape");
    std::vector<unsigned char> want = reference(file, channels);
    if (channels == 3) {
        for (size_t p = 0; p < want.size(); p += 3) {
            std::swap(want[p], want[p + 2]);  // B, G, R
        }
    }
    check(r.out == want, name + ": pixels equal libjpeg's, as B, G, R");
}

}  // namespace

int main() {
    int api = 0;
    int lib = 0;
    char err[512] = "x";
    check(jd_jpeg_version(&api, &lib, err, sizeof err) == JD_JPEG_OK && api == 2 && lib >= 62 && err[0] == '\0',
          "version");

    Options base;
    decodes_as_libjpeg(base, "4:2:0, odd size");
    Options o444 = base;
    o444.h_samp = 1;
    o444.v_samp = 1;
    decodes_as_libjpeg(o444, "4:4:4");
    Options o422 = base;
    o422.v_samp = 1;
    decodes_as_libjpeg(o422, "4:2:2");
    Options o440 = base;
    o440.h_samp = 1;
    decodes_as_libjpeg(o440, "4:4:0");
    Options grey = base;
    grey.components = 1;
    grey.jfif = false;  // one component needs no JFIF marker to be grey
    decodes_as_libjpeg(grey, "grey");
    Options progressive = base;
    progressive.progressive = true;
    decodes_as_libjpeg(progressive, "progressive");
    Options restarts = base;
    restarts.restart_rows = 1;
    decodes_as_libjpeg(restarts, "restart markers");
    Options big = base;
    big.width = 301;  // more rows than one read of 16
    big.height = 45;
    decodes_as_libjpeg(big, "301 x 45");

    // a progressive file within the scan limit decodes; one beyond it is refused
    Options few = base;
    few.width = 8;
    few.height = 8;
    few.components = 1;
    few.scan_refinements = 1;  // 1 + 63 x 2 = 127 scans
    decodes_as_libjpeg(few, "127 scans");
    Options many = few;
    many.components = 3;
    many.scan_refinements = 2;  // 1 + 3 x 63 x 3 = 568 scans
    {
        Result r = decode(encode(many), 8, 8, 3);
        check(r.status == JD_JPEG_CORRUPT && r.message.find("more than 500 progressive scans") != std::string::npos,
              "568 scans: refused, got " + std::to_string(r.status) + " (" + r.message + ")");
    }

    const std::vector<unsigned char> file = encode(base);
    {  // another shape on entry: what the file needs, and out untouched
        Result r = decode(file, 23, 37, 3);
        check(r.status == JD_JPEG_NEEDS_BUFFER && r.shape[0] == 37 && r.shape[1] == 23 && r.shape[2] == 3,
              "needs buffer: status and shape");
        bool untouched = true;
        for (unsigned char v : r.out) {
            untouched = untouched && v == 0xAB;
        }
        check(untouched, "needs buffer: out untouched");
        Result g = decode(file, 37, 23, 1);
        check(g.status == JD_JPEG_NEEDS_BUFFER && g.shape[2] == 3, "needs buffer: the channels count too");
    }
    {  // the pixel limit, read from the header
        Result r = decode(file, 37, 23, 3, 37LL * 23 - 1);
        check(r.status == JD_JPEG_TOO_LARGE && r.shape[0] == 37 && r.shape[1] == 23
                  && r.message.find("declares 37 x 23 pixels") != std::string::npos,
              "too large: " + r.message);
        check(decode(file, 37, 23, 3, 37LL * 23).status == JD_JPEG_OK, "exactly at the limit");
    }
    {  // cut short, corrupt, not a JPEG, empty
        std::vector<unsigned char> cut(file.begin(), file.begin() + static_cast<long>(file.size() * 2 / 3));
        Result r = decode(cut, 37, 23, 3);
        check(r.status == JD_JPEG_CORRUPT && !r.message.empty(), "cut short: corrupt, with libjpeg's message");
        std::vector<unsigned char> header(file.begin(), file.begin() + 40);
        check(decode(header, 37, 23, 3).status == JD_JPEG_CORRUPT, "a header and no image: corrupt");
        std::vector<unsigned char> text = {'n', 'o', 't', ' ', 'a', ' ', 'J', 'P', 'E', 'G'};
        Result t = decode(text, 37, 23, 3);
        check(t.status == JD_JPEG_CORRUPT && t.message.find("Not a JPEG file") != std::string::npos,
              "not a JPEG: " + t.message);
        std::vector<unsigned char> flipped = file;
        for (size_t i = flipped.size() / 2; i < flipped.size() / 2 + 64; i++) {
            flipped[i] = static_cast<unsigned char>(flipped[i] ^ 0x5A);
        }
        check(decode(flipped, 37, 23, 3).status != JD_JPEG_OK, "corrupted entropy data: refused");
        std::vector<unsigned char> empty;
        empty.push_back(0);
        int shape[3] = {1, 1, 3};
        unsigned char px[3];
        check(jd_jpeg_decode(empty.data(), 0, 100, px, 3, shape, err, sizeof err) == JD_JPEG_CORRUPT,
              "an empty file");
    }
    {  // the files left to ImageIO
        Options nojfif = base;
        nojfif.jfif = false;
        Result r = decode(encode(nojfif), 37, 23, 3);
        check(r.status == JD_JPEG_OTHER_LAYOUT && r.shape[2] == 0, "no JFIF marker: other layout");
        Options adobe = base;
        adobe.adobe = true;
        check(decode(encode(adobe), 37, 23, 3).status == JD_JPEG_OTHER_LAYOUT, "an Adobe marker: other layout");
        Options icc = base;
        icc.icc = true;
        Result i = decode(encode(icc), 37, 23, 3);
        check(i.status == JD_JPEG_OTHER_LAYOUT && i.message.find("ICC") != std::string::npos,
              "an ICC profile: other layout");
    }
    {  // arguments
        int shape[3] = {37, 23, 3};
        std::vector<unsigned char> out(37 * 23 * 3);
        check(jd_jpeg_decode(nullptr, 10, 100, out.data(), 10, shape, err, sizeof err) == JD_JPEG_INVALID_ARGUMENT,
              "null data");
        check(jd_jpeg_decode(file.data(), -1, 100, out.data(), 10, shape, err, sizeof err)
                  == JD_JPEG_INVALID_ARGUMENT,
              "negative length");
        check(jd_jpeg_decode(file.data(), static_cast<long long>(file.size()), 1 << 20, out.data(), 100, shape, err,
                             sizeof err) == JD_JPEG_INVALID_ARGUMENT,
              "out shorter than the shape says");
        check(jd_jpeg_decode(file.data(), static_cast<long long>(file.size()), 1 << 20, out.data(),
                             static_cast<long long>(out.size()), shape, nullptr, 0) == JD_JPEG_OK,
              "no message buffer");
    }
    {  // planes: each colour's byte through its table into its plane, at an offset, as the bytes' decoding gives
        std::vector<float> tables(768);
        for (int i = 0; i < 768; i++) {
            tables[i] = static_cast<float>(i % 256) / 255.0f * (i < 256 ? 1.0f : i < 512 ? -2.0f : 3.0f) + i / 256;
        }
        for (const Options& o : {base, progressive, big}) {
            const std::vector<unsigned char> f = encode(o);
            Result bytes = decode(f, o.width, o.height, 3);
            const size_t plane = static_cast<size_t>(o.width) * o.height;
            const int planes[3] = {2, 0, 1};  // red into plane 2, green into 0, blue into 1
            std::vector<float> out(5 + 3 * plane, -7.0f);
            int shape[3] = {o.width, o.height, 3};
            const int status = jd_jpeg_decode_planes(f.data(), static_cast<long long>(f.size()), 1 << 20,
                                                     tables.data(), planes, out.data(), 5,
                                                     static_cast<long long>(out.size()), shape, err, sizeof err);
            check(status == JD_JPEG_OK, "planes: status " + std::to_string(status) + " (" + err + ")");
            bool same = out[0] == -7.0f && out[4] == -7.0f;
            for (size_t i = 0; i < plane; i++) {
                const unsigned char b = bytes.out[3 * i];
                const unsigned char g = bytes.out[3 * i + 1];
                const unsigned char r = bytes.out[3 * i + 2];
                same = same && out[5 + 2 * plane + i] == tables[r] && out[5 + i] == tables[256 + g]
                       && out[5 + plane + i] == tables[512 + b];
            }
            check(same, "planes: the bytes' decoding through the tables, each colour in its plane");
        }
        const int planes[3] = {0, 1, 2};
        std::vector<float> out(3 * 37 * 23, -7.0f);
        int shape[3] = {23, 37, 3};
        check(jd_jpeg_decode_planes(file.data(), static_cast<long long>(file.size()), 1 << 20, tables.data(), planes,
                                    out.data(), 0, static_cast<long long>(out.size()), shape, err, sizeof err)
                      == JD_JPEG_NEEDS_BUFFER
                  && shape[0] == 37 && shape[1] == 23 && out[0] == -7.0f,
              "planes: another size needs the caller's resizing, out untouched");
        const std::vector<unsigned char> greyFile = encode(grey);
        int greyShape[3] = {37, 23, 3};
        check(jd_jpeg_decode_planes(greyFile.data(), static_cast<long long>(greyFile.size()), 1 << 20, tables.data(),
                                    planes, out.data(), 0, static_cast<long long>(out.size()), greyShape, err,
                                    sizeof err) == JD_JPEG_OTHER_LAYOUT
                  && greyShape[2] == 1,
              "planes: a grey file is left to the caller");
        int s3[3] = {37, 23, 3};
        check(jd_jpeg_decode_planes(file.data(), static_cast<long long>(file.size()), 1 << 20, tables.data(), planes,
                                    out.data(), 1, static_cast<long long>(out.size()), s3, err, sizeof err)
                  == JD_JPEG_INVALID_ARGUMENT,
              "planes: an offset leaving too little room");
        const int twice[3] = {0, 0, 2};
        int s4[3] = {37, 23, 3};
        check(jd_jpeg_decode_planes(file.data(), static_cast<long long>(file.size()), 1 << 20, tables.data(), twice,
                                    out.data(), 0, static_cast<long long>(out.size()), s4, err, sizeof err)
                  == JD_JPEG_INVALID_ARGUMENT,
              "planes: not a permutation");
    }
    if (failures > 0) {
        std::fprintf(stderr, "%d failures\n", failures);
        return 1;
    }
    std::printf("jpeg: all checks passed\n");
    return 0;
}

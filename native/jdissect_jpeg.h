/*
 * jdissect's JPEG decoder: libjpeg(-turbo) called straight from Java (org.jdissect.data.JpegLib, through JavaCPP),
 * for the JPEGs a dissection reads by the thousand.
 *
 * Why: the JDK's ImageIO decodes with the same libjpeg (Debian's JDK links the system's libjpeg-turbo; others bundle
 * IJG's 6b, whose output libjpeg-turbo reproduces for these settings), but around it reads the file through Java
 * callbacks and copies each row through a Java raster: 0.87 to 1.0 ms per 224 x 224 SceneWorld image in a fresh
 * JVM under C1, against 0.54 to 0.57 ms through this call, the same pixels, every one of 1,000 images (2-core VM,
 * 2026-11-28).
 *
 * Rules, as for jdissect_cuda.h: every function returns a status (JD_JPEG_OK, 0, is success) and takes an
 * error-message buffer (err, err_len) last, where a NUL-terminated message is written on failure ("" on success;
 * either may be NULL / 0); no C++ exception and no longjmp leaves the library; no allocation outlives a call.
 *
 * Only the files whose pixels ImageIO decodes the same way are decoded here (JD_JPEG_OTHER_LAYOUT for the rest,
 * which the caller hands to ImageIO): 8-bit JFIF files of three components (YCbCr), written out as 3 bytes B, G, R
 * per pixel (ImageIO's TYPE_3BYTE_BGR), and 8-bit one-component (grey) files, 1 byte per pixel; neither with an
 * Adobe marker or an ICC profile (ImageIO gives those another colour model). Like PIL, and unlike ImageIO, a file
 * that makes libjpeg warn (data cut short, a corrupt segment) is an error: the decoding stops at the first warning.
 */
#ifndef JDISSECT_JPEG_H
#define JDISSECT_JPEG_H

#include <stddef.h>

#if defined(_WIN32)
#define JD_JPEG_API __declspec(dllexport)
#else
#define JD_JPEG_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

enum {
    JD_JPEG_OK = 0,
    JD_JPEG_INVALID_ARGUMENT = 1, /* a null pointer or a negative length */
    JD_JPEG_CORRUPT = 2,          /* libjpeg's error or first warning, in the message */
    JD_JPEG_TOO_LARGE = 3,        /* the header declares more pixels than max_pixels (shape says how many) */
    JD_JPEG_OTHER_LAYOUT = 4,     /* a JPEG this decoder leaves to ImageIO (see above; the message says why) */
    JD_JPEG_NEEDS_BUFFER = 5,     /* out is not laid out for this file: shape says what it needs */
    JD_JPEG_INTERNAL = 6          /* a bug in this library */
};

/* The most scans a progressive file may have: each scan is a pass over the whole image, and a hostile file of a
   few kilobytes can declare thousands (libjpeg-turbo's own tools cap them the same way). */
#define JD_JPEG_MAX_SCANS 500

/* The version of this API (checked by the Java side) and libjpeg's (JPEG_LIB_VERSION, e.g. 62). */
JD_JPEG_API int jd_jpeg_version(int* api_version, int* libjpeg_version, char* err, size_t err_len);

/*
 * Decodes the JPEG file data[0 .. length) into out, row after row without padding.
 *
 * shape, 3 ints: on entry the width, height and channels (3 or 1) out is laid out for, out_length >= their
 * product; on return the file's own width, height and channels (0 channels for JD_JPEG_OTHER_LAYOUT), whenever the
 * header could be read. The pixels are decoded only when the file's shape is the one on entry; otherwise the
 * status is JD_JPEG_NEEDS_BUFFER and out is untouched, so a caller keeps one buffer for a run of images of one
 * size and makes another when the size changes. A header declaring more than max_pixels pixels is refused before
 * anything is allocated (JD_JPEG_TOO_LARGE). On JD_JPEG_CORRUPT, out may hold part of the image.
 */
JD_JPEG_API int jd_jpeg_decode(const unsigned char* data, long long length, long long max_pixels,
                               unsigned char* out, long long out_length, int* shape, char* err, size_t err_len);

/*
 * As jd_jpeg_decode for a colour file of exactly shape[0] x shape[1] (shape[2] = 3 on entry), but each pixel's red,
 * green and blue bytes go through tables (768 floats: 256 for red, then 256 for green, then for blue) into three
 * float planes of width x height starting at out[out_offset]: red into plane planes[0], green into planes[1], blue
 * into planes[2] (a permutation of 0, 1, 2), out holding out_length floats in all: a model's input normalised in the
 * decoding pass instead of a second pass over the decoded bytes (org.jdissect.data.ImageDecoder#decodePlanes says
 * what each costs). A grey file is JD_JPEG_OTHER_LAYOUT here (shape[2] = 1 says so): ImageIO's grey image goes
 * through the caller's own conversion.
 */
JD_JPEG_API int jd_jpeg_decode_planes(const unsigned char* data, long long length, long long max_pixels,
                                      const float* tables, const int* planes, float* out, long long out_offset,
                                      long long out_length, int* shape, char* err, size_t err_len);

#ifdef __cplusplus
}
#endif

#endif

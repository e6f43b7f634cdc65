#ifndef APPJUDGE_CPNG_H
#define APPJUDGE_CPNG_H
#include <stddef.h>
#include <stdint.h>

/// Result of an encode or decode: `data` is malloc'd and owned by the caller (free with
/// `cpng_free`); on failure `data` is NULL and `error` holds libpng's message.
typedef struct {
    uint8_t *data;
    size_t length;
    uint32_t width;
    uint32_t height;
    char error[160];
} cpng_result;

/// Encodes 8-bit RGBA pixels (`stride` bytes per row) as an RGB PNG (alpha dropped: screen
/// captures are opaque). `level` is the zlib level (0-9); `fast` selects the settings that make
/// screenshots cheap to encode (no row filter, Z_RLE strategy), `fast == 0` uses libpng defaults.
int cpng_encode_rgba(const uint8_t *pixels, uint32_t width, uint32_t height, size_t stride,
                     int level, int fast, int keep_alpha, cpng_result *out);

/// Decodes any PNG into 8-bit RGBA (libpng's simplified API, which needs no setjmp).
int cpng_decode_rgba(const uint8_t *bytes, size_t length, cpng_result *out);

void cpng_free(uint8_t *data);
#endif

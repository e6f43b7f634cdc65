// The only place that calls libpng. The full write API is used for encoding because it lets us
// pick filter and zlib strategy (the simplified png_image API encodes a 1280x800 screen ~10x
// slower at its fixed defaults); its error path is a longjmp, which is why this is C.
#include "cpng.h"
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

typedef struct {
    uint8_t *data;
    size_t length;
    size_t capacity;
    int failed;
} sink;

static void sink_write(png_structp png, png_bytep bytes, png_size_t count) {
    sink *s = (sink *)png_get_io_ptr(png);
    if (s->failed) return;
    if (s->length + count > s->capacity) {
        size_t cap = s->capacity ? s->capacity : 65536;
        while (cap < s->length + count) cap *= 2;
        uint8_t *grown = realloc(s->data, cap);
        if (!grown) { s->failed = 1; png_error(png, "out of memory"); }
        s->data = grown;
        s->capacity = cap;
    }
    memcpy(s->data + s->length, bytes, count);
    s->length += count;
}

static void sink_flush(png_structp png) { (void)png; }

typedef struct { char *buffer; } err_ctx;

static void on_error(png_structp png, png_const_charp message) {
    err_ctx *ctx = (err_ctx *)png_get_error_ptr(png);
    if (ctx && ctx->buffer) { strncpy(ctx->buffer, message, 159); ctx->buffer[159] = 0; }
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp message) { (void)png; (void)message; }

int cpng_encode_rgba(const uint8_t *pixels, uint32_t width, uint32_t height, size_t stride,
                     int level, int fast, int keep_alpha, cpng_result *out) {
    memset(out, 0, sizeof(*out));
    err_ctx ctx = { out->error };
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, on_error, on_warning);
    if (!png) { strcpy(out->error, "png_create_write_struct failed"); return -1; }
    png_infop info = png_create_info_struct(png);
    sink s = {0};
    // Volatile: modified between setjmp and a possible longjmp.
    uint8_t *volatile row = NULL;
    if (!info) { png_destroy_write_struct(&png, NULL); strcpy(out->error, "png_create_info_struct failed"); return -1; }
    if (setjmp(png_jmpbuf(png))) {
        free(row);
        free(s.data);
        png_destroy_write_struct(&png, &info);
        if (!out->error[0]) strcpy(out->error, "libpng failed");
        return -1;
    }
    png_set_write_fn(png, &s, sink_write, sink_flush);
    png_set_IHDR(png, info, width, height, 8, keep_alpha ? PNG_COLOR_TYPE_RGBA : PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, level);
    if (fast) {
        // UI frames are large flat areas: SUB filter + run-length matching compress them well
        // at a fraction of the cost of adaptive filtering with full deflate.
        png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
        png_set_compression_strategy(png, Z_RLE);
    }
    png_write_info(png, info);
    if (keep_alpha) {
        for (uint32_t y = 0; y < height; y++) png_write_row(png, (png_const_bytep)(pixels + y * stride));
    } else {
        row = malloc((size_t)width * 3);
        if (!row) png_error(png, "out of memory");
        for (uint32_t y = 0; y < height; y++) {
            const uint8_t *src = pixels + y * stride;
            uint8_t *dst = row;
            for (uint32_t x = 0; x < width; x++) { dst[0] = src[0]; dst[1] = src[1]; dst[2] = src[2]; dst += 3; src += 4; }
            png_write_row(png, row);
        }
    }
    png_write_end(png, info);
    free(row);
    png_destroy_write_struct(&png, &info);
    out->data = s.data;
    out->length = s.length;
    out->width = width;
    out->height = height;
    return 0;
}

int cpng_decode_rgba(const uint8_t *bytes, size_t length, cpng_result *out) {
    memset(out, 0, sizeof(*out));
    png_image image;
    memset(&image, 0, sizeof(image));
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, bytes, length)) {
        strncpy(out->error, image.message, 159);
        return -1;
    }
    image.format = PNG_FORMAT_RGBA;
    size_t size = PNG_IMAGE_SIZE(image);
    uint8_t *buffer = malloc(size);
    if (!buffer) { png_image_free(&image); strcpy(out->error, "out of memory"); return -1; }
    if (!png_image_finish_read(&image, NULL, buffer, 0, NULL)) {
        strncpy(out->error, image.message, 159);
        free(buffer);
        png_image_free(&image);
        return -1;
    }
    out->data = buffer;
    out->length = size;
    out->width = image.width;
    out->height = image.height;
    return 0;
}

void cpng_free(uint8_t *data) { free(data); }

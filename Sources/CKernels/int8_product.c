#include "CKernels.h"
#include "levels.h"

#include <immintrin.h>
#include <math.h>
#include <string.h>

// The int8 linear layer: u8 activation codes times s8 weight codes, summed in int32 and turned back into floats
// (zero point, scales, bias, residual) while the sums are still in registers.
//
// Packed weights: columns (outputs) in panels of 16, panels in blocks of 4 (the last block may hold fewer); for
// each group of 4 inputs (a "quad"), each panel's 16 columns' 4 codes side by side (64 bytes, one AVX-512 register
// or two AVX2 ones), and a block's panels one after the other, so that a tile reads its weights in one stream. A
// quad of one activation row is 4 bytes, broadcast to every lane, so one multiply-add instruction adds 4 products
// into each of 16 int32 sums (`vpdpbusd` with VNNI; `vpmaddubsw` + `vpmaddwd` without, whose 16-bit pair sums are
// why weights are 7-bit there). Inputs past the last are zero codes in the weights, so the activations' padding
// bytes add nothing.
//
// Measured on the encoder's shapes (bench/int8_kernel.sh, 2026-12-06, Xeon with AVX-512 VNNI, one thread, 300
// rows): 563-702 GOPS with VNNI (oneDNN's `gemm_u8s8s32`, without its separate dequantization pass: 655-716),
// 257-268 on AVX-512 without VNNI (260-267), 166-201 on AVX2 (167-187).

#define PANEL 16
#define QUAD_BYTES (PANEL * 4)
#define BLOCK_PANELS 4

size_t qk_int8_code_stride(size_t inputs) { return (inputs + 3) / 4 * 4; }

/// The panels of 16 columns that `outputs` columns take, the last one padded.
static size_t panel_count(size_t outputs) { return (outputs + PANEL - 1) / PANEL; }

size_t qk_int8_packed_size(size_t outputs, size_t inputs) {
    return panel_count(outputs) * PANEL * qk_int8_code_stride(inputs);
}

/// Where panel `panel`'s 64 bytes of quad 0 lie, and (`*step`) the bytes from one quad to the next: the whole
/// layout, which packing and every level's tiles read through this one function.
static size_t panel_offset(size_t panel, size_t panels, size_t quads, size_t *step) {
    size_t block = panel / BLOCK_PANELS, first = block * BLOCK_PANELS;
    size_t width = panels - first < BLOCK_PANELS ? panels - first : BLOCK_PANELS;
    *step = width * QUAD_BYTES;
    return first * quads * QUAD_BYTES + (panel - first) * QUAD_BYTES;
}

void qk_int8_pack(const int8_t *codes, size_t outputs, size_t inputs, int8_t *packed) {
    size_t quads = qk_int8_code_stride(inputs) / 4, panels = panel_count(outputs);
    memset(packed, 0, qk_int8_packed_size(outputs, inputs));
    for (size_t panel = 0; panel < panels; panel++) {
        size_t step, offset = panel_offset(panel, panels, quads, &step);
        for (size_t quad = 0; quad < quads; quad++)
            for (size_t lane = 0; lane < PANEL; lane++)
                for (size_t byte = 0; byte < 4; byte++) {
                    size_t column = panel * PANEL + lane, input = quad * 4 + byte;
                    if (column < outputs && input < inputs)
                        packed[offset + quad * step + lane * 4 + byte] = codes[column * inputs + input];
                }
    }
}

/// Unrolls the loop that follows completely (its count is a constant in every tile shape), so that the sums are
/// separate values the compiler keeps in registers rather than an array in memory.
#define UNROLLED _Pragma("clang loop unroll(full)")

/// What every level's epilogue computes for one sum, in this order, so that all levels give the same bits.
INLINE float finish(int32_t sum, int32_t row_zero, int32_t code_sum, float row_scale, float scale, float bias) {
    return fmaf((float)(sum - row_zero * code_sum), row_scale * scale, bias);
}

/// The arguments every tile needs besides its position.
typedef struct {
    const uint8_t *codes;   // activation codes, rows of `stride` bytes
    size_t stride, quads, outputs;
    const int8_t *packed;
    const float *row_scales;
    const int32_t *row_zeros;
    const float *scales;
    const int32_t *code_sums;
    const float *bias;
    const float *residual;  // NULL for none
    float *out;
} product_t;

INLINE int32_t quad_of(const uint8_t *row, size_t quad) {
    int32_t value;
    memcpy(&value, row + quad * 4, sizeof value);
    return value;
}

// ---- Levels below AVX2 (int8 is refused there; this runs only if called anyway, and in tests as a reference) ----

static void product_scalar(const product_t *p, size_t rows) {
    size_t panels = panel_count(p->outputs);
    for (size_t row = 0; row < rows; row++) {
        const uint8_t *a = p->codes + row * p->stride;
        for (size_t panel = 0; panel < panels; panel++) {
            size_t step;
            const int8_t *w = p->packed + panel_offset(panel, panels, p->quads, &step);
            for (size_t lane = 0; lane < PANEL && panel * PANEL + lane < p->outputs; lane++) {
                int32_t sum = 0;
                for (size_t quad = 0; quad < p->quads; quad++)
                    for (size_t byte = 0; byte < 4; byte++)
                        sum += (int32_t)a[quad * 4 + byte] * w[quad * step + lane * 4 + byte];
                size_t column = panel * PANEL + lane, at = row * p->outputs + column;
                float y = finish(sum, p->row_zeros[row], p->code_sums[column], p->row_scales[row], p->scales[column],
                                 p->bias[column]);
                p->out[at] = p->residual ? y + p->residual[at] : y;
            }
        }
    }
}

// ---- AVX2: tiles of up to 4 rows × one panel (16 columns, two registers) ----

#define AVX2 __attribute__((target("avx2,fma")))

AVX2 INLINE __m256i avx2_dot4(__m256i sum, __m256i activations, __m256i weights, __m256i ones) {
    return _mm256_add_epi32(sum, _mm256_madd_epi16(_mm256_maddubs_epi16(activations, weights), ones));
}

/// As `avx2_dot4` for two quads, whose 16-bit pair sums are added before widening. A plain `vpaddw`, which wraps:
/// the sum cannot pass 32,767 with 7-bit codes, and the saturating `vpaddsw` competes for the two multiply ports.
AVX2 INLINE __m256i avx2_dot8(__m256i sum, __m256i a0, __m256i w0, __m256i a1, __m256i w1, __m256i ones) {
    __m256i pairs = _mm256_add_epi16(_mm256_maddubs_epi16(a0, w0), _mm256_maddubs_epi16(a1, w1));
    return _mm256_add_epi32(sum, _mm256_madd_epi16(pairs, ones));
}

AVX2 INLINE void avx2_tile(const product_t *p, size_t row0, int rows, size_t panel) {
    __m256i sums[4][2];
    __m256i zero = _mm256_setzero_si256();
    __asm__("" : "+v"(zero));   // see opaque512
    UNROLLED for (int r = 0; r < rows; r++) sums[r][0] = sums[r][1] = zero;
    const __m256i ones = _mm256_set1_epi16(1);
    size_t step;
    const int8_t *w = p->packed + panel_offset(panel, panel_count(p->outputs), p->quads, &step);
    size_t quad = 0;
    // Two quads at a time: with 7-bit codes on both sides (`qk_int8_largest_activation`) each `vpmaddubsw` pair sum
    // is at most 2 × 127 × 63 = 16,002, so two of them add in 16 bits (32,004) before one `vpmaddwd` widens them: 3
    // multiplies per 8 products instead of 4.
    for (; quad + 2 <= p->quads; quad += 2) {
        const int8_t *at = w + quad * step;
        __m256i low0 = _mm256_loadu_si256((const __m256i *)at), high0 = _mm256_loadu_si256((const __m256i *)(at + 32));
        __m256i low1 = _mm256_loadu_si256((const __m256i *)(at + step));
        __m256i high1 = _mm256_loadu_si256((const __m256i *)(at + step + 32));
        UNROLLED for (int r = 0; r < rows; r++) {
            const uint8_t *row = p->codes + (row0 + r) * p->stride;
            __m256i a0 = _mm256_set1_epi32(quad_of(row, quad)), a1 = _mm256_set1_epi32(quad_of(row, quad + 1));
            sums[r][0] = avx2_dot8(sums[r][0], a0, low0, a1, low1, ones);
            sums[r][1] = avx2_dot8(sums[r][1], a0, high0, a1, high1, ones);
        }
    }
    for (; quad < p->quads; quad++) {
        __m256i low = _mm256_loadu_si256((const __m256i *)(w + quad * step));
        __m256i high = _mm256_loadu_si256((const __m256i *)(w + quad * step + 32));
        UNROLLED for (int r = 0; r < rows; r++) {
            __m256i a = _mm256_set1_epi32(quad_of(p->codes + (row0 + r) * p->stride, quad));
            sums[r][0] = avx2_dot4(sums[r][0], a, low, ones);
            sums[r][1] = avx2_dot4(sums[r][1], a, high, ones);
        }
    }
    UNROLLED for (int half = 0; half < 2; half++) {
        size_t column = panel * PANEL + half * 8;
        if (column >= p->outputs) break;
        int count = p->outputs - column < 8 ? (int)(p->outputs - column) : 8;
        if (count < 8) {   // the last columns: through a buffer, in the same arithmetic as the scalar path
            UNROLLED for (int r = 0; r < rows; r++) {
                int32_t lanes[8];
                _mm256_storeu_si256((__m256i *)lanes, sums[r][half]);
                size_t row = row0 + r;
                for (int lane = 0; lane < count; lane++) {
                    size_t at = row * p->outputs + column + lane;
                    float y = finish(lanes[lane], p->row_zeros[row], p->code_sums[column + lane], p->row_scales[row],
                                     p->scales[column + lane], p->bias[column + lane]);
                    p->out[at] = p->residual ? y + p->residual[at] : y;
                }
            }
            continue;
        }
        __m256i code_sums = _mm256_loadu_si256((const __m256i *)(p->code_sums + column));
        __m256 scales = _mm256_loadu_ps(p->scales + column), bias = _mm256_loadu_ps(p->bias + column);
        UNROLLED for (int r = 0; r < rows; r++) {
            size_t row = row0 + r, at = row * p->outputs + column;
            __m256i centred = _mm256_sub_epi32(sums[r][half],
                                               _mm256_mullo_epi32(_mm256_set1_epi32(p->row_zeros[row]), code_sums));
            __m256 factor = _mm256_mul_ps(_mm256_set1_ps(p->row_scales[row]), scales);
            __m256 y = _mm256_fmadd_ps(_mm256_cvtepi32_ps(centred), factor, bias);
            if (p->residual) y = _mm256_add_ps(y, _mm256_loadu_ps(p->residual + at));
            _mm256_storeu_ps(p->out + at, y);
        }
    }
}

AVX2 static void product_avx2(const product_t *p, size_t rows) {
    size_t panels = panel_count(p->outputs);
    for (size_t panel = 0; panel < panels; panel++) {
        size_t row = 0;
        for (; row + 4 <= rows; row += 4) avx2_tile(p, row, 4, panel);
        switch (rows - row) {
        case 3: avx2_tile(p, row, 3, panel); break;
        case 2: avx2_tile(p, row, 2, panel); break;
        case 1: avx2_tile(p, row, 1, panel); break;
        }
    }
}

// ---- AVX-512: tiles of up to 6 rows × 4 panels (64 columns), with or without VNNI ----

#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx2,fma")))
#define AVX512VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx2,fma")))
#define TILE_ROWS 6
#define TILE_PANELS BLOCK_PANELS
#define CHUNK_ROWS 48
#define CHUNK_QUADS 96

/// Turns a tile's sums into outputs, 16 columns at a time, the last masked.
AVX512 INLINE void avx512_finish(const product_t *p, __m512i sums[TILE_ROWS][TILE_PANELS], size_t row0, int rows,
                                 size_t panel0, int panels) {
    UNROLLED for (int q = 0; q < panels; q++) {
        size_t column = (panel0 + q) * PANEL;
        size_t left = p->outputs - column;
        __mmask16 mask = left >= PANEL ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
        __m512i code_sums = _mm512_maskz_loadu_epi32(mask, p->code_sums + column);
        __m512 scales = _mm512_maskz_loadu_ps(mask, p->scales + column);
        __m512 bias = _mm512_maskz_loadu_ps(mask, p->bias + column);
        UNROLLED for (int r = 0; r < rows; r++) {
            size_t row = row0 + r, at = row * p->outputs + column;
            __m512i centred = _mm512_sub_epi32(sums[r][q],
                                               _mm512_mullo_epi32(_mm512_set1_epi32(p->row_zeros[row]), code_sums));
            __m512 factor = _mm512_mul_ps(_mm512_set1_ps(p->row_scales[row]), scales);
            __m512 y = _mm512_fmadd_ps(_mm512_cvtepi32_ps(centred), factor, bias);
            if (p->residual) y = _mm512_add_ps(y, _mm512_maskz_loadu_ps(mask, p->residual + at));
            _mm512_mask_storeu_ps(p->out + at, mask, y);
        }
    }
}

/// `value`, hidden from the optimizer. Why: setting the sums from a constant or copying them from or to memory in
/// a loop made the compiler turn the loop into `memset`/`memcpy`, which keeps the sums in memory instead of
/// registers (the inner loop then stored every sum at every step: 3x slower).
AVX512 INLINE __m512i opaque512(__m512i value) {
    __asm__("" : "+v"(value));
    return value;
}

/// One tile's sums over quads `[quad0, quad1)`: `DOT4` adds, into each int32 lane, the 4 products of a broadcast
/// activation quad and the lane's 4 weights. The first quads start from zero and the last turn the sums into
/// outputs; between quad ranges the sums wait in `partial` (rows of 64). Written once for both AVX-512 kinds.
#define AVX512_TILE(NAME, TARGET, DOT4)                                                                            \
    TARGET INLINE void NAME(const product_t *p, size_t row0, int rows, size_t panel0, int panels, size_t quad0,    \
                            size_t quad1, int32_t *partial) {                                                      \
        __m512i sums[TILE_ROWS][TILE_PANELS];                                                                      \
        __m512i zero = opaque512(_mm512_setzero_si512());                                                          \
        UNROLLED for (int r = 0; r < rows; r++)                                                                    \
            UNROLLED for (int q = 0; q < panels; q++)                                                              \
                sums[r][q] = quad0 == 0 ? zero : opaque512(_mm512_loadu_si512(partial + r * 64 + q * 16));         \
        const __m512i ones = _mm512_set1_epi16(1);                                                                 \
        (void)ones;                                                                                                \
        size_t step; /* one quad of the block's `panels` panels */                                                 \
        const int8_t *w = p->packed + panel_offset(panel0, panel_count(p->outputs), p->quads, &step);              \
        w += quad0 * step;                                                                                         \
        for (size_t quad = quad0; quad < quad1; quad++, w += step) {                                               \
            __m512i weights[TILE_PANELS];                                                                          \
            UNROLLED for (int q = 0; q < panels; q++)                                                              \
                weights[q] = _mm512_loadu_si512((const void *)(w + q * QUAD_BYTES));                               \
            UNROLLED for (int r = 0; r < rows; r++) {                                                              \
                __m512i a = _mm512_set1_epi32(quad_of(p->codes + (row0 + r) * p->stride, quad));                   \
                UNROLLED for (int q = 0; q < panels; q++) sums[r][q] = DOT4(sums[r][q], a, weights[q], ones);      \
            }                                                                                                      \
        }                                                                                                          \
        if (quad1 == p->quads) {                                                                                   \
            avx512_finish(p, sums, row0, rows, panel0, panels);                                                    \
        } else {                                                                                                   \
            UNROLLED for (int r = 0; r < rows; r++)                                                                \
                UNROLLED for (int q = 0; q < panels; q++)                                                          \
                    _mm512_storeu_si512(partial + r * 64 + q * 16, opaque512(sums[r][q]));                         \
        }                                                                                                          \
    }

#define VNNI_DOT4(sum, a, w, ones) _mm512_dpbusd_epi32(sum, a, w)
#define BW_DOT4(sum, a, w, ones) _mm512_add_epi32(sum, _mm512_madd_epi16(_mm512_maddubs_epi16(a, w), ones))

AVX512_TILE(vnni_tile, AVX512VNNI, VNNI_DOT4)
AVX512_TILE(bw_tile, AVX512, BW_DOT4)

/// One function per tile shape, each small enough for the compiler to keep all its sums in registers (inlined into
/// one function, the 24 shapes made it spill them).
#define TILE_SHAPE(TILE, TARGET, R, P)                                                                             \
    TARGET __attribute__((noinline)) static void TILE##_##R##_##P(const product_t *p, size_t row, size_t panel,   \
                                                                  size_t quad0, size_t quad1, int32_t *partial) { \
        TILE(p, row, R, panel, P, quad0, quad1, partial);                                                          \
    }
#define TILE_ROW_SHAPES(TILE, TARGET, R)                                                                           \
    TILE_SHAPE(TILE, TARGET, R, 1) TILE_SHAPE(TILE, TARGET, R, 2) TILE_SHAPE(TILE, TARGET, R, 3)                   \
    TILE_SHAPE(TILE, TARGET, R, 4)
#define TILE_SHAPES(TILE, TARGET)                                                                                  \
    TILE_ROW_SHAPES(TILE, TARGET, 1) TILE_ROW_SHAPES(TILE, TARGET, 2) TILE_ROW_SHAPES(TILE, TARGET, 3)             \
    TILE_ROW_SHAPES(TILE, TARGET, 4) TILE_ROW_SHAPES(TILE, TARGET, 5) TILE_ROW_SHAPES(TILE, TARGET, 6)

TILE_SHAPES(vnni_tile, AVX512VNNI)
TILE_SHAPES(bw_tile, AVX512)

/// Every tile of the product, with the row and panel counts as constants so that each tile's sums stay in
/// registers. Blocked so that what a tile reads is in L1 (48 KiB here): `CHUNK_ROWS` rows of activations at a time,
/// each block of weights (64 columns) in ranges of `CHUNK_QUADS` quads (24 KiB) that every tile of the chunk uses
/// before the next range; without the ranges, the 1,536 inputs of the feed-forward output made each tile read its
/// 96 KiB of weights from L2 (440 against 600 GOPS).
#define AVX512_PRODUCT(NAME, TARGET, TILE)                                                                         \
    TARGET static void NAME(const product_t *p, size_t rows) {                                                    \
        size_t panels = panel_count(p->outputs);                                                                   \
        int32_t partial[CHUNK_ROWS * 64];                                                                          \
        for (size_t chunk = 0; chunk < rows; chunk += CHUNK_ROWS) {                                                \
            size_t end = rows - chunk < CHUNK_ROWS ? rows : chunk + CHUNK_ROWS;                                    \
            for (size_t panel = 0; panel < panels; panel += TILE_PANELS) {                                         \
                int width = panels - panel < TILE_PANELS ? (int)(panels - panel) : TILE_PANELS;                    \
                for (size_t quad0 = 0; quad0 < p->quads; quad0 += CHUNK_QUADS) {                                   \
                    size_t quad1 = p->quads - quad0 < CHUNK_QUADS ? p->quads : quad0 + CHUNK_QUADS;                \
                    for (size_t row = chunk; row < end; row += TILE_ROWS) {                                        \
                        int height = end - row < TILE_ROWS ? (int)(end - row) : TILE_ROWS;                         \
                        int32_t *tile_partial = partial + (row - chunk) * 64;                                      \
                        switch (height * 8 + width) {                                                              \
                            TILE_CASES(TILE)                                                                       \
                        }                                                                                          \
                    }                                                                                              \
                }                                                                                                  \
            }                                                                                                      \
        }                                                                                                          \
    }

#define TILE_CASE(TILE, R, P)                                                                                      \
    case R * 8 + P: TILE##_##R##_##P(p, row, panel, quad0, quad1, tile_partial); break;
#define TILE_ROW_CASES(TILE, R) TILE_CASE(TILE, R, 1) TILE_CASE(TILE, R, 2) TILE_CASE(TILE, R, 3) TILE_CASE(TILE, R, 4)
#define TILE_CASES(TILE)                                                                                           \
    TILE_ROW_CASES(TILE, 1) TILE_ROW_CASES(TILE, 2) TILE_ROW_CASES(TILE, 3) TILE_ROW_CASES(TILE, 4)               \
    TILE_ROW_CASES(TILE, 5) TILE_ROW_CASES(TILE, 6)

AVX512_PRODUCT(product_vnni, AVX512VNNI, vnni_tile)
AVX512_PRODUCT(product_bw, AVX512, bw_tile)

int qk_int8_weight_bits(int level) { return level >= QK_LEVEL_AVX512_VNNI ? 8 : 7; }

int qk_int8_largest_activation(int weight_bits) { return weight_bits >= 8 ? 255 : 127; }

void qk_int8_linear(int level, const uint8_t *codes, size_t rows, size_t inputs, const int8_t *packed,
                    size_t outputs, const float *row_scales, const int32_t *row_zeros, const float *scales,
                    const int32_t *code_sums, const float *bias, const float *residual, float *out) {
    size_t stride = qk_int8_code_stride(inputs);
    product_t p = {codes, stride, stride / 4, outputs, packed, row_scales, row_zeros, scales, code_sums, bias,
                   residual, out};
    switch (qk_level_here(level)) {
    case QK_LEVEL_AVX512_VNNI: product_vnni(&p, rows); break;
    case QK_LEVEL_AVX512: product_bw(&p, rows); break;
    case QK_LEVEL_AVX2: product_avx2(&p, rows); break;
    default: product_scalar(&p, rows);
    }
}

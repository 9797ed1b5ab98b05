#ifndef QUERYKIND_CKERNELS_H
#define QUERYKIND_CKERNELS_H

// The encoder's own kernels (GELU, int8 quantization and the int8 linear layer), compiled for SSE2, AVX2 + FMA and
// AVX-512 (with and without VNNI), and chosen at run time from the CPU's flags. Why C: Swift compiles the whole
// binary for baseline x86-64 (4-lane SSE), and these loops are a quarter of an int8 forward pass; C functions can
// carry their own instruction set and the binary still runs on any x86-64 CPU.

#include <stddef.h>
#include <stdint.h>

/// Instruction-set levels, lowest first.
enum { QK_LEVEL_SSE2 = 0, QK_LEVEL_AVX2 = 1, QK_LEVEL_AVX512 = 2, QK_LEVEL_AVX512_VNNI = 3 };

/// The highest level a CPU runs, from its features (AVX2 with FMA; AVX-512 F, BW and VL; AVX-512 VNNI), capped by
/// `cap` (a value of `ONEDNN_MAX_CPU_ISA`, or NULL) as oneDNN caps its kernels: `AVX2…` at AVX2, `AVX512_CORE` at
/// AVX-512 without VNNI, `SSE41` and `AVX` at SSE2. A pure function, so that every CPU kind's level is testable.
int qk_level_for(int avx2_fma, int avx512, int vnni, const char *cap);

/// `qk_level_for` this CPU and its `ONEDNN_MAX_CPU_ISA`. Every kernel below takes a level and runs at the lower of
/// it and this one (read once), so no call can run an instruction the CPU lacks.
int qk_supported_level(void);

/// `erf(z)` within 3.2e-7 of the exact value: `z · P(z²) / Q(z²)`, a degree-5/5 rational fit made for querykind,
/// and exactly ±1 from ±4 on (where erf is 1 within 1.6e-8); NaN stays NaN.
float qk_erf(float z);

/// `x ← 0.5 · x · (1 + erf(x / √2))` (GELU, erf form) on `count` values, at `level` (lowered to the supported one).
void qk_gelu(int level, float *x, size_t count);

/// Quantizes each row of `x` to codes 0...`largest` (255 or 127, `qk_int8_largest_activation`) on its own
/// `[min(0, min x), max(0, max x)]` range, rounding to nearest: `code = clamp(x / scale + zero, 0, largest)`;
/// writes each row's scale and zero point. Rows of codes are `stride` bytes apart (at least `columns`;
/// `qk_int8_code_stride` for `qk_int8_linear`), the bytes past `columns` zero.
void qk_quantize_rows(int level, const float *x, size_t rows, size_t columns, size_t stride, int largest,
                      uint8_t *codes, float *row_scales, int32_t *row_zeros);

/// The bytes between rows of activation codes for `qk_int8_linear`: `inputs` rounded up to a multiple of 4.
size_t qk_int8_code_stride(size_t inputs);

/// The bytes of `qk_int8_pack`'s layout for an `[outputs, inputs]` weight.
size_t qk_int8_packed_size(size_t outputs, size_t inputs);

/// Lays `[outputs, inputs]` s8 weight codes out for `qk_int8_linear` (panels of 16 outputs, 4 inputs side by side;
/// zero codes pad both): the same layout for every level.
void qk_int8_pack(const int8_t *codes, size_t outputs, size_t inputs, int8_t *packed);

/// The widest weight codes whose products `qk_int8_linear` computes exactly at `level` (a level it runs at, from
/// `qk_supported_level` or `qk_level_for`): 8 bits with AVX-512 VNNI (`vpdpbusd` sums in 32 bits), else 7
/// (`vpmaddubsw` sums pairs in 16 bits and saturates: 2 × 255 × 127 > 32,767, 2 × 255 × 63 < 32,767).
int qk_int8_weight_bits(int level);

/// The largest activation code that goes with `weight_bits`-bit weights: 255 with 8-bit weights, 127 with 7-bit
/// ones, whose AVX2 kernel adds two `vpmaddubsw` pair sums in 16 bits (2 × 2 × 127 × 63 = 32,004 ≤ 32,767) before
/// widening them, 3 multiply instructions per 8 products instead of 4.
int qk_int8_largest_activation(int weight_bits);

/// The int8 linear layer: `out[r, c] = fma(float(Σ codes[r, k] · w[c, k] − row_zeros[r] · code_sums[c]),
/// row_scales[r] · scales[c], bias[c])`, plus `residual[r, c]` when `residual` is not NULL. The sums stay in
/// registers from the products to the output, with the same arithmetic (so the same bits) at every level.
/// `codes`: rows of `qk_int8_code_stride(inputs)` bytes, at most `qk_int8_largest_activation` of the weights' width;
/// `packed`: from `qk_int8_pack`.
void qk_int8_linear(int level, const uint8_t *codes, size_t rows, size_t inputs, const int8_t *packed,
                    size_t outputs, const float *row_scales, const int32_t *row_zeros, const float *scales,
                    const int32_t *code_sums, const float *bias, const float *residual, float *out);

#endif

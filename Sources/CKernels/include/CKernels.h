#ifndef QUERYKIND_CKERNELS_H
#define QUERYKIND_CKERNELS_H

// The encoder's elementwise kernels (GELU, int8 quantization and dequantization), compiled three times, for
// SSE2, AVX2 + FMA and AVX-512, and chosen at run time from the CPU's flags. Why C: Swift compiles the whole
// binary for baseline x86-64 (4-lane SSE), and these loops are a quarter of an int8 forward pass; C functions can
// carry their own instruction set and the binary still runs on any x86-64 CPU.

#include <stddef.h>
#include <stdint.h>

/// Instruction-set levels, lowest first.
enum { QK_LEVEL_SSE2 = 0, QK_LEVEL_AVX2 = 1, QK_LEVEL_AVX512 = 2 };

/// The highest level this CPU runs (AVX2 needs FMA too; AVX-512 needs F, BW and VL), capped by
/// `ONEDNN_MAX_CPU_ISA` as oneDNN's kernels are (`AVX2…` caps at AVX2, `SSE41` at SSE2). Every kernel below takes
/// a level and runs at the lower of it and this one, so no call can run an instruction the CPU lacks.
int qk_supported_level(void);

/// `erf(z)` within 3.2e-7 of the exact value: `z · P(z²) / Q(z²)`, a degree-5/5 rational fit made for querykind,
/// and exactly ±1 from ±4 on (where erf is 1 within 1.6e-8); NaN stays NaN.
float qk_erf(float z);

/// `x ← 0.5 · x · (1 + erf(x / √2))` (GELU, erf form) on `count` values, at `level` (lowered to the supported one).
void qk_gelu(int level, float *x, size_t count);

/// Quantizes each row of `x` to u8 codes on its own `[min(0, min x), max(0, max x)]` range, rounding to nearest:
/// `code = clamp(x / scale + zero, 0, 255)`; writes each row's scale and zero point.
void qk_quantize_rows(int level, const float *x, size_t rows, size_t columns, uint8_t *codes, float *row_scales,
                      int32_t *row_zeros);

/// `out[r, c] = row_scales[r] · scales[c] · (products[r, c] − row_zeros[r] · code_sums[c]) + bias[c]`, plus
/// `residual[r, c]` when `residual` is not NULL: an int8 product's int32 sums back to floats.
void qk_dequantize_rows(int level, const int32_t *products, size_t rows, size_t columns, const float *row_scales,
                        const int32_t *row_zeros, const float *scales, const int32_t *code_sums, const float *bias,
                        const float *residual, float *out);

#endif

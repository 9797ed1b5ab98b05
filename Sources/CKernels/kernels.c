#include "CKernels.h"
#include "levels.h"

#include <stdlib.h>
#include <string.h>

// Each kernel's body is written once, as an always-inline function, and instantiated by KERNELS below for every
// level; the compiler vectorizes each copy for its own instruction set.

// erf(z)/z ≈ P(z²)/Q(z²), highest power first.
static const float ERF_P[6] = {2.0000668e-06f, 2.8602284e-04f, 3.8950662e-03f, 5.3133678e-02f, 1.9365658e-01f,
                               1.1283791f};
static const float ERF_Q[6] = {3.7637485e-05f, 1.1908289e-03f, 1.5226652e-02f, 1.1541278e-01f, 5.0495553e-01f, 1.0f};

INLINE float horner(const float coefficients[6], float t) {
    float sum = coefficients[0];
    for (int i = 1; i < 6; i++) sum = sum * t + coefficients[i];
    return sum;
}

INLINE float erf_one(float value) {
    float z = value < -4.0f ? -4.0f : (value > 4.0f ? 4.0f : value);
    float t = z * z;
    float p = horner(ERF_P, t), q = horner(ERF_Q, t);
    float r = z * p / q;
    // Past ±4 erf is ±1 in float (1 − 1.5e-8 rounds to 1): exactly, so GELU of a very negative x is −0, not x·1e-7.
    return value >= 4.0f ? 1.0f : (value <= -4.0f ? -1.0f : r);
}

INLINE void gelu_body(float *x, size_t count) {
    for (size_t i = 0; i < count; i++) {
        float v = x[i];
        x[i] = 0.5f * v * (1.0f + erf_one(v * 0.70710678118654752f));
    }
}

// Sixteen independent lanes, so the loop vectorizes without reassociating a reduction.
#define LANES 16

INLINE void quantize_body(const float *x, size_t rows, size_t columns, size_t stride, int largest, uint8_t *codes,
                          float *row_scales, int32_t *row_zeros) {
    float top = (float)largest;
    for (size_t row = 0; row < rows; row++) {
        const float *in = x + row * columns;
        uint8_t *out = codes + row * stride;
        float lows[LANES], highs[LANES];
        for (int lane = 0; lane < LANES; lane++) lows[lane] = highs[lane] = 0.0f;   // the range always holds 0
        size_t column = 0;
        for (; column + LANES <= columns; column += LANES) {
            for (int lane = 0; lane < LANES; lane++) {
                float v = in[column + lane];
                lows[lane] = v < lows[lane] ? v : lows[lane];
                highs[lane] = v > highs[lane] ? v : highs[lane];
            }
        }
        float low = 0.0f, high = 0.0f;
        for (int lane = 0; lane < LANES; lane++) {
            low = lows[lane] < low ? lows[lane] : low;
            high = highs[lane] > high ? highs[lane] : high;
        }
        for (; column < columns; column++) {
            float v = in[column];
            low = v < low ? v : low;
            high = v > high ? v : high;
        }
        float range = high - low;
        float scale = (range > 0.0f && range - range == 0.0f) ? range / top : 1.0f;   // finite and positive
        float zero = __builtin_roundf(-low / scale);
        zero = zero < 0.0f ? 0.0f : (zero > top ? top : zero);
        float inverse = 1.0f / scale;
        // Rounding by the 1.5·2²³ trick: the low bits of `v + 1.5·2²³` are `v` rounded to nearest.
        for (column = 0; column < columns; column++) {
            float code = in[column] * inverse + zero;
            code = code < 0.0f ? 0.0f : (code > top ? top : code);
            code += 12582912.0f;
            uint32_t bits;
            memcpy(&bits, &code, sizeof bits);
            out[column] = (uint8_t)bits;
        }
        for (; column < stride; column++) out[column] = 0;
        row_scales[row] = scale;
        row_zeros[row] = (int32_t)zero;
    }
}

#define KERNELS(SUFFIX, TARGET)                                                                                    \
    TARGET static void gelu_##SUFFIX(float *x, size_t count) { gelu_body(x, count); }                              \
    TARGET static void quantize_##SUFFIX(const float *x, size_t rows, size_t columns, size_t stride, int largest, \
                                         uint8_t *codes, float *row_scales, int32_t *row_zeros) {                 \
        quantize_body(x, rows, columns, stride, largest, codes, row_scales, row_zeros);                           \
    }

KERNELS(sse2, )
KERNELS(avx2, __attribute__((target("avx2,fma"))))
KERNELS(avx512, __attribute__((target("avx512f,avx512bw,avx512vl,avx2,fma"))))

int qk_level_for(int avx2_fma, int avx512, int vnni, const char *cap) {
    int level = !avx2_fma ? QK_LEVEL_SSE2
                          : (!avx512 ? QK_LEVEL_AVX2 : (vnni ? QK_LEVEL_AVX512_VNNI : QK_LEVEL_AVX512));
    if (!cap) return level;
    // oneDNN's names: AVX2 and AVX2_VNNI (no AVX-512), AVX512_CORE (no VNNI), SSE41 and AVX (no AVX2); the rest
    // (AVX512_CORE_VNNI, AVX512_CORE_BF16, AVX512_CORE_AMX, ALL) cap nothing these kernels use.
    int highest = level;
    if (strncmp(cap, "AVX2", 4) == 0) highest = QK_LEVEL_AVX2;
    if (strcmp(cap, "AVX512_CORE") == 0) highest = QK_LEVEL_AVX512;
    if (strncmp(cap, "SSE", 3) == 0 || strcmp(cap, "AVX") == 0) highest = QK_LEVEL_SSE2;
    return level < highest ? level : highest;
}

int qk_supported_level(void) {
    __builtin_cpu_init();
    int avx2_fma = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    int avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                 __builtin_cpu_supports("avx512vl");
    return qk_level_for(avx2_fma, avx512, __builtin_cpu_supports("avx512vnni"), getenv("ONEDNN_MAX_CPU_ISA"));
}

int qk_level_here(int level) {
    static int supported = -1;   // computed once; a race only computes the same value twice
    if (supported < 0) supported = qk_supported_level();
    return level < supported ? level : supported;
}

float qk_erf(float z) { return erf_one(z); }

void qk_gelu(int level, float *x, size_t count) {
    int here = qk_level_here(level);
    if (here >= QK_LEVEL_AVX512) gelu_avx512(x, count);
    else if (here == QK_LEVEL_AVX2) gelu_avx2(x, count);
    else gelu_sse2(x, count);
}

void qk_quantize_rows(int level, const float *x, size_t rows, size_t columns, size_t stride, int largest,
                      uint8_t *codes, float *row_scales, int32_t *row_zeros) {
    int here = qk_level_here(level);
    if (here >= QK_LEVEL_AVX512) quantize_avx512(x, rows, columns, stride, largest, codes, row_scales, row_zeros);
    else if (here == QK_LEVEL_AVX2) quantize_avx2(x, rows, columns, stride, largest, codes, row_scales, row_zeros);
    else quantize_sse2(x, rows, columns, stride, largest, codes, row_scales, row_zeros);
}

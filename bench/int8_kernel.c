// The int8 linear layer alone (CKernels' qk_int8_linear) on the encoder's shapes, at the level this CPU runs under
// ONEDNN_MAX_CPU_ISA (which caps oneDNN's kernels the same way), against oneDNN's dnnl_gemm_u8s8s32 on the same codes (its products only: the dequantization pass querykind ran
// after it before is not counted, which favours oneDNN). One thread, as each inference worker runs its products.
// Each shape cycles through 12 weight matrices (a 3-layer encoder's worth, 5 MB, more than L2) as a forward pass
// does, and reports the best of 30 rounds. Built and run by bench/int8_kernel.sh.
#include "CKernels.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int (*gemm_u8s8s32)(char, char, char, long, long, long, float, const uint8_t *, long, uint8_t,
                            const int8_t *, long, int8_t, float, int32_t *, long, const int32_t *);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

enum { LAYERS = 12, ROUNDS = 30 };

int main(int argc, char **argv) {
    int rows = argc > 1 ? atoi(argv[1]) : 300;
    const char *level_names[] = {"scalar", "AVX2", "AVX-512", "AVX-512 VNNI"};
    // (outputs, inputs): the fused query/key/value projection, attention output, feed-forward in and out.
    const int shapes[4][2] = {{1152, 384}, {384, 384}, {1536, 384}, {384, 1536}};
    void *dnnl = dlopen("libdnnl.so.2", RTLD_NOW);
    gemm_u8s8s32 onednn = dnnl ? (gemm_u8s8s32)dlsym(dnnl, "dnnl_gemm_u8s8s32") : NULL;
    void (*omp_threads)(int) = dnnl ? (void (*)(int))dlsym(dnnl, "omp_set_num_threads") : NULL;
    if (omp_threads) omp_threads(1);
    srand(7);
    uint8_t *codes = malloc((size_t)rows * 1536);
    for (size_t i = 0; i < (size_t)rows * 1536; i++) codes[i] = (uint8_t)(rand() % 256);
    float *row_scales = malloc(rows * sizeof(float)), *out = malloc((size_t)rows * 1536 * sizeof(float));
    int32_t *row_zeros = malloc(rows * sizeof(int32_t)), *sums = malloc((size_t)rows * 1536 * sizeof(int32_t));
    for (int r = 0; r < rows; r++) row_scales[r] = 0.01f, row_zeros[r] = rand() % 256;
    float scales[1536], bias[1536];
    for (int c = 0; c < 1536; c++) scales[c] = 0.001f, bias[c] = 0.1f;

    printf("%d rows, one thread; GOPS = 2 x multiply-adds per second\n", rows);
    printf("%-13s %-12s %12s %14s %8s\n", "level", "shape", "querykind", "oneDNN gemm", "ratio");
    int level = qk_supported_level();
    if (level < QK_LEVEL_AVX2) {
        printf("no int8 kernels below AVX2\n");
        return 0;
    }
    {
        int bits = qk_int8_weight_bits(level);
        for (int s = 0; s < 4; s++) {
            int outputs = shapes[s][0], inputs = shapes[s][1];
            int8_t *weights[LAYERS], *packed[LAYERS];
            int32_t *code_sums[LAYERS];
            for (int l = 0; l < LAYERS; l++) {
                weights[l] = malloc((size_t)outputs * inputs);
                packed[l] = malloc(qk_int8_packed_size(outputs, inputs));
                code_sums[l] = calloc(outputs, sizeof(int32_t));
                int largest = (1 << (bits - 1)) - 1;
                for (int i = 0; i < outputs * inputs; i++) {
                    weights[l][i] = (int8_t)(rand() % (2 * largest + 1) - largest);
                    code_sums[l][i / inputs] += weights[l][i];
                }
                qk_int8_pack(weights[l], outputs, inputs, packed[l]);
            }
            double ours = 1e9, theirs = 1e9;
            for (int round = 0; round < ROUNDS; round++) {
                for (int l = 0; l < LAYERS; l++) {
                    double start = now();
                    qk_int8_linear(level, codes, rows, inputs, packed[l], outputs, row_scales, row_zeros, scales,
                                   code_sums[l], bias, NULL, out);
                    double middle = now();
                    if (onednn) {
                        int32_t offset = 0;
                        onednn('N', 'T', 'F', rows, outputs, inputs, 1, codes, inputs, 0, weights[l], inputs, 0, 0,
                               sums, outputs, &offset);
                    }
                    double end = now();
                    if (middle - start < ours) ours = middle - start;
                    if (end - middle < theirs) theirs = end - middle;
                }
            }
            double operations = 2.0 * rows * outputs * inputs;
            char shape[32];
            snprintf(shape, sizeof shape, "%dx%d", outputs, inputs);
            if (onednn)
                printf("%-13s %-12s %7.0f GOPS %9.0f GOPS %7.2fx\n", level_names[level], shape, operations / ours / 1e9,
                       operations / theirs / 1e9, theirs / ours);
            else
                printf("%-13s %-12s %7.0f GOPS %14s\n", level_names[level], shape, operations / ours / 1e9, "-");
            for (int l = 0; l < LAYERS; l++) free(weights[l]), free(packed[l]), free(code_sums[l]);
        }
    }
    return 0;
}

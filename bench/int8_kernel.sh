#!/usr/bin/env bash
# The int8 linear layer alone (bench/int8_kernel.c: CKernels' qk_int8_linear against oneDNN's dnnl_gemm_u8s8s32 on
# the encoder's shapes, one thread), at each kernel level this CPU runs: AVX-512 VNNI, AVX-512 without VNNI
# (ONEDNN_MAX_CPU_ISA=AVX512_CORE) and AVX2 (ONEDNN_MAX_CPU_ISA=AVX2: an AVX2-only CPU's kernels, on either side).
# About 30 seconds; no Swift build needed.
#
#   bench/int8_kernel.sh [ROWS]     (300: a batch of 32 texts of ~10 tokens; 32 is the last layer's)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# -O2 as Package.swift builds CKernels; the C files carry their own instruction sets.
clang -O2 -I Sources/CKernels/include -o "$work/int8_kernel" bench/int8_kernel.c Sources/CKernels/*.c -ldl -lm
flags=$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -xE 'avx2|fma|avx512f|avx512bw|avx512vl|avx512_vnni' | tr '\n' ' ')
echo "$(date -u '+%Y-%m-%d %H:%M UTC')  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), flags: ${flags% }"
for cap in "" AVX512_CORE AVX2; do
    echo
    echo "ONEDNN_MAX_CPU_ISA=${cap:-(unset)}"
    ONEDNN_MAX_CPU_ISA="$cap" "$work/int8_kernel" "${1:-300}"
done

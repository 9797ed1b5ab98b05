#!/usr/bin/env bash
# What a user times first: the whole `querykind classify --json < texts` process (model loading, reading, printing)
# against the same job in Python (bench/classify_stdin.py: transformers + PyTorch eager fp32, batch 32, dynamic
# padding; and ONNX Runtime on the same checkpoint exported to ONNX, fp32 and dynamic int8, with batches in input
# order and length-sorted), on both workloads, one after the other in one run so the ratios share the machine's
# state; querykind in fp32 (the comparison the target is set on), int8 and bf16. A querykind precision that cannot
# run here (its one-line warning) is shown as such, never timed under its name.
#
#   bench/classify_compare.sh [MODEL_DIR] [THREADS]     (installs bench/requirements.txt into .venv, ../shared)
#   env: PYTHON (the .venv one), SCRATCH_PATH (.build), QUERIES (20000), WORKLOADS ("short realistic"),
#        PYTORCH (0 leaves PyTorch out: a second run that changes only querykind's kernels needs no new PyTorch time),
#        BEFORE_BIN (another build, e.g. an earlier commit's: its fp32 `classify --json` is timed too, in the same run),
#        ONEDNN_MAX_CPU_ISA (e.g. AVX2: caps querykind's oneDNN kernels, to measure an AVX2-only CPU's path on a
#        newer one; ONNX Runtime's own kernels ignore it)
python_requirements=(-r bench/requirements.txt)
source "$(dirname "$0")/setup.sh"
model="${1:-Models/querykind-minilm-l3}"
threads="${2:-2}"
queries="${QUERIES:-20000}"

write_workloads "$queries"
"$python" bench/onnx_export.py --model "$model" --out "$work/onnx" >/dev/null 2>&1

# "wall CPU" seconds of one command (CPU: user + system, all threads): its standard input from $1, output
# discarded, stderr kept in $work/stderr. Why CPU too: on a machine shared with other jobs wall time swings with
# their load, while the CPU seconds a process needs barely move.
seconds() {
    local input="$1"; shift
    /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" <"$input" >/dev/null 2>"$work/stderr"
    awk '{ print $1, $2 + $3 }' "$work/time"
}

cpu_summary
for workload in ${WORKLOADS:-short realistic}; do
    input="$work/$workload.txt"
    texts=$(wc -l <"$input")
    echo
    echo "$workload: $texts texts, whole process, $threads threads, load average $(cut -d' ' -f1 /proc/loadavg) at start"
    printf '  %-27s %10s %12s %16s %16s %16s\n' runner "q/s" "q/CPU-s" "querykind fp32" "querykind int8" \
        "int8, by CPU"
    fp32=$(seconds "$input" "$querykind" classify --json --model "$model" --threads "$threads")
    int8=$(seconds "$input" "$querykind" classify --json --model "$model" --threads "$threads" --precision int8)
    int8_fallback=$(grep -m1 '^warning: --precision' "$work/stderr" || true)
    row() {  # name, "wall CPU" seconds
        awk -v name="$1" -v n="$texts" -v s="$2" -v f="$fp32" -v i="$int8" 'BEGIN {
            split(s, t, " "); split(f, u, " "); split(i, v, " ")
            printf "  %-27s %10.0f %12.0f %15.2fx %16s %16s\n", name, n / t[1], n / t[2], t[1] / u[1],
                i == "" ? "-" : sprintf("%.2fx", t[1] / v[1]), i == "" ? "-" : sprintf("%.2fx", t[2] / v[2]) }'
    }
    row "querykind fp32" "$fp32"
    if [ -n "$int8_fallback" ]; then
        int8=""
        echo "  querykind int8: not run here: $int8_fallback"
    else
        row "querykind int8" "$int8"
    fi
    bf16=$(seconds "$input" "$querykind" classify --json --model "$model" --threads "$threads" --precision bfloat16)
    if grep -q '^warning: --precision' "$work/stderr"; then
        echo "  querykind bf16: not run here: $(grep -m1 '^warning: --precision' "$work/stderr")"
    else
        row "querykind bf16" "$bf16"
    fi
    if [ "${PYTORCH:-1}" != 0 ]; then
        row "pytorch fp32" "$(seconds "$input" "$python" bench/classify_stdin.py --model "$model" --threads "$threads")"
    fi
    for onnx in fp32 int8; do
        file="$work/onnx/model.onnx"; [ "$onnx" = int8 ] && file="$work/onnx/model.int8.onnx"
        row "onnxruntime $onnx" "$(seconds "$input" "$python" bench/classify_stdin.py --model "$model" \
            --threads "$threads" --onnx "$file")"
        row "onnxruntime $onnx, sorted" "$(seconds "$input" "$python" bench/classify_stdin.py --model "$model" \
            --threads "$threads" --onnx "$file" --sorted)"
    done
    echo "  (ratios: that runner's seconds over querykind's; \"by CPU\": CPU seconds, which the load of other jobs moves less)"
    if [ -n "${BEFORE_BIN:-}" ]; then
        row "BEFORE_BIN fp32" "$(seconds "$input" "$BEFORE_BIN" classify --json --model "$model")"
    fi
done

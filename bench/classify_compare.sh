#!/usr/bin/env bash
# What a user times first: the whole `querykind classify --json < texts` process (model loading, reading, printing)
# against the same job in Python (bench/classify_stdin.py: transformers + PyTorch eager fp32, batch 32, dynamic
# padding), on both workloads, one after the other in one run so the ratios share the machine's state; querykind
# in fp32 (the comparison the target is set on), int8 and bf16.
#
#   bench/classify_compare.sh [MODEL_DIR] [THREADS]     (installs bench/requirements.txt into .venv, ../shared)
#   env: PYTHON (the .venv one), SCRATCH_PATH (.build), QUERIES (20000),
#        BEFORE_BIN (another build, e.g. an earlier commit's: its fp32 `classify --json` is timed too, in the same run)
python_requirements=(-r bench/requirements.txt)
source "$(dirname "$0")/setup.sh"
model="${1:-Models/querykind-minilm-l3}"
threads="${2:-2}"
queries="${QUERIES:-20000}"

write_workloads "$queries"

# Wall seconds of one command: its standard input from $1, output discarded.
seconds() {
    local input="$1"; shift
    local start end
    start=$(date +%s%N)
    "$@" <"$input" >/dev/null
    end=$(date +%s%N)
    awk -v ns="$((end - start))" 'BEGIN { print ns / 1e9 }'
}

printf '%-11s %7s %14s %14s %14s %14s %7s %7s %7s\n' workload texts "querykind fp32" "querykind int8" \
    "querykind bf16" "pytorch fp32" fp32 int8 bf16
for workload in short realistic; do
    input="$work/$workload.txt"
    fp32=$(seconds "$input" "$querykind" classify --json --model "$model" --threads "$threads")
    int8=$(seconds "$input" "$querykind" classify --json --model "$model" --threads "$threads" --precision int8)
    bf16=$(seconds "$input" "$querykind" classify --json --model "$model" --threads "$threads" --precision bfloat16)
    torch=$(seconds "$input" "$python" bench/classify_stdin.py --model "$model" --threads "$threads")
    texts=$(wc -l <"$input")
    awk -v w="$workload" -v n="$texts" -v f="$fp32" -v i="$int8" -v b="$bf16" -v t="$torch" 'BEGIN {
        printf "%-11s %7d %10.0f q/s %10.0f q/s %10.0f q/s %10.0f q/s %6.2fx %6.2fx %6.2fx\n",
            w, n, n / f, n / i, n / b, n / t, t / f, t / i, t / b }'
    if [ -n "${BEFORE_BIN:-}" ]; then
        before=$(seconds "$input" "$BEFORE_BIN" classify --json --model "$model")
        awk -v w="$workload" -v n="$texts" -v b="$before" -v f="$fp32" 'BEGIN {
            printf "%-11s before: fp32 %.0f q/s with BEFORE_BIN, this build %.2fx that\n", w, n / b, b / f }'
    fi
done
echo "(ratios: PyTorch's wall time over querykind's; int8 and bf16 fall back to fp32 where the CPU lacks them)"

# Sourced by the bench/*.sh scripts: runs from the repository root, makes a scratch folder `$work` removed on exit,
# and sets `$querykind`: the binary named by QUERYKIND_BIN (to compare two builds), else a release build
# (SCRATCH_PATH chooses the build folder, default .build); and `$python`: PYTHON, else the scripts' virtual
# environment's (scripts/python-env.sh, given the array python_requirements a script sets before sourcing this).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work="$(mktemp -d)"
python="${PYTHON:-$(scripts/python-env.sh ${python_requirements[@]+"${python_requirements[@]}"})}"
trap 'rm -rf "$work"' EXIT
if [ -n "${QUERYKIND_BIN:-}" ]; then
    querykind="$QUERYKIND_BIN"
else
    swift build -c release --scratch-path "${SCRATCH_PATH:-.build}" --product querykind >&2
    querykind="${SCRATCH_PATH:-.build}/release/querykind"
fi

# Writes the two benchmark workloads of $1 texts: $work/short.txt (`querykind bench`'s generated search queries)
# and $work/realistic.txt (bench/realistic_workload.py: the test split's texts with their real lengths; needs
# ../shared).
write_workloads() {
    "$querykind" bench --queries "$1" --write-workload "$work/short.txt" --only-write-workload
    "$python" bench/realistic_workload.py "$work/realistic.txt" --queries "$1"
}

# One line naming this CPU, its flags that decide querykind's kernels and ONNX Runtime's (AVX2, AVX-512, VNNI, bf16,
# AMX), and ONEDNN_MAX_CPU_ISA when it caps querykind's oneDNN kernels (ONNX Runtime's MLAS kernels ignore it).
cpu_summary() {
    local name flags
    name=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
    flags=$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -xE 'avx2|fma|avx512f|avx512_vnni|avx_vnni|avx512_bf16|amx_bf16|amx_int8' | tr '\n' ' ')
    echo "$(date -u '+%Y-%m-%d %H:%M UTC')  $name, $(nproc) cores, flags: ${flags% }${ONEDNN_MAX_CPU_ISA:+, ONEDNN_MAX_CPU_ISA=$ONEDNN_MAX_CPU_ISA for querykind (ONNX Runtime uncapped)}"
}

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

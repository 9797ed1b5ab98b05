#!/usr/bin/env bash
# querykind vs PyTorch eager fp32 and ONNX Runtime (fp32 and dynamic int8, batches in workload order and
# length-sorted), same checkpoint, same workload, same batch size and thread count, measured one after the other in
# one run so the ratios share the machine's state.
#
#   bench/compare.sh [MODEL_DIR] [THREADS]      (installs bench/requirements.txt into .venv)
# Workloads: `short` (querykind bench's generated search queries) and `realistic` (bench/realistic_workload.py:
# the test split's queries, questions, sentences and dialogue turns with their real lengths; needs ../shared).
#   env: PYTHON (the .venv one), SCRATCH_PATH (.build), QUERIES (20000 at batch 32, a tenth at batch 1),
#        QUERYKIND_GEMM (onednn or openblas; default oneDNN when installed),
#        ONEDNN_MAX_CPU_ISA (e.g. AVX2: caps querykind's oneDNN kernels, to measure an AVX2-only CPU's path on a
#        newer one; ONNX Runtime's own kernels ignore it)
# querykind runs three times per batch size: fp32 (the headline), and with the int8 and the bf16 encoder where the
# CPU has them (shown with their deviation from fp32; `querykind bench` refuses a precision that cannot run here,
# and the table says so). ONNX Runtime runs at batch 32.
python_requirements=(-r bench/requirements.txt)
source "$(dirname "$0")/setup.sh"
model="${1:-Models/querykind-minilm-l3}"
threads="${2:-2}"

queries="${QUERIES:-20000}"
write_workloads "$queries"
head -n $((queries / 10)) "$work/short.txt" >"$work/short-single.txt"
# name, workload file, batch size, timed passes
for spec in "short-32 short 32 3" "short-1 short-single 1 1" "realistic-32 realistic 32 3"; do
    read -r name workload batch repeats <<<"$spec"
    for precision in float32 int8 bfloat16; do
        $querykind bench --model "$model" --inference-batch "$batch" --threads "$threads" --precision "$precision" \
            --workload "$work/$workload.txt" --repeats "$repeats" --json >"$work/querykind-$precision-$name.json" \
            2>"$work/querykind-$precision-$name.err" || [ "$precision" != float32 ] || {
                cat "$work/querykind-$precision-$name.err" >&2; exit 1; }
    done
    "$python" bench/reference.py --model "$model" --workload "$work/$workload.txt" --batch-size "$batch" \
        --threads "$threads" --repeats "$repeats" $([ "$batch" = 32 ] && echo --onnx) --json \
        >"$work/pytorch-$name.json"
done

cpu_summary
"$python" - "$work" <<'PY'
import json, sys
work = sys.argv[1]
for name in ("short-32", "short-1", "realistic-32"):
    q = json.load(open(f"{work}/querykind-float32-{name}.json"))
    p = json.load(open(f"{work}/pytorch-{name}.json"))
    print(f"\n{name} (workload, batch size), {q['threads']} threads ({q['workers']} querykind workers), {q['queries']} queries, "
          f"model {q['model']}, {q['backend']}, max |p - p_openblas| = {q['max_abs_diff_vs_openblas']:.2g}")
    print(f"{'':22}{'querykind':>12}{'pytorch':>12}{'ratio':>8}")
    for key in ("end_to_end_qps", "encoder_qps", "end_to_end_cpu_qps", "encoder_cpu_qps", "tokenizer_qps",
                "mean_padded_length", "peak_rss_mb"):
        print(f"{key:22}{q[key]:12.1f}{p[key]:12.1f}{q[key] / p[key]:8.2f}")
    lowered = {}
    for precision in ("int8", "bfloat16"):
        text = open(f"{work}/querykind-{precision}-{name}.json").read()
        if not text:
            print(f"querykind {precision}: not run here: {open(f'{work}/querykind-{precision}-{name}.err').read().strip()}")
            continue
        i = lowered[precision] = json.loads(text)
        print(f"querykind {precision} encoder: max |p - p_fp32| = {i['max_abs_diff_vs_openblas']:.2g}, "
              f"kind changed for {i['kind_changed_vs_openblas']:.3%} of queries")
        for key in ("end_to_end_qps", "end_to_end_cpu_qps"):
            print(f"{precision[:4] + ' ' + key:22}{i[key]:12.1f}{p[key]:12.1f}{i[key] / p[key]:8.2f}")
    if "onnx_int8_end_to_end_qps" in p:
        print(f"end to end vs ONNX Runtime {p['onnxruntime']} (ratio: querykind's q/s over ONNX Runtime's)")
        print(f"{'':28}{'q/s':>10}{'querykind fp32':>16}{'querykind int8':>16}")
        for runtime in ("fp32", "fp32_sorted", "int8", "int8_sorted"):
            o = p[f"onnx_{runtime}_end_to_end_qps"]
            int8 = f"{lowered['int8']['end_to_end_qps'] / o:15.2f}x" if "int8" in lowered else f"{'-':>16}"
            print(f"{'onnxruntime ' + runtime.replace('_', ', '):28}{o:10.1f}{q['end_to_end_qps'] / o:15.2f}x{int8}")
PY

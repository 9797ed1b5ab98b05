#!/usr/bin/env bash
# querykind vs PyTorch eager fp32 (and ONNX Runtime int8), same checkpoint, same workload, same batch size
# and thread count, measured one after the other in one run so the ratios share the machine's state.
#
#   bench/compare.sh [MODEL_DIR] [THREADS]      (installs bench/requirements.txt into .venv)
# Workloads: `short` (querykind bench's generated search queries) and `realistic` (bench/realistic_workload.py:
# the test split's queries, questions, sentences and dialogue turns with their real lengths; needs ../shared).
#   env: PYTHON (the .venv one), SCRATCH_PATH (.build), QUERIES (20000 at batch 32, a tenth at batch 1),
#        QUERYKIND_GEMM (onednn or openblas; default oneDNN when installed)
# querykind runs three times per batch size: fp32 (the headline), and with the int8 and the bf16 encoder where the
# CPU has them (shown with their deviation from fp32).
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
            --workload "$work/$workload.txt" --repeats "$repeats" --json >"$work/querykind-$precision-$name.json"
    done
    "$python" bench/reference.py --model "$model" --workload "$work/$workload.txt" --batch-size "$batch" \
        --threads "$threads" --repeats "$repeats" $([ "$name" = short-32 ] && echo --onnx-int8) --json \
        >"$work/pytorch-$name.json"
done

"$python" - "$work" <<'PY'
import json, platform, sys, datetime
work = sys.argv[1]
print(f"{datetime.date.today()}  {platform.processor() or platform.machine()}  ({open('/proc/cpuinfo').read().split('model name')[1].split(':')[1].splitlines()[0].strip()})")
for name in ("short-32", "short-1", "realistic-32"):
    q = json.load(open(f"{work}/querykind-float32-{name}.json"))
    p = json.load(open(f"{work}/pytorch-{name}.json"))
    print(f"\n{name} (workload, batch size), {q['threads']} threads ({q['workers']} querykind workers), {q['queries']} queries, "
          f"model {q['model']}, {q['backend']}, max |p - p_openblas| = {q['max_abs_diff_vs_openblas']:.2g}")
    print(f"{'':22}{'querykind':>12}{'pytorch':>12}{'ratio':>8}")
    for key in ("end_to_end_qps", "encoder_qps", "end_to_end_cpu_qps", "encoder_cpu_qps", "tokenizer_qps",
                "mean_padded_length", "peak_rss_mb"):
        print(f"{key:22}{q[key]:12.1f}{p[key]:12.1f}{q[key] / p[key]:8.2f}")
    for precision in ("int8", "bfloat16"):
        i = json.load(open(f"{work}/querykind-{precision}-{name}.json"))
        if i["precision"] != precision:
            print(f"querykind {precision}: not available on this CPU (ran {i['precision']})")
            continue
        print(f"querykind {precision} encoder: max |p - p_fp32| = {i['max_abs_diff_vs_openblas']:.2g}, "
              f"kind changed for {i['kind_changed_vs_openblas']:.3%} of queries")
        for key in ("end_to_end_qps", "end_to_end_cpu_qps"):
            print(f"{precision[:4] + ' ' + key:22}{i[key]:12.1f}{p[key]:12.1f}{i[key] / p[key]:8.2f}")
    if "onnx_int8_end_to_end_qps" in p:
        o = p["onnx_int8_end_to_end_qps"]
        print(f"{'vs onnxruntime int8':22}{q['end_to_end_qps']:12.1f}{o:12.1f}{q['end_to_end_qps'] / o:8.2f}")
        i = json.load(open(f"{work}/querykind-int8-{name}.json"))
        if i["precision"] == "int8":
            print(f"{'int8 vs onnxrt int8':22}{i['end_to_end_qps']:12.1f}{o:12.1f}{i['end_to_end_qps'] / o:8.2f}")
PY

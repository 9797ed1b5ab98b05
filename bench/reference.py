#!/usr/bin/env python3
"""PyTorch (and optionally ONNX Runtime fp32 and dynamic int8) reference for `querykind bench`.

Runs the same checkpoint directory over the same workload file (one query per line, as written by
`querykind bench --write-workload FILE`) at the same batch size and thread count, and prints the same
figures as querykind: queries/s for the encoder alone and end to end, mean padded length, tokenizer
queries/s and peak RSS. Batches are formed in workload order and padded to their longest member
("dynamic padding"), as a HuggingFace pipeline does.

With --onnx, the checkpoint is also exported to ONNX (`export_onnx`) and ONNX Runtime's end-to-end queries/s are
added for fp32 and for dynamic int8 (`quantize_dynamic`, QInt8 weights), each with batches in workload order
(`onnx_fp32_end_to_end_qps`, `onnx_int8_end_to_end_qps`) and with batches of length-sorted texts
(`..._sorted_end_to_end_qps`: tokenize everything, sort by token count, batch, restore the order), the set-up
ONNX Runtime's own benchmarks use.

    pip install -r bench/requirements.txt
    python bench/reference.py --model Models/querykind-minilm-l3 --workload /tmp/workload.txt \
        --batch-size 32 --threads 2 [--onnx] [--json]
"""
import argparse
import json
import os
import resource
import sys
import tempfile
import time

import torch
from safetensors.torch import load_file
from torch import nn
from transformers import BertConfig, BertModel, BertTokenizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_runner import batches, onnx_predict, onnx_session  # noqa: E402


class MultiTaskBert(nn.Module):
    """The reference layout: bert.* encoder with pooler, classifier1 = keyword head, classifier2 = question head."""

    def __init__(self, config):
        super().__init__()
        self.bert = BertModel(config, add_pooling_layer=True)
        self.classifier1 = nn.Linear(config.hidden_size, 2)
        self.classifier2 = nn.Linear(config.hidden_size, 2)

    def forward(self, input_ids, attention_mask):
        pooled = self.bert(input_ids=input_ids, attention_mask=attention_mask).pooler_output
        return self.classifier1(pooled), self.classifier2(pooled)


def load_model(directory):
    config = BertConfig.from_pretrained(directory)
    model = MultiTaskBert(config)
    weights = os.path.join(directory, "model.safetensors")
    if os.path.exists(weights):
        state = load_file(weights)
    else:
        state = torch.load(os.path.join(directory, "pytorch_model.bin"), map_location="cpu", weights_only=True)
    state = {k: v.float() if v.is_floating_point() else v for k, v in state.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith("position_ids")]
    if missing:
        sys.exit(f"checkpoint lacks {missing[:5]}")
    return model.eval()


def timed(function, repeats=1):
    """Best of `repeats` runs in wall-clock seconds, the best in process CPU seconds, and the function's result."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function()
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    return best, best_cpu, result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--workload", required=True)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3, help="best of N timed passes")
    parser.add_argument("--onnx", action="store_true",
                        help="also time ONNX Runtime fp32 and dynamic int8, unsorted and length-sorted")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    with open(args.workload, encoding="utf-8") as handle:
        texts = [line.rstrip("\n") for line in handle]
    tokenizer = BertTokenizer.from_pretrained(args.model)
    model = load_model(args.model)
    max_length = model.bert.config.max_position_embeddings

    def tokenize_all():
        return [tokenizer(list(chunk), padding=True, truncation=True, max_length=max_length, return_tensors="pt")
                for chunk in batches(texts, args.batch_size)]

    tokenize_seconds, _, encoded = timed(tokenize_all)
    padded_tokens = sum(int(e["input_ids"].numel()) for e in encoded)

    def run_encoder():
        with torch.inference_mode():
            for e in encoded:
                model(e["input_ids"], e["attention_mask"])

    run_encoder()  # warm-up
    encoder_seconds, encoder_cpu, _ = timed(run_encoder, args.repeats)

    def end_to_end():
        with torch.inference_mode():
            for chunk in batches(texts, args.batch_size):
                e = tokenizer(list(chunk), padding=True, truncation=True, max_length=max_length, return_tensors="pt")
                head1, head2 = model(e["input_ids"], e["attention_mask"])
                torch.softmax(head1, -1), torch.softmax(head2, -1)

    e2e_seconds, e2e_cpu, _ = timed(end_to_end, args.repeats)
    result = {
        "runner": "pytorch-eager-fp32",
        "torch": torch.__version__,
        "queries": len(texts),
        "batch_size": args.batch_size,
        "threads": args.threads,
        "encoder_qps": len(texts) / encoder_seconds,
        "end_to_end_qps": len(texts) / e2e_seconds,
        "encoder_cpu_qps": len(texts) / encoder_cpu,
        "end_to_end_cpu_qps": len(texts) / e2e_cpu,
        "tokenizer_qps": len(texts) / tokenize_seconds,
        "mean_padded_length": padded_tokens / len(texts),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    if args.onnx:
        folder = tempfile.mkdtemp()
        paths = export_onnx(model, tokenizer, folder)
        import onnxruntime
        result["onnxruntime"] = onnxruntime.__version__
        for name, path in paths.items():
            session = onnx_session(path, args.threads)
            for sorted_batches in (False, True):
                def end_to_end():
                    onnx_predict(session, tokenizer, texts, args.batch_size, max_length, sorted_batches)
                end_to_end()  # warm-up
                seconds, _, _ = timed(end_to_end, args.repeats)
                key = f"onnx_{name}{'_sorted' if sorted_batches else ''}_end_to_end_qps"
                result[key] = len(texts) / seconds
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:28} {value:.1f}" if isinstance(value, float) else f"{key:28} {value}")


def export_onnx(model, tokenizer, folder):
    """Exports the model to `folder`/model.onnx (fp32) and quantizes its weights to int8 dynamically into
    model.int8.onnx (`quantize_dynamic` defaults: QInt8 weights, per tensor, full 8-bit range); returns both paths
    by name ("fp32", "int8")."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fp32_path, int8_path = os.path.join(folder, "model.onnx"), os.path.join(folder, "model.int8.onnx")
    sample = tokenizer(["an example query"], return_tensors="pt")
    torch.onnx.export(model, (sample["input_ids"], sample["attention_mask"]), fp32_path,
                      input_names=["input_ids", "attention_mask"], output_names=["keyword", "question"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "length"}, "attention_mask": {0: "batch", 1: "length"}},
                      opset_version=17, dynamo=False)
    quantize_dynamic(fp32_path, int8_path, weight_type=QuantType.QInt8)
    return {"fp32": fp32_path, "int8": int8_path}


if __name__ == "__main__":
    main()

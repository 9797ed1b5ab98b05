#!/usr/bin/env python3
"""`querykind classify --json` as a Python user would write it: reads one text per line on standard input, runs the
same checkpoint with transformers and PyTorch eager fp32 in batches of 32 in input order, padded to each batch's
longest text (dynamic padding), and prints one JSON object per line. Timed as a whole process by
bench/classify_compare.sh, model loading included, exactly as `querykind classify` is.

With --onnx FILE (bench/onnx_export.py's model.onnx or model.int8.onnx) ONNX Runtime runs that file instead of
PyTorch, and --sorted batches texts of similar token length (tokenize all, sort, batch, print in input order).

    python bench/classify_stdin.py --model DIR [--batch-size 32] [--threads 2] [--onnx FILE [--sorted]] \
        < texts.txt > labels.jsonl
"""
import argparse
import json
import os
import sys

from transformers import BertTokenizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_runner import batches  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--onnx", help="run this ONNX file with ONNX Runtime instead of PyTorch")
    parser.add_argument("--sorted", action="store_true", help="with --onnx: batches of length-sorted texts")
    args = parser.parse_args()
    tokenizer = BertTokenizer.from_pretrained(args.model)
    texts = [line.rstrip("\n") for line in sys.stdin]
    out = sys.stdout
    if args.onnx:
        from onnx_runner import onnx_predict, onnx_session
        with open(os.path.join(args.model, "config.json"), encoding="utf-8") as handle:
            max_length = json.load(handle)["max_position_embeddings"]
        session = onnx_session(args.onnx, args.threads)
        p_keyword, p_question = onnx_predict(session, tokenizer, texts, args.batch_size, max_length, args.sorted)
        for text, keyword, question in zip(texts, p_keyword.tolist(), p_question.tolist()):
            write(out, text, keyword, question)
        return
    import torch
    from reference import load_model

    torch.set_num_threads(args.threads)
    model = load_model(args.model)
    max_length = model.bert.config.max_position_embeddings
    with torch.inference_mode():
        for chunk in batches(texts, args.batch_size):
            encoded = tokenizer(list(chunk), padding=True, truncation=True, max_length=max_length, return_tensors="pt")
            head1, head2 = model(encoded["input_ids"], encoded["attention_mask"])
            p_keyword = torch.softmax(head1, -1)[:, 0].tolist()
            p_question = torch.softmax(head2, -1)[:, 1].tolist()
            for text, keyword, question in zip(chunk, p_keyword, p_question):
                write(out, text, keyword, question)


def write(out, text, keyword, question):
    """One `querykind classify --json` line."""
    kind = "keyword" if keyword >= 0.5 else "question" if question >= 0.5 else "statement"
    out.write(json.dumps({"kind": kind, "p_keyword": keyword, "p_question": question, "text": text}) + "\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""`querykind classify --json` as a Python user would write it: reads one text per line on standard input, runs the
same checkpoint with transformers and PyTorch eager fp32 in batches of 32 in input order, padded to each batch's
longest text (dynamic padding), and prints one JSON object per line. Timed as a whole process by
bench/classify_compare.sh, model loading included, exactly as `querykind classify` is.

    python bench/classify_stdin.py --model DIR [--batch-size 32] [--threads 2] < texts.txt > labels.jsonl
"""
import argparse
import json
import os
import sys

import torch
from transformers import BertTokenizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference import batches, load_model  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    tokenizer = BertTokenizer.from_pretrained(args.model)
    model = load_model(args.model)
    max_length = model.bert.config.max_position_embeddings
    texts = [line.rstrip("\n") for line in sys.stdin]
    out = sys.stdout
    with torch.inference_mode():
        for chunk in batches(texts, args.batch_size):
            encoded = tokenizer(list(chunk), padding=True, truncation=True, max_length=max_length, return_tensors="pt")
            head1, head2 = model(encoded["input_ids"], encoded["attention_mask"])
            p_keyword = torch.softmax(head1, -1)[:, 0].tolist()
            p_question = torch.softmax(head2, -1)[:, 1].tolist()
            for text, keyword, question in zip(chunk, p_keyword, p_question):
                kind = "keyword" if keyword >= 0.5 else "question" if question >= 0.5 else "statement"
                out.write(json.dumps({"kind": kind, "p_keyword": keyword, "p_question": question, "text": text}) + "\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Exports a checkpoint directory to ONNX for the ONNX Runtime columns of bench/classify_compare.sh: FOLDER/model.onnx
(fp32) and FOLDER/model.int8.onnx (dynamic int8, `quantize_dynamic`'s defaults), as bench/reference.py --onnx does.

    python bench/onnx_export.py --model Models/querykind-minilm-l3 --out FOLDER
"""
import argparse
import os
import sys

from transformers import BertTokenizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference import export_onnx, load_model  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    export_onnx(load_model(args.model), BertTokenizer.from_pretrained(args.model), args.out)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Export a trained QueryKindModel to the directory layout querykind loads.

Why: the Swift engine reads config.json, vocab.txt, tokenizer_config.json and a
safetensors file with `bert.*` / `classifier1.*` / `classifier2.*` keys.  fp16
halves the size (accuracy is checked after export by evaluate.py on the fp16 file).
Also usable on a mid-run checkpoint:
  python training/export_model.py --checkpoint training/runs/l3/checkpoint.pt
"""

from __future__ import annotations

import argparse
import json
import os
import shutil

import torch
from safetensors.torch import save_file

from model import QueryKindModel, from_checkpoint

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIG_KEYS = ["vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
               "hidden_act", "hidden_dropout_prob", "attention_probs_dropout_prob", "type_vocab_size",
               "initializer_range", "layer_norm_eps", "pad_token_id", "position_embedding_type"]
TOKENIZER_CONFIG = {"do_lower_case": True, "tokenize_chinese_chars": True, "strip_accents": None,
                    "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]",
                    "mask_token": "[MASK]", "tokenizer_class": "BertTokenizer", "model_max_length": 512}


def export(model: QueryKindModel, encoder_dir: str, out_dir: str) -> None:
    """Write config, tokenizer files, fp16 weights and the encoder's licence files to out_dir."""
    os.makedirs(out_dir, exist_ok=True)
    full = model.bert.config.to_dict()
    config = {key: full[key] for key in CONFIG_KEYS}
    config.update(architectures=["BertModel"], model_type="bert", max_position_embeddings=512,
                  torch_dtype="float16")
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(config, f, indent=2, sort_keys=True)
    with open(os.path.join(out_dir, "tokenizer_config.json"), "w") as f:
        json.dump(TOKENIZER_CONFIG, f, indent=2)
    shutil.copyfile(os.path.join(encoder_dir, "vocab.txt"), os.path.join(out_dir, "vocab.txt"))
    for name in ("LICENSE", "NOTICE"):
        if os.path.exists(os.path.join(encoder_dir, name)):
            shutil.copyfile(os.path.join(encoder_dir, name), os.path.join(out_dir, name))
    state = {k: v.detach().to(torch.float16).contiguous() for k, v in model.state_dict().items()
             if not k.endswith("position_ids")}
    save_file(state, os.path.join(out_dir, "model.safetensors"), metadata={"format": "pt"})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--checkpoint", required=True, help="state dict saved by train.py")
    ap.add_argument("--encoder", default=os.path.normpath(os.path.join(REPO, "..", "shared", "encoders",
                                                                       "paraphrase-MiniLM-L3-v2")))
    ap.add_argument("--export", default=os.path.join(REPO, "Models", "querykind-minilm-l3"))
    args = ap.parse_args()
    model = from_checkpoint(args.encoder, args.checkpoint)
    export(model, args.encoder, args.export)
    print(f"exported to {args.export}")


if __name__ == "__main__":
    main()

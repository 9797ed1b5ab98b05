#!/usr/bin/env python3
"""Fine-tune a pretrained BERT encoder with two heads (keyword, question) on the TSVs
written by build_datasets.py, then export to Models/<name>/.

Why multi-task on one encoder: querykind runs one encoder pass per query and reads
both heads from it.  Each training row carries the label of every head it has one
for (a keyword query has none for the question head); a batch mixes rows of both
tasks and each task's cross-entropy is taken over its own rows on its own head.

CPU-friendly: dynamic padding with length-grouped batches, word embeddings frozen
(they are most of the parameters and the data is too small to move them usefully),
`--threads` torch threads, a checkpoint every `--checkpoint-every` steps.

Usage: python training/train.py [--encoder ../shared/encoders/paraphrase-MiniLM-L3-v2]
           [--data training/data] [--run training/runs/l3] [--export Models/querykind-minilm-l3]
           [--init-from training/runs/l3/checkpoint.pt --lr 3e-5 --seed 14]   (a further epoch)
           [--init-from Models/querykind-minilm-l3 --epochs 0.33 --lr 4e-5]    (v3: continue from v2)
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import sys
import time

import torch
from torch import nn

from export_model import export
from model import QueryKindModel, from_checkpoint, from_encoder, from_export, load_tokenizer, predict_probs

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LABELS = {"keyword": 0, "natural": 1, "statement": 0, "question": 1}
IGNORE = -100


def read_rows(data_dir: str, split: str) -> list[list]:
    """Rows [text, keyword label, question label] joined over both heads' TSVs by text."""
    rows: dict[str, list] = {}
    for col, head in ((1, "keyword"), (2, "question")):
        with open(os.path.join(data_dir, f"{split}_{head}.tsv"), encoding="utf-8") as f:
            reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            next(reader)
            for text, label, _source in reader:
                rows.setdefault(text, [text, IGNORE, IGNORE])[col] = LABELS[label]
    return list(rows.values())


def batches(lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Length-grouped batches: shuffle, sort within windows of 50 batches, shuffle batches."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    window = batch_size * 50
    out = []
    for start in range(0, len(order), window):
        chunk = sorted(order[start:start + window], key=lambda i: lengths[i])
        out += [chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(out)
    return out


def collate(ids: list[list[int]], idx: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(ids[i]) for i in idx)
    input_ids = torch.zeros(len(idx), width, dtype=torch.long)
    mask = torch.zeros(len(idx), width, dtype=torch.long)
    for row, i in enumerate(idx):
        input_ids[row, :len(ids[i])] = torch.tensor(ids[i])
        mask[row, :len(ids[i])] = 1
    return input_ids, mask


def dev_accuracy(model: QueryKindModel, tok, rows: list[list], max_length: int) -> dict[str, float]:
    model.eval()
    p_kw, p_q = predict_probs(model, tok, [r[0] for r in rows], max_length)
    model.train()
    kw = [(p < 0.5) == (r[1] == 1) for p, r in zip(p_kw, rows) if r[1] != IGNORE]
    q = [(p >= 0.5) == (r[2] == 1) for p, r in zip(p_q, rows) if r[2] != IGNORE]
    return {"keyword": sum(kw) / max(len(kw), 1), "question": sum(q) / max(len(q), 1)}


def save_checkpoint(model: QueryKindModel, run: str, step: int, steps: int) -> None:
    """State dict + progress, so a usable model exists if the run is cut short."""
    torch.save(model.state_dict(), os.path.join(run, "checkpoint.pt"))
    with open(os.path.join(run, "checkpoint.json"), "w") as f:
        json.dump({"step": step, "steps": steps}, f)


def initial_model(encoder: str, init_from: str | None) -> QueryKindModel:
    """The model training starts from: the bare encoder with new pooler and heads, a train.py
    checkpoint, or an exported model directory (how v3 continued from the shipped v2)."""
    if not init_from:
        return from_encoder(encoder)
    return from_export(init_from) if os.path.isdir(init_from) else from_checkpoint(encoder, init_from)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--encoder", default=os.path.normpath(os.path.join(REPO, "..", "shared", "encoders",
                                                                       "paraphrase-MiniLM-L3-v2")))
    ap.add_argument("--data", default=os.path.join(REPO, "training", "data"))
    ap.add_argument("--run", default=os.path.join(REPO, "training", "runs", "l3"))
    ap.add_argument("--export", default=os.path.join(REPO, "Models", "querykind-minilm-l3"))
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--max-length", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--checkpoint-every", type=int, default=500)
    ap.add_argument("--limit", type=int, default=0, help="use only this many training rows (pilot runs)")
    ap.add_argument("--time-budget", type=float, default=0,
                    help="minutes; stop early when spent, with the LR decay following the time used "
                         "(for shared or slow CPUs; 0 = no limit)")
    ap.add_argument("--init-from", metavar="CHECKPOINT|DIR",
                    help="continue from a state dict saved by train.py, or from an exported model directory "
                         "such as the shipped model (e.g. a further epoch at a lower --lr; optimizer state and "
                         "LR schedule start afresh) instead of the bare encoder")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    os.makedirs(args.run, exist_ok=True)

    tok = load_tokenizer(args.encoder)
    train_rows, dev_rows = read_rows(args.data, "train"), read_rows(args.data, "dev")
    if args.limit:
        train_rows = rng.sample(train_rows, min(args.limit, len(train_rows)))
    ids = tok([r[0] for r in train_rows], truncation=True, max_length=args.max_length)["input_ids"]
    kw_labels = torch.tensor([r[1] for r in train_rows])
    q_labels = torch.tensor([r[2] for r in train_rows])
    print(f"train rows {len(train_rows)} (keyword {int((kw_labels != IGNORE).sum())}, "
          f"question {int((q_labels != IGNORE).sum())}), dev rows {len(dev_rows)}", flush=True)

    model = initial_model(args.encoder, args.init_from)
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    plan = []
    for _ in range(math.ceil(args.epochs)):
        plan += batches([len(x) for x in ids], args.batch_size, rng)
    plan = plan[:int(len(plan) * args.epochs / math.ceil(args.epochs))]
    warmup = max(1, len(plan) // 20)
    budget = args.time_budget * 60
    loss_fn = nn.CrossEntropyLoss(ignore_index=IGNORE)

    start, running, step = time.time(), 0.0, 0
    for step, idx in enumerate(plan, 1):
        # Linear warmup, then linear decay to 0 at the end of the plan or of the time budget.
        elapsed = time.time() - start
        progress = max((step - 1) / len(plan), elapsed / budget if budget else 0.0)
        if progress >= 1.0:
            print(f"time budget spent after {step - 1} steps", flush=True)
            step -= 1
            break
        for group in optimizer.param_groups:
            group["lr"] = args.lr * min(step / warmup, 1.0 - progress)
        input_ids, mask = collate(ids, idx)
        logits_kw, logits_q = model(input_ids, mask)
        sel = torch.tensor(idx)
        loss = torch.zeros(())
        for logits, labels in ((logits_kw, kw_labels[sel]), (logits_q, q_labels[sel])):
            if (labels != IGNORE).any():
                loss = loss + loss_fn(logits, labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
        if step % 50 == 0:
            elapsed = time.time() - start
            print(f"step {step}/{len(plan)} loss {running:.4f} lr {optimizer.param_groups[0]['lr']:.2e} "
                  f"elapsed {elapsed:.0f}s eta {elapsed / step * (len(plan) - step):.0f}s", flush=True)
        if step % args.checkpoint_every == 0:
            save_checkpoint(model, args.run, step, len(plan))
    save_checkpoint(model, args.run, step, len(plan))

    train_seconds = time.time() - start
    dev = dev_accuracy(model, tok, dev_rows, args.max_length)
    summary = {"train_seconds": round(train_seconds), "steps_done": step, "steps_planned": len(plan),
               "rows_seen": min(step * args.batch_size, len(train_rows)), "train_rows": len(train_rows),
               "dev_accuracy": dev, "args": vars(args), "command": " ".join(sys.argv)}
    with open(os.path.join(args.run, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps(summary, indent=1), flush=True)
    export(model, args.encoder, args.export)
    print(f"exported to {args.export}", flush=True)


if __name__ == "__main__":
    main()

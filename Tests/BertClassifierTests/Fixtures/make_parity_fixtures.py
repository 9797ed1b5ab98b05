#!/usr/bin/env python3
"""Build the tiny two-head BERT checkpoints that querykind's Swift engine is checked against.

Why: the Swift encoder must reproduce PyTorch, so CI compares it with probabilities that PyTorch itself
computed. CI never runs this script; it reads the committed outputs. Run it again only when the fixture
format changes:

    pip install -r training/requirements.txt      # torch, transformers, safetensors
    python Tests/BertClassifierTests/Fixtures/make_parity_fixtures.py \
        --vocab ../shared/encoders/all-MiniLM-L6-v2/vocab.txt

Writes, next to this script:
  tiny-torch/         pytorch_model.bin (torch.save of the state dict, reference multi-task layout, fp32,
                      with the int64 `bert.embeddings.position_ids` buffer)
  tiny-safetensors/   model.safetensors with the same fp32 weights
  tiny-fp16/          model.safetensors with the weights in fp16 (how the shipped model is stored)
  format-samples.bin  a few small tensors saved with pickle protocol 4 (FRAME, MEMOIZE, STACK_GLOBAL opcodes):
                      fp32, fp16, bf16, an int64 buffer and a non-contiguous (transposed) view
  expected.jsonl      per text: HF token ids, PyTorch's p_keyword / p_question for the fp32 weights and for
                      the fp16 weights (computed in fp32 after rounding the weights to fp16)
  shipped-shape-fp16/ the shipped model's shape (3 layers, hidden 384, 12 heads, FFN 1536, 512 positions) with
                      random fp16 weights and a 3,000-entry cut of the vocabulary, to keep the file small
  expected-shipped-shape.jsonl
                      per text (most 65..512 tokens, some cut at 512): HF token ids and PyTorch's probabilities,
                      computed in fp64 from the fp16-rounded weights, so fp32 engines can be held to ~1e-6

`--only shipped-shape` (or `tiny`) rewrites just that part, leaving the other fixtures' bytes alone.

With `--bench-model DIR` it instead writes one random bert-mini-shaped checkpoint (4 layers, hidden 256,
4 heads, FFN 1024) for throughput measurements; that one is never committed.
"""
import argparse
import json
import random
import shutil
import tempfile
from collections import OrderedDict
from pathlib import Path

import torch
from safetensors.torch import save_file
from torch import nn
from transformers import BertConfig, BertModel, BertTokenizer

SEED = 20261126
HERE = Path(__file__).resolve().parent


class MultiTaskBert(nn.Module):
    """The reference training code's module layout: one encoder, a keyword head and a question head."""

    def __init__(self, config):
        super().__init__()
        self.bert = BertModel(config, add_pooling_layer=True)
        self.classifier1 = nn.Linear(config.hidden_size, 2)  # 0 = keyword, 1 = natural language
        self.classifier2 = nn.Linear(config.hidden_size, 2)  # 0 = statement, 1 = question

    def pooled(self, input_ids):
        return self.bert(input_ids=input_ids, attention_mask=torch.ones_like(input_ids)).pooler_output

    def forward(self, input_ids):
        pooled = self.pooled(input_ids)
        return self.classifier1(pooled).softmax(-1), self.classifier2(pooled).softmax(-1)


def reference_state_dict(model, config):
    """state_dict in the reference checkpoint's layout: transformers 5 no longer saves position_ids, the
    reference (trained with transformers 4) has it as the first entry, so put it back there."""
    state = OrderedDict()
    state["bert.embeddings.position_ids"] = torch.arange(config.max_position_embeddings).unsqueeze(0)
    for key, value in model.state_dict().items():
        state[key] = value.detach().clone().contiguous()
    return state


def texts(rng):
    """~200 inputs of every shape the classifier sees: keyword queries, questions, statements, long texts that
    are truncated at 64 positions, non-ASCII scripts, punctuation and empty input. Generated, not sampled."""
    topics = ["cheap flights", "python list comprehension", "weather tomorrow", "best pizza", "tax return",
              "iphone battery", "marathon training plan", "used cars", "visa requirements", "chicken curry recipe",
              "router reset", "mortgage rates", "hiking boots", "jazz concerts", "sql join", "flu symptoms",
              "solar panels", "rent apartment", "learn guitar", "car insurance"]
    places = ["paris", "berlin", "tokyo", "new york", "lagos", "são paulo", "münchen", "kraków", "reykjavík", "cairo"]
    question_forms = ["how do i {t}", "what is the best {t} in {p}", "where can i find {t}", "why is {t} so expensive",
                      "can you recommend {t} near {p}?", "is {t} worth it", "who sells {t} in {p}", "when does {t} open?",
                      "which {t} should i choose", "does {t} work in {p}?"]
    statement_forms = ["i need {t} in {p}.", "my {t} stopped working yesterday", "the {t} in {p} was great",
                       "we are looking into {t} for next year", "{t} prices went up again this month",
                       "She said the {t} is closed on Sundays.", "Our team compared {t} options in {p}."]
    keyword_forms = ["{t}", "{t} {p}", "{t} near me", "{p} {t} 2024", "{t} reviews", "buy {t} online", "{t} vs {p}"]
    out = []
    for _ in range(40):
        out.append(rng.choice(keyword_forms).format(t=rng.choice(topics), p=rng.choice(places)))
    for _ in range(40):
        out.append(rng.choice(question_forms).format(t=rng.choice(topics), p=rng.choice(places)))
    for _ in range(40):
        out.append(rng.choice(statement_forms).format(t=rng.choice(topics), p=rng.choice(places)))
    for n in range(25):  # long: most of these exceed 64 tokens and exercise truncation
        words = [rng.choice(topics + places) for _ in range(8 + 3 * n)]
        out.append(" ".join(words) + ("?" if n % 2 else "."))
    out += [
        "", " ", "?", "...", "a", "ok", "[CLS]", "hello [SEP] world", "C++ vs C#", "e-mail@example.com",
        "naïve café résumé", "Ärger über Öl", "straße ß", "İstanbul otelleri", "東京 ラーメン 安い", "北京天气怎么样",
        "как доехать до вокзала", "مطعم قريب مني", "מה השעה עכשיו", "नई दिल्ली मौसम", "καλημέρα κόσμε",
        "pizza 🍕 near me", "👨‍👩‍👧 family trip", "🇯🇵 visa", "ｆｕｌｌｗｉｄｔｈ ｔｅｘｔ", "soft\u00adhyphen",
        "zero\u200bwidth", "tab\tseparated\tquery", "ﬁnancial ﬂow", "Crème Brûlée recipe?", "¿dónde está la playa?",
        "WHAT TIME IS IT IN TOKYO", "What Time Is It", "100% cotton t-shirts", "3.14159 pi digits",
        "1999-12-31 23:59", "$5 coffee", "can't won't shouldn't", "isn't it obvious?", "self-driving cars",
    ]
    for n in range(10):  # very long, non-ASCII and mixed: truncation with multi-piece words
        out.append(" ".join(rng.choice(["überraschung", "déjà vu", "日本語", "ñandú", "smörgåsbord", "quick brown fox",
                                         "antidisestablishmentarianism", "naïveté"]) for _ in range(20 + n)))
    return out


def spread_heads(model, config, input_batches):
    """Random-init heads give p ≈ 0.5 for every input, which could not catch a wrong forward pass. Point each head
    along a principal direction of the pooled outputs and scale it so probabilities spread over ~0.05..0.95."""
    with torch.no_grad():
        pooled = torch.cat([model.pooled(ids) for ids in input_batches])
        centered = pooled - pooled.mean(0)
        _, _, v = torch.linalg.svd(centered, full_matrices=False)
        gen = torch.Generator().manual_seed(SEED)
        for head, direction in ((model.classifier1, v[0]), (model.classifier2, v[1])):
            projection = pooled @ direction
            scale = 1.6 / projection.std()
            noise = torch.randn(2, config.hidden_size, generator=gen) * 0.05 * scale / config.hidden_size ** 0.5
            head.weight.copy_(torch.stack([direction * scale / 2, -direction * scale / 2]) + noise)
            center = (pooled @ (head.weight[0] - head.weight[1])).median()
            head.bias.copy_(torch.tensor([-center / 2, center / 2]))


def predict(model, input_batches):
    with torch.no_grad():
        out = []
        for ids in input_batches:
            keyword, question = model(ids)
            out.append((float(keyword[0, 0]), float(question[0, 1])))
        return out


def write_tokenizer_files(path, vocab):
    path.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(vocab, path / "vocab.txt")
    (path / "tokenizer_config.json").write_text(json.dumps({"do_lower_case": True, "tokenizer_class": "BertTokenizer"}) + "\n")


def write_dir(path, vocab, config, weights_name, state):
    write_tokenizer_files(path, vocab)
    (path / "config.json").write_text(json.dumps(config.to_diff_dict() | {"architectures": ["MultiTaskBert"]}, indent=2, sort_keys=True) + "\n")
    if weights_name == "pytorch_model.bin":
        torch.save(state, path / weights_name)
    else:
        save_file({k: v for k, v in state.items() if v.dtype != torch.int64}, str(path / weights_name),
                  metadata={"format": "pt"})


def write_format_samples(path):
    """Storage types and pickle opcodes the reference checkpoint does not use, so the reader's other paths are
    checked against what torch.save really writes."""
    base = torch.arange(6, dtype=torch.float32).reshape(2, 3) / 4 - 0.5
    samples = OrderedDict([("f32", base), ("f16", base.half()), ("bf16", base.bfloat16()), ("i64", torch.arange(3)),
                           ("transposed", base.t())])
    torch.save(samples, path, pickle_protocol=4)


def make_config(layers, hidden, heads, ffn, initializer_range, vocab_size=30522):
    return BertConfig(vocab_size=vocab_size, hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=heads,
                      intermediate_size=ffn, max_position_embeddings=64 if hidden <= 32 else 512, type_vocab_size=2,
                      layer_norm_eps=1e-12, hidden_act="gelu", initializer_range=initializer_range,
                      attn_implementation="eager")


def reduced_vocabulary(vocab, words):
    """The specials, every single-character piece (plain and ##) and the `words` most frequent whole words of
    bert-base-uncased's vocabulary, in their original order: WordPiece still spells any Latin text, in more
    pieces, and the embedding table shrinks 10x."""
    lines = vocab.read_text(encoding="utf-8").splitlines()
    specials = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}
    first_word = lines.index("the")
    kept = [t for t in lines[:first_word] if t in specials or not t.startswith("[")]
    return kept + lines[first_word:first_word + words]


def shipped_shape_texts(rng, words):
    """Mostly long inputs (65 to 512 tokens, and some cut at 512), a few short ones, words the cut vocabulary
    spells in pieces or not at all ([UNK]): the positions and attention spans the tiny fixture never reaches."""
    rare = ["antidisestablishmentarianism", "smörgåsbord", "東京", "überraschung", "xylophonist", "naïveté"]
    out = ["where is berlin?", "cheap flights paris", "List all brothers of Arya.", "東京 ラーメン"]
    for target in [60, 70, 90, 120, 160, 200, 250, 300, 350, 400, 450, 480, 500, 505, 520, 700, 1000]:
        chosen = [rng.choice(words) if rng.random() > 0.05 else rng.choice(rare) for _ in range(target)]
        out.append(" ".join(chosen) + rng.choice(["?", ".", ""]))
    return out


def write_shipped_shape(vocab, rng):
    vocab_lines = reduced_vocabulary(vocab, 2000)
    directory = HERE / "shipped-shape-fp16"
    cut_vocab = Path(tempfile.mkdtemp()) / "vocab.txt"
    cut_vocab.write_text("\n".join(vocab_lines) + "\n", encoding="utf-8")
    config = make_config(3, 384, 12, 1536, 0.05, vocab_size=len(vocab_lines))
    model = MultiTaskBert(config).eval()
    tokenizer = BertTokenizer(str(cut_vocab), do_lower_case=True)
    words = [t for t in vocab_lines if t.isalpha() and t.isascii() and len(t) > 1]
    inputs = shipped_shape_texts(rng, words)
    ids = [tokenizer(t, truncation=True, max_length=config.max_position_embeddings)["input_ids"] for t in inputs]
    batches = [torch.tensor([i]) for i in ids]
    spread_heads(model, config, batches)
    half = OrderedDict((k, v.half() if v.is_floating_point() else v) for k, v in reference_state_dict(model, config).items())
    write_dir(directory, cut_vocab, config, "model.safetensors", half)
    model.double().load_state_dict({k: v.double() for k, v in half.items() if k != "bert.embeddings.position_ids"})
    probabilities = predict(model, batches)
    with open(HERE / "expected-shipped-shape.jsonl", "w") as out:
        for text, token_ids, (pk, pq) in zip(inputs, ids, probabilities):
            out.write(json.dumps({"text": text, "ids": token_ids, "p_keyword": pk, "p_question": pq},
                                 ensure_ascii=False) + "\n")
    print(f"shipped shape: {len(inputs)} texts, lengths {sorted(map(len, ids))}; "
          f"p_keyword {min(p for p, _ in probabilities):.3f}..{max(p for p, _ in probabilities):.3f}, "
          f"p_question {min(q for _, q in probabilities):.3f}..{max(q for _, q in probabilities):.3f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vocab", type=Path, required=True, help="bert-base-uncased vocab.txt (30522 entries)")
    parser.add_argument("--bench-model", type=Path, help="write a bert-mini-shaped random checkpoint here instead")
    parser.add_argument("--only", choices=["tiny", "shipped-shape"], help="write only these fixtures")
    args = parser.parse_args()
    torch.manual_seed(SEED)
    rng = random.Random(SEED)

    if args.bench_model:
        config = make_config(4, 256, 4, 1024, 0.02)
        model = MultiTaskBert(config).eval()
        write_dir(args.bench_model, args.vocab, config, "model.safetensors", reference_state_dict(model, config))
        return
    if args.only != "shipped-shape":
        write_tiny(args.vocab, rng)
    if args.only != "tiny":
        torch.manual_seed(SEED + 1)
        write_shipped_shape(args.vocab, random.Random(SEED + 1))


def write_tiny(vocab, rng):
    # A wide initialisation makes pooled outputs differ clearly between inputs, so small errors cannot hide.
    config = make_config(2, 32, 2, 64, 0.2)
    model = MultiTaskBert(config).eval()
    write_format_samples(HERE / "format-samples.bin")
    write_tokenizer_files(HERE / "tiny-torch", vocab)
    tokenizer = BertTokenizer.from_pretrained(str(HERE / "tiny-torch"))
    inputs = texts(rng)
    ids = [tokenizer(t, truncation=True, max_length=config.max_position_embeddings)["input_ids"] for t in inputs]
    assert sum(i.count(tokenizer.unk_token_id) for i in ids) < len(ids), "vocab not loaded: ids are all [UNK]"
    batches = [torch.tensor([i]) for i in ids]
    spread_heads(model, config, batches)

    state = reference_state_dict(model, config)
    write_dir(HERE / "tiny-torch", vocab, config, "pytorch_model.bin", state)
    write_dir(HERE / "tiny-safetensors", vocab, config, "model.safetensors", state)
    fp32 = predict(model, batches)

    half = OrderedDict((k, v.half() if v.is_floating_point() else v) for k, v in state.items())
    write_dir(HERE / "tiny-fp16", vocab, config, "model.safetensors", half)
    model.load_state_dict({k: v.float() for k, v in half.items() if k != "bert.embeddings.position_ids"})
    fp16 = predict(model, batches)

    with open(HERE / "expected.jsonl", "w") as out:
        for text, token_ids, (pk, pq), (hk, hq) in zip(inputs, ids, fp32, fp16):
            out.write(json.dumps({"text": text, "ids": token_ids, "p_keyword": pk, "p_question": pq,
                                  "p_keyword_fp16": hk, "p_question_fp16": hq}, ensure_ascii=False) + "\n")
    keyword = [pk for pk, _ in fp32]
    question = [pq for _, pq in fp32]
    print(f"{len(inputs)} texts; p_keyword {min(keyword):.3f}..{max(keyword):.3f}, "
          f"p_question {min(question):.3f}..{max(question):.3f}; "
          f"max length {max(map(len, ids))}; truncated {sum(len(i) == config.max_position_embeddings for i in ids)}")


if __name__ == "__main__":
    main()

"""The two-head query classifier, its loading from a pretrained encoder and from an
exported model directory.

Why one module: training, export and evaluation must share one forward pass and one
state-dict layout, the layout the Swift engine reads: `bert.embeddings.*`,
`bert.encoder.layer.N.*`, `bert.pooler.dense.*`, `classifier1.*` (keyword head),
`classifier2.*` (question head).
"""

from __future__ import annotations

import os

import torch
import transformers
from safetensors.torch import load_file
from torch import nn


class QueryKindModel(nn.Module):
    """BERT encoder + pooler (tanh dense on [CLS]) + two linear heads on the pooled output."""

    def __init__(self, config: transformers.BertConfig):
        super().__init__()
        self.bert = transformers.BertModel(config, add_pooling_layer=True)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        self.classifier1 = nn.Linear(config.hidden_size, 2)   # 0 = keyword, 1 = natural
        self.classifier2 = nn.Linear(config.hidden_size, 2)   # 0 = statement, 1 = question

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        pooled = self.dropout(self.bert(input_ids=input_ids, attention_mask=attention_mask).pooler_output)
        return self.classifier1(pooled), self.classifier2(pooled)


def _fp32_state(path: str) -> dict[str, torch.Tensor]:
    """Weights upcast to float32, without the position_ids buffer some exports carry."""
    return {k: v.float() for k, v in load_file(path).items() if not k.endswith("position_ids")}


def from_encoder(encoder_dir: str) -> QueryKindModel:
    """Fresh model whose encoder comes from a sentence-transformers BERT folder (fp16
    safetensors with `embeddings.*`/`encoder.*` keys); pooler and heads are new."""
    config = transformers.BertConfig.from_pretrained(encoder_dir)
    model = QueryKindModel(config)
    state = {f"bert.{k}": v for k, v in _fp32_state(os.path.join(encoder_dir, "model.safetensors")).items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    new = {"bert.pooler.dense.weight", "bert.pooler.dense.bias", "classifier1.weight", "classifier1.bias",
           "classifier2.weight", "classifier2.bias"}
    if unexpected or set(missing) - new:
        raise SystemExit(f"error: {encoder_dir}/model.safetensors does not match BertModel: "
                         f"missing {sorted(set(missing) - new)[:5]}, unexpected {unexpected[:5]}")
    return model


def from_checkpoint(encoder_dir: str, checkpoint: str) -> QueryKindModel:
    """Model with the encoder's config and a state dict saved by train.py, so a run can be
    exported or continued (`train.py --init-from`) from any checkpoint."""
    model = from_encoder(encoder_dir)
    model.load_state_dict(torch.load(checkpoint, map_location="cpu"))
    return model


def from_export(model_dir: str) -> QueryKindModel:
    """Model loaded from an exported directory (config.json + fp16 model.safetensors)."""
    config = transformers.BertConfig.from_pretrained(model_dir)
    model = QueryKindModel(config)
    state = _fp32_state(os.path.join(model_dir, "model.safetensors"))
    missing, unexpected = model.load_state_dict(state, strict=False)
    if unexpected or [k for k in missing if not k.endswith("position_ids")]:
        raise SystemExit(f"error: {model_dir}/model.safetensors: missing {missing[:5]}, unexpected {unexpected[:5]}")
    return model.eval()


def load_tokenizer(folder: str) -> transformers.PreTrainedTokenizerBase:
    """Tokenizer from a folder with vocab.txt + tokenizer_config.json, checked to really
    use the vocabulary (transformers 5 can silently fall back to an empty one)."""
    tok = transformers.BertTokenizer.from_pretrained(folder)
    ids = tok("cheap flights to paris")["input_ids"]
    if tok.unk_token_id in ids or len(ids) != 6:
        raise SystemExit(f"error: tokenizer from {folder} does not read vocab.txt (ids {ids})")
    return tok


def predict_probs(model: QueryKindModel, tok, texts: list[str], max_length: int = 128,
                  batch_size: int = 64) -> tuple[list[float], list[float]]:
    """(p_keyword, p_question) per text = softmax(head1)[0], softmax(head2)[1];
    texts are length-sorted into batches and the order restored."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    p_kw, p_q = [0.0] * len(texts), [0.0] * len(texts)
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            idx = order[start:start + batch_size]
            enc = tok([texts[i] for i in idx], padding=True, truncation=True, max_length=max_length,
                      return_tensors="pt")
            l1, l2 = model(enc["input_ids"], enc["attention_mask"])
            for j, i in enumerate(idx):
                p_kw[i] = torch.softmax(l1[j], -1)[0].item()
                p_q[i] = torch.softmax(l2[j], -1)[1].item()
    return p_kw, p_q

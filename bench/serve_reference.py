#!/usr/bin/env python3
"""The server a user would otherwise write: FastAPI + transformers/PyTorch over the same checkpoint, for
bench/serve_load.sh to load side by side with `querykind serve`.

Same routes and JSON as querykind's GET/POST /v1/classify, an unbounded dict cache keyed by the raw text, one
model call per request (no cross-request batching), run by uvicorn with one worker process.

    pip install -r bench/requirements.txt fastapi uvicorn
    MODEL=Models/querykind-minilm-l3 THREADS=2 uvicorn --app-dir bench serve_reference:app --port 8090
"""
import os

import torch
from fastapi import FastAPI
from pydantic import BaseModel
from transformers import BertTokenizer

from reference import load_model

MODEL = os.environ.get("MODEL", "Models/querykind-minilm-l3")
torch.set_num_threads(int(os.environ.get("THREADS", "2")))
model = load_model(MODEL)
tokenizer = BertTokenizer.from_pretrained(MODEL)
model_id = os.path.basename(os.path.normpath(MODEL)) + "@pytorch"
cache = {}
app = FastAPI()


class Texts(BaseModel):
    texts: list[str]


def label(texts):
    missing = [text for text in dict.fromkeys(texts) if text not in cache]
    if missing:
        encoded = tokenizer(missing, padding=True, truncation=True, max_length=512, return_tensors="pt")
        with torch.inference_mode():
            keyword, question = model(encoded["input_ids"], encoded["attention_mask"])
        p_keyword = torch.softmax(keyword, dim=-1)[:, 0].tolist()
        p_question = torch.softmax(question, dim=-1)[:, 1].tolist()
        for text, pk, pq in zip(missing, p_keyword, p_question):
            kind = "keyword" if pk >= 0.5 else "question" if pq >= 0.5 else "statement"
            cache[text] = {"kind": kind, "p_keyword": pk, "p_question": pq}
    return [{"text": text, **cache[text]} for text in texts]


@app.get("/v1/classify")
def classify_one(text: str):
    return {"model": model_id, **label([text])[0]}


@app.post("/v1/classify")
def classify_many(body: Texts):
    return {"model": model_id, "results": label(body.texts)}

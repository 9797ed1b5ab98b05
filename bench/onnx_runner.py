"""ONNX Runtime's side of the benchmarks (bench/reference.py --onnx, bench/classify_stdin.py --onnx): a session and
the two heads' probabilities for a list of texts. No PyTorch import, so a whole-process ONNX Runtime run is timed
without loading torch, as an ONNX Runtime user's process would be.
"""
import numpy
import onnxruntime


def batches(items, size):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def onnx_session(path, threads):
    """An ONNX Runtime CPU session on `threads` intra-op threads (one inter-op thread), default graph optimizations,
    its idle threads sleeping rather than spinning. Why not spinning: the scripts report CPU seconds beside wall
    seconds, since wall time on a shared machine swings with other jobs' load, and spinning would count waiting as
    work; and spinning threads take the cores other processes need."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def onnx_predict(session, tokenizer, texts, batch_size, max_length, sorted_batches):
    """(p_keyword, p_question) per text in input order, from batches padded to their longest text: in input order,
    or, with `sorted_batches`, of texts sorted by token count (all tokenized first, as a length-bucketing server
    does)."""
    if not sorted_batches:
        heads = []
        for chunk in batches(texts, batch_size):
            e = tokenizer(list(chunk), padding=True, truncation=True, max_length=max_length, return_tensors="np")
            heads.append(session.run(None, {"input_ids": e["input_ids"], "attention_mask": e["attention_mask"]}))
        keyword = numpy.concatenate([h[0] for h in heads]) if heads else numpy.zeros((0, 2), numpy.float32)
        question = numpy.concatenate([h[1] for h in heads]) if heads else numpy.zeros((0, 2), numpy.float32)
    else:
        ids = tokenizer(list(texts), truncation=True, max_length=max_length)["input_ids"]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        keyword = numpy.zeros((len(ids), 2), numpy.float32)
        question = numpy.zeros((len(ids), 2), numpy.float32)
        for chunk in batches(order, batch_size):
            width = len(ids[chunk[-1]])
            input_ids = numpy.zeros((len(chunk), width), numpy.int64)
            mask = numpy.zeros((len(chunk), width), numpy.int64)
            for row, index in enumerate(chunk):
                input_ids[row, :len(ids[index])] = ids[index]
                mask[row, :len(ids[index])] = 1
            k, q = session.run(None, {"input_ids": input_ids, "attention_mask": mask})
            keyword[chunk], question[chunk] = k, q
    return softmax(keyword)[:, 0], softmax(question)[:, 1]


def softmax(logits):
    shifted = numpy.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)

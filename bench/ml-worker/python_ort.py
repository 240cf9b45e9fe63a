"""Python onnxruntime on the same ONNX file and tokenizer as the worker: sentences per
second in batches of 32 (2 threads), the reference the worker's throughput is compared
with. Prints one JSON object.

    python python_ort.py --model-dir models --version minilm-l6-v2-int8 --descriptions FILE
"""

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np
import onnxruntime
from tokenizers import Tokenizer


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model-dir", type=Path, required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--descriptions", type=Path, required=True)
    parser.add_argument("--count", type=int, default=4000)
    args = parser.parse_args()
    folder = args.model_dir / args.version
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 2
    session = onnxruntime.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])
    lines = args.descriptions.read_text().splitlines()
    words = ["north", "south", "plaza", "market", "centre", "express", "deli", "corner"]
    rng = random.Random(1)
    texts = [f"{lines[i % len(lines)]} {rng.choice(words)}{rng.choice(words)} {rng.choice(words)}" for i in range(args.count)]
    started = time.perf_counter()
    for start in range(0, len(texts), 32):
        batch = sorted(texts[start:start + 32], key=len)
        encodings = tokenizer.encode_batch(batch)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        (hidden,) = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})
        pooled = (hidden * mask[:, :, None]).sum(axis=1)
        pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
    elapsed = time.perf_counter() - started
    print(json.dumps({"sentences_per_second": len(texts) / elapsed, "count": len(texts), "version": args.version}))


if __name__ == "__main__":
    main()

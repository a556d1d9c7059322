"""AdamW with the app's semantics (main/engine/train/adamw.ts): per-variable
step counts, a variable without a gradient in a step is skipped (no decay
either), decay applies to every weight. And the learning-rate schedules."""

import math
from typing import List, Optional

import torch


class AdamW:
    def __init__(self, params: List[torch.nn.Parameter], lr=1e-4, weight_decay=1e-2, beta1=0.9, beta2=0.999, eps=1e-8):
        self.params = params
        self.lr, self.weight_decay, self.beta1, self.beta2, self.eps = lr, weight_decay, beta1, beta2, eps
        self.m = [torch.zeros_like(p) for p in params]
        self.v = [torch.zeros_like(p) for p in params]
        self.steps = [0 for _ in params]

    @torch.no_grad()
    def apply(self, grads: List[Optional[torch.Tensor]], lr: float):
        b1, b2 = self.beta1, self.beta2
        for i, g in enumerate(grads):
            if g is None:
                continue
            p, m, v = self.params[i], self.m[i], self.v[i]
            self.steps[i] += 1
            t = self.steps[i]
            m.mul_(b1).add_(g, alpha=1 - b1)
            v.mul_(b2).addcmul_(g, g, value=1 - b2)
            m_hat = m / (1 - b1 ** t)
            v_hat = v / (1 - b2 ** t)
            p.mul_(1 - lr * self.weight_decay)
            p.sub_(lr * m_hat / (v_hat.sqrt() + self.eps))


def clip_by_global_norm(grads, max_norm: float):
    present = [g for g in grads if g is not None]
    if not present:
        return grads
    norm = math.sqrt(sum(float((g.double() ** 2).sum()) for g in present))
    scale = max_norm / (norm + 1e-6) if norm > max_norm else 1.0
    return [g * scale if g is not None else None for g in grads]


def schedule_from_config(config: dict, total_steps: int) -> Optional[dict]:
    """the run config's schedule -> LrSchedule (as runTraining.ts's scheduleFor)"""
    s = config.get("schedule") or {}
    kind = s.get("kind", "none")
    warmup = s.get("warmupSteps", 0)
    if kind == "none":
        return {"kind": "constant", "warmupSteps": warmup} if warmup else None
    if kind == "cosine":
        return {"kind": "cosine", "totalSteps": total_steps, "warmupSteps": warmup}
    if kind == "poly":
        return {"kind": "poly", "totalSteps": total_steps, "power": s.get("power", 0.9), "warmupSteps": warmup}
    return {"kind": "step", "stepSize": s.get("stepSize", 1000), "gamma": s.get("gamma", 0.1), "warmupSteps": warmup}


def learning_rate_at(base: float, schedule: Optional[dict], step: int) -> float:
    if not schedule:
        return base
    warmup = schedule.get("warmupSteps") or 0
    if step < warmup:
        return base * (step + 1) / warmup
    s = step - warmup
    kind = schedule["kind"]
    if kind == "constant":
        return base
    if kind == "cosine":
        total = max(1, schedule["totalSteps"] - warmup)
        min_lr = schedule.get("minLr") or 0
        return min_lr + 0.5 * (base - min_lr) * (1 + math.cos(math.pi * min(1, s / total)))
    if kind == "poly":
        total = max(1, schedule["totalSteps"] - warmup)
        return base * max(0.0, 1 - s / total) ** schedule.get("power", 0.9)
    return base * schedule.get("gamma", 0.1) ** (s // schedule["stepSize"])

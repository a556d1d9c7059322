"""Validation metrics with the app's names and definitions: accuracy
(multi-label: labelAccuracy), pooled per-class Dice/IoU with mean over
foreground classes (meanDice), COCO-style 101-point AP at IoU 0.5 (map50)."""

from typing import Dict, List

import numpy as np

from .fcos import box_iou


def classification_metrics(probs: np.ndarray, labels: List, multi_label: bool) -> Dict[str, float]:
    if multi_label:
        truth = np.array(labels, dtype=np.float64)
        return {"labelAccuracy": float(((probs >= 0.5) == (truth >= 0.5)).mean())}
    pred = probs.argmax(1)
    return {"accuracy": float((pred == np.array(labels)).mean())}


def segmentation_metrics(pred: np.ndarray, truth: np.ndarray, C: int) -> Dict[str, float]:
    inside = truth != 255  # letterbox padding (shared/letterbox.ts outsideImageClass) is not scored
    pred, truth = pred[inside], truth[inside]
    inter = np.zeros(C)
    p_count = np.bincount(pred.ravel(), minlength=C)[:C].astype(np.float64)
    t_count = np.bincount(truth.ravel(), minlength=C)[:C].astype(np.float64)
    same = pred == truth
    inter += np.bincount(pred[same].ravel(), minlength=C)[:C]
    s = p_count + t_count
    dice = np.where(s == 0, 1.0, 2 * inter / np.maximum(s, 1e-12))
    union = s - inter
    iou = np.where(union == 0, 1.0, inter / np.maximum(union, 1e-12))
    fg = slice(1, None) if C > 1 else slice(0, None)
    out = {"meanDice": float(dice[fg].mean()), "meanIou": float(iou[fg].mean())}
    for k in range(C):
        out[f"dice_{k}"] = float(dice[k])
    return out


def average_precision(images, C: int, threshold: float = 0.5) -> float:
    """images: [(truth boxes, predicted boxes with score)]"""
    aps = []
    for c in range(C):
        n_truth = 0
        scored = []
        for truth, pred in images:
            gts = [(b["x"], b["y"], b["w"], b["h"]) for b in truth if b["classId"] == c]
            n_truth += len(gts)
            used = [False] * len(gts)
            for d in sorted([p for p in pred if p["classId"] == c], key=lambda p: -p["score"]):
                best, best_iou = -1, threshold
                for g, gt in enumerate(gts):
                    if used[g]:
                        continue
                    iou = box_iou((d["x"], d["y"], d["w"], d["h"]), gt)
                    if iou >= best_iou:
                        best, best_iou = g, iou
                if best >= 0:
                    used[best] = True
                scored.append((d["score"], best >= 0))
        if n_truth == 0:
            continue
        scored.sort(key=lambda s: -s[0])
        tp = np.cumsum([1 if s[1] else 0 for s in scored]) if scored else np.zeros(0)
        fp = np.cumsum([0 if s[1] else 1 for s in scored]) if scored else np.zeros(0)
        recall = tp / n_truth
        precision = tp / np.maximum(tp + fp, 1e-12)
        for i in range(len(precision) - 2, -1, -1):
            precision[i] = max(precision[i], precision[i + 1])
        total = 0.0
        for r in np.linspace(0, 1, 101):
            idx = np.searchsorted(recall, r, side="left")
            total += precision[idx] if idx < len(precision) else 0.0
        aps.append(total / 101)
    return float(np.mean(aps)) if aps else float("nan")


def primary_of(kind: str, multi_label: bool, values: Dict[str, float]) -> float:
    if kind == "classification":
        return values["labelAccuracy" if multi_label else "accuracy"]
    if kind == "segmentation":
        return values["meanDice"]
    v = values.get("map50", float("nan"))
    return 0.0 if v != v else v

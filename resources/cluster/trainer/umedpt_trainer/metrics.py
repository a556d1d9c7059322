"""Validation metrics with the app's names and definitions: accuracy
(multi-label: labelAccuracy), pooled per-class Dice/IoU with the mean over
the scored classes that occur (meanDice), COCO-style 101-point AP at IoU 0.5 (map50)."""

from typing import Dict, List, Optional

import numpy as np

from .fcos import box_iou


def classification_metrics(probs: np.ndarray, labels: List, multi_label: bool) -> Dict[str, float]:
    if multi_label:
        truth = np.array(labels, dtype=np.float64)
        return {"labelAccuracy": float(((probs >= 0.5) == (truth >= 0.5)).mean())}
    pred = probs.argmax(1)
    return {"accuracy": float((pred == np.array(labels)).mean())}


def segmentation_metrics(pred: np.ndarray, truth: np.ndarray, class_names: List[str], background: Optional[int] = None) -> Dict[str, float]:
    """Pooled Dice/IoU per class, keyed by class name (dice_membrane), as the app
    scores them (main/engine/metrics/segmentationOverlap.ts): a class absent from
    truth and prediction is not applicable (NaN, left out of the means, never 1);
    the means leave out the background class only where the task has one
    (`backgroundClass` in the bundle, decided by shared/classRoles.ts)."""
    C = len(class_names)
    inside = truth != 255  # letterbox padding (shared/letterbox.ts outsideImageClass) is not scored
    pred, truth = pred[inside], truth[inside]
    p_count = np.bincount(pred.ravel(), minlength=C)[:C].astype(np.float64)
    t_count = np.bincount(truth.ravel(), minlength=C)[:C].astype(np.float64)
    same = pred == truth
    inter = np.bincount(pred[same].ravel(), minlength=C)[:C].astype(np.float64)
    s = p_count + t_count
    union = s - inter
    dice = np.where(s == 0, np.nan, 2 * inter / np.maximum(s, 1e-12))
    iou = np.where(union == 0, np.nan, inter / np.maximum(union, 1e-12))
    scored = [k for k in range(C) if k != background and s[k] > 0]
    out = {
        "meanDice": float(dice[scored].mean()) if scored else float("nan"),
        "meanIou": float(iou[scored].mean()) if scored else float("nan"),
    }
    for k, name in enumerate(class_names):
        out[f"dice_{name}"] = float(dice[k])
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
        v = values["meanDice"]
        return 0.0 if v != v else v
    v = values.get("map50", float("nan"))
    return 0.0 if v != v else v

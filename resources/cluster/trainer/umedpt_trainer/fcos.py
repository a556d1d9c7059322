"""FCOS target assignment and decoding, as main/engine/model/fcosTargets.ts and
fcosDecode.ts: centre sampling (1.5 strides), scale ranges (4s, 8s], ties to
the smallest box; score sqrt(sigmoid(cls) * sigmoid(ctr)), per-class NMS."""

import math
from typing import Dict, List, Tuple

import numpy as np

CENTER_RADIUS = 1.5


def level_locations(stride: int, size: int) -> np.ndarray:
    half = stride // 2
    j, i = np.meshgrid(np.arange(size), np.arange(size))
    return np.stack([j.ravel() * stride + half, i.ravel() * stride + half], 1).astype(np.float64)


def assign_targets(boxes: List[Dict], levels: List[Tuple[int, int]]):
    """boxes: [{x, y, w, h, classId}] -> labels [N] (-1 background), distances [N, 4], centerness [N], positives"""
    N = sum(s * s for _, s in levels)
    labels = np.full(N, -1, np.int64)
    distances = np.ones((N, 4), np.float32)
    centerness = np.zeros(N, np.float32)
    if not boxes:
        return labels, distances, centerness, 0
    bx = np.array([[b["x"], b["y"], b["w"], b["h"]] for b in boxes], np.float64)
    cls = np.array([b["classId"] for b in boxes], np.int64)
    area = bx[:, 2] * bx[:, 3]
    offset = 0
    for k, (stride, size) in enumerate(levels):
        lower = -1 if k == 0 else stride * 4
        upper = math.inf if k == len(levels) - 1 else stride * 8
        p = level_locations(stride, size)
        px, py = p[:, :1], p[:, 1:]
        l = px - bx[None, :, 0]
        t = py - bx[None, :, 1]
        r = bx[None, :, 0] + bx[None, :, 2] - px
        b = bx[None, :, 1] + bx[None, :, 3] - py
        ltrb = np.stack([l, t, r, b], -1)
        cx = bx[None, :, 0] + bx[None, :, 2] / 2
        cy = bx[None, :, 1] + bx[None, :, 3] / 2
        radius = CENTER_RADIUS * stride
        m = ltrb.max(-1)
        ok = (ltrb.min(-1) > 0) & (np.abs(px - cx) < radius) & (np.abs(py - cy) < radius) & (m > lower) & (m <= upper)
        cand = np.where(ok, area[None, :], np.inf)
        best = cand.argmin(1)  # first of equal areas, as the app's strict '<'
        pos = np.isfinite(cand[np.arange(len(p)), best])
        idx = np.nonzero(pos)[0]
        chosen = ltrb[idx, best[idx]]
        labels[offset + idx] = cls[best[idx]]
        distances[offset + idx] = chosen
        lr = np.minimum(chosen[:, 0], chosen[:, 2]) / np.maximum(chosen[:, 0], chosen[:, 2])
        tb = np.minimum(chosen[:, 1], chosen[:, 3]) / np.maximum(chosen[:, 1], chosen[:, 3])
        centerness[offset + idx] = np.sqrt(lr * tb)
        offset += size * size
    return labels, distances, centerness, int((labels >= 0).sum())


def box_iou(a, b) -> float:
    iw = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = iw * ih
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def decode(cls_logits: np.ndarray, box_dist: np.ndarray, ctr_logits: np.ndarray, levels, image_size: int,
           score_threshold=0.05, iou_threshold=0.6, pre_nms_top_k=1000, max_detections=100) -> List[Dict]:
    """one image: cls [N, C], box [N, 4], ctr [N] -> boxes {x, y, w, h, classId, score} by score"""
    locs = np.concatenate([level_locations(s, n) for s, n in levels], 0)
    sig = lambda v: 1 / (1 + np.exp(-v.astype(np.float64)))
    scores = np.sqrt(sig(cls_logits) * sig(ctr_logits)[:, None])
    n_idx, c_idx = np.nonzero(scores > score_threshold)
    cands = []
    for n, c in zip(n_idx, c_idx):
        x1 = max(0.0, locs[n, 0] - box_dist[n, 0])
        y1 = max(0.0, locs[n, 1] - box_dist[n, 1])
        x2 = min(image_size, locs[n, 0] + box_dist[n, 2])
        y2 = min(image_size, locs[n, 1] + box_dist[n, 3])
        if x2 <= x1 or y2 <= y1:
            continue
        cands.append((float(scores[n, c]), int(c), (x1, y1, x2 - x1, y2 - y1)))
    cands.sort(key=lambda d: -d[0])
    kept = []
    for score, c, box in cands[:pre_nms_top_k]:
        if all(k[1] != c or box_iou(k[2], box) <= iou_threshold for k in kept):
            kept.append((score, c, box))
    return [{"x": b[0], "y": b[1], "w": b[2], "h": b[3], "classId": c, "score": s} for s, c, b in kept[:max_detections]]

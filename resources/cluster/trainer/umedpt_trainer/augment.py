"""The app's seeded augmentations (main/engine/data/augment.ts), same draws in
the same order from the same generator: flips, quarter turns, scale-crop and
intensity jitter move image, mask and boxes together. Images HWC float32."""

import math
from typing import Dict, List, Optional

import numpy as np

from .rng import DataRandom

DEFAULT_SCALE = {"min": 0.8, "max": 1.25, "probability": 0.5}
DEFAULT_INTENSITY = {"brightness": 0.2, "contrast": 0.2, "noise": 0.05, "probability": 0.8}
MIN_BOX_SIDE = 2


def settings_from_config(aug: Dict) -> Optional[Dict]:
    """the run config's augmentation switches -> settings (as runTraining.ts's augmentationFor)"""
    s = {
        "horizontalFlip": bool(aug.get("horizontalFlip")),
        "verticalFlip": bool(aug.get("verticalFlip")),
        "rotate90": bool(aug.get("rotate90")),
        "scale": DEFAULT_SCALE if aug.get("scale") else None,
        "intensity": DEFAULT_INTENSITY if aug.get("intensity") else None,
        "minBoxSide": MIN_BOX_SIDE,
    }
    if not (s["horizontalFlip"] or s["verticalFlip"] or s["rotate90"] or s["scale"] or s["intensity"]):
        return None
    return s


def dihedral(image, mask, boxes, horizontal: bool, vertical: bool, turns: int):
    s = image.shape[0]
    turns %= 4
    if horizontal:
        image = image[:, ::-1]
        mask = mask[:, ::-1] if mask is not None else None
    if vertical:
        image = image[::-1]
        mask = mask[::-1] if mask is not None else None
    # a clockwise quarter turn: np.rot90 with k=-1
    if turns:
        image = np.rot90(image, -turns, axes=(0, 1))
        mask = np.rot90(mask, -turns, axes=(0, 1)) if mask is not None else None
    if boxes is not None:
        out = []
        for b in boxes:
            b = dict(b)
            if horizontal:
                b["x"] = s - b["x"] - b["w"]
            if vertical:
                b["y"] = s - b["y"] - b["h"]
            for _ in range(turns):
                b = {**b, "x": s - b["y"] - b["h"], "y": b["x"], "w": b["h"], "h": b["w"]}
            out.append(b)
        boxes = out
    return np.ascontiguousarray(image), (np.ascontiguousarray(mask) if mask is not None else None), boxes


def scale_crop(image, mask, boxes, scale: float, ox: float, oy: float, min_box_side: float):
    s, _, c = image.shape
    ring = np.concatenate([image[0], image[-1], image[1:-1, 0], image[1:-1, -1]], 0).astype(np.float64)
    fill = ring.mean(0)
    step = 1 / scale
    coords = (np.arange(s) + 0.5) * step
    u = ox + coords[None, :].repeat(s, 0)
    v = oy + coords[:, None].repeat(s, 1)
    inside = (u >= 0) & (v >= 0) & (u < s) & (v < s)
    fx = np.clip(u - 0.5, 0, s - 1)
    fy = np.clip(v - 0.5, 0, s - 1)
    x0 = np.floor(fx).astype(np.int64)
    y0 = np.floor(fy).astype(np.int64)
    x1 = np.minimum(x0 + 1, s - 1)
    y1 = np.minimum(y0 + 1, s - 1)
    ax = (fx - x0)[..., None]
    ay = (fy - y0)[..., None]
    src = image.astype(np.float64)
    out = (src[y0, x0] * (1 - ax) + src[y0, x1] * ax) * (1 - ay) + (src[y1, x0] * (1 - ax) + src[y1, x1] * ax) * ay
    out = np.where(inside[..., None], out, fill[None, None, :]).astype(np.float32)
    new_mask = None
    if mask is not None:
        ui = np.clip(np.floor(u).astype(np.int64), 0, s - 1)
        vi = np.clip(np.floor(v).astype(np.int64), 0, s - 1)
        new_mask = np.where(inside, mask[vi, ui], 0).astype(np.uint8)
    if boxes is not None:
        nb = []
        for b in boxes:
            bx0 = max(0.0, (b["x"] - ox) * scale)
            by0 = max(0.0, (b["y"] - oy) * scale)
            bx1 = min(s, (b["x"] + b["w"] - ox) * scale)
            by1 = min(s, (b["y"] + b["h"] - oy) * scale)
            if bx1 - bx0 >= min_box_side and by1 - by0 >= min_box_side:
                nb.append({**b, "x": bx0, "y": by0, "w": bx1 - bx0, "h": by1 - by0})
        boxes = nb
    return out, new_mask, boxes


def jitter_intensity(image, brightness: float, contrast: float, noise: float, rng: DataRandom):
    src = image.astype(np.float64)
    mean = float(image.astype(np.float64).sum() / max(1, image.size))
    offset = mean * (1 - contrast) + brightness
    pixels = image.shape[0] * image.shape[1]
    field = np.zeros(pixels)
    if noise > 0:
        for i in range(0, pixels, 2):
            r = noise * math.sqrt(-2 * math.log(1 - rng.next()))
            a = 2 * math.pi * rng.next()
            field[i] = r * math.cos(a)
            if i + 1 < pixels:
                field[i + 1] = r * math.sin(a)
    out = src * contrast + offset + field.reshape(image.shape[0], image.shape[1], 1)
    return out.astype(np.float32)


def augment_sample(image, mask, boxes, settings: Dict, seed: int):
    rng = DataRandom(seed)
    horizontal = settings["horizontalFlip"] and rng.chance(0.5)
    vertical = settings["verticalFlip"] and rng.chance(0.5)
    turns = rng.int_between(0, 3) if settings["rotate90"] else 0
    if horizontal or vertical or turns:
        image, mask, boxes = dihedral(image, mask, boxes, horizontal, vertical, turns)
    sc = settings.get("scale")
    if sc and rng.chance(sc["probability"]):
        scale = math.exp(rng.uniform(math.log(sc["min"]), math.log(sc["max"])))
        window = image.shape[0] / scale
        lo, hi = min(0.0, image.shape[0] - window), max(0.0, image.shape[0] - window)
        ox = rng.uniform(lo, hi)
        oy = rng.uniform(lo, hi)
        image, mask, boxes = scale_crop(image, mask, boxes, scale, ox, oy, settings["minBoxSide"])
    it = settings.get("intensity")
    if it and rng.chance(it["probability"]):
        b = rng.uniform(-it["brightness"], it["brightness"])
        c = rng.uniform(1 - it["contrast"], 1 + it["contrast"])
        image = jitter_intensity(image, b, c, it["noise"], rng)
    return image, mask, boxes

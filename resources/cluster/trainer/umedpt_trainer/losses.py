"""The losses of main/engine/losses, each divided by ln(max(2, C)), written so
that data-parallel ranks give the exact gradient of the global batch: every
batch-level statistic (Dice sums, positives, sample counts) is summed over the
ranks with `reduce`, whose backward is the identity, and every per-sample sum
is divided by the global count. Summing the ranks' gradients then gives the
gradient of the one-rank loss. `loss` is for backward (this rank's share),
`value` the global loss (the same on every rank)."""

import math

import torch
import torch.nn.functional as F

FOCAL_GAMMA, FOCAL_ALPHA, CENTERNESS_WEIGHT = 2.0, 0.25, 0.2
DICE_SMOOTHING = 1.0


def class_normaliser(c: int) -> float:
    return math.log(max(2, c))


def no_reduce(t: torch.Tensor) -> torch.Tensor:
    return t


def bce_with_logits(x, z):
    return F.relu(x) - x * z + torch.log1p(torch.exp(-x.abs()))


def classification_loss(logits, labels, multi_label: bool, global_batch: int, reduce=no_reduce):
    C = logits.shape[1]
    if multi_label:
        local = bce_with_logits(logits, labels.float()).sum()
        denom = global_batch * C * class_normaliser(2)
    else:
        local = -(F.log_softmax(logits, -1).gather(1, labels.long()[:, None])).sum()
        denom = global_batch * class_normaliser(C)
    return local / denom, reduce(local.detach()) / denom


# mask value of a padding pixel, shared/letterbox.ts outsideImageClass
OUTSIDE_IMAGE = 255


def segmentation_loss(logits, masks, global_pixels: int, reduce=no_reduce):
    """logits [B, C, H, W]; masks [B, H, W] int64; OUTSIDE_IMAGE (letterbox padding) counts in no term"""
    C = logits.shape[1]
    log_probs = F.log_softmax(logits, 1)
    all_probs = log_probs.exp()
    inside = (masks != OUTSIDE_IMAGE).unsqueeze(1).to(logits.dtype)
    one_hot = F.one_hot(torch.where(masks == OUTSIDE_IMAGE, 0, masks.long()), C).permute(0, 3, 1, 2).to(logits.dtype) * inside
    probs = all_probs * inside
    focal_local = -(one_hot * (1 - all_probs) ** 2 * log_probs).sum()
    inter = reduce((probs * one_hot).sum((0, 2, 3)))
    card = reduce(probs.sum((0, 2, 3)) + one_hot.sum((0, 2, 3)))
    dice = (2 * inter + DICE_SMOOTHING) / (card + DICE_SMOOTHING)
    dice_loss = 1 - dice.mean()
    norm = class_normaliser(C)
    loss = (dice_loss + focal_local / global_pixels) / norm
    value = (dice_loss.detach() + reduce(focal_local.detach()) / global_pixels) / norm
    return loss, value


def giou_loss(pred, target):
    pl, pt, pr, pb = pred.unbind(-1)
    tl, tt, tr, tb = target.unbind(-1)
    pred_area = (pl + pr) * (pt + pb)
    target_area = (tl + tr) * (tt + tb)
    inter = (torch.minimum(pl, tl) + torch.minimum(pr, tr)) * (torch.minimum(pt, tt) + torch.minimum(pb, tb))
    union = pred_area + target_area - inter
    iou = inter / (union + 1e-7)
    enclosing = (torch.maximum(pl, tl) + torch.maximum(pr, tr)) * (torch.maximum(pt, tt) + torch.maximum(pb, tb)) + 1e-7
    return 1 - (iou - (enclosing - union) / enclosing)


def detection_loss(out, labels, distances, centerness, num_classes: int, reduce=no_reduce):
    """labels [B, N] (-1 background), distances [B, N, 4], centerness [B, N]"""
    cls_logits = out["classLogits"]
    C = num_classes
    positive = (labels >= 0).to(cls_logits.dtype)
    targets = F.one_hot(labels.clamp(min=0), C).to(cls_logits.dtype) * positive[..., None]
    num_pos = reduce(positive.sum())
    normaliser = torch.clamp(num_pos, min=1.0)
    p = torch.sigmoid(cls_logits)
    ce = bce_with_logits(cls_logits, targets)
    pt = p * targets + (1 - p) * (1 - targets)
    alpha_t = targets * FOCAL_ALPHA + (1 - targets) * (1 - FOCAL_ALPHA)
    focal_local = (alpha_t * (1 - pt) ** 2 * ce).sum()
    box_weights = positive * centerness
    weight_sum = reduce(box_weights.sum())
    box_local = (box_weights * giou_loss(out["boxDistances"], distances)).sum()
    ctr_local = (positive * bce_with_logits(out["centernessLogits"], centerness)).sum()
    norm = class_normaliser(C)

    def total(f, b, c):
        return f / (normaliser * norm) + b / (weight_sum + 1e-6) + CENTERNESS_WEIGHT * c / normaliser

    loss = total(focal_local, box_local, ctr_local)
    value = total(reduce(focal_local.detach()), reduce(box_local.detach()), reduce(ctr_local.detach()))
    return loss, value

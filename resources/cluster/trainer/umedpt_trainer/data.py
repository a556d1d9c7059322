"""The bundle's datasets: per task and split, npy shards (images float32
[n, S, S, 3] HWC already resized and normalised as the app's training reads
them; masks uint8 [n, S, S]) memory-mapped, plus labels and boxes from
data/index.json. Only the samples a rank draws are read."""

import json
import os
from typing import Dict, List

import numpy as np


class TaskSplit:
    def __init__(self, root: str, entry: Dict):
        self.count = entry["count"]
        self.labels = entry.get("labels")
        self.boxes = entry.get("boxes")
        self.shards = []
        start = 0
        for shard in entry["shards"]:
            images = np.load(os.path.join(root, shard["images"]), mmap_mode="r")
            masks = np.load(os.path.join(root, shard["masks"]), mmap_mode="r") if shard.get("masks") else None
            if images.shape[0] != shard["count"]:
                raise ValueError(f"{shard['images']}: holds {images.shape[0]} images, the index says {shard['count']}")
            self.shards.append((start, images, masks))
            start += shard["count"]
        if start != self.count:
            raise ValueError(f"shards hold {start} samples, the index says {self.count}")

    def __len__(self):
        return self.count

    def _locate(self, i: int):
        for start, images, masks in reversed(self.shards):
            if i >= start:
                return images, masks, i - start
        raise IndexError(i)

    def sample(self, i: int):
        images, masks, j = self._locate(i)
        image = np.array(images[j], dtype=np.float32)
        mask = np.array(masks[j], dtype=np.uint8) if masks is not None else None
        label = self.labels[i] if self.labels is not None else None
        boxes = [dict(b) for b in self.boxes[i]] if self.boxes is not None else None
        return image, mask, label, boxes


class TaskData:
    def __init__(self, root: str, entry: Dict):
        self.name = entry["name"]
        self.kind = entry["kind"]
        self.class_names = entry["classNames"]
        # the segmentation class left out of the means; None: every class is scored
        self.background_class = entry.get("backgroundClass")
        self.multi_label = bool(entry.get("multiLabel", False))
        self.splits = {name: TaskSplit(root, s) for name, s in entry["splits"].items()}

    @property
    def train(self) -> TaskSplit:
        return self.splits["train"]

    @property
    def val(self) -> TaskSplit:
        return self.splits["val"]


def load_tasks(bundle: str) -> List[TaskData]:
    root = os.path.join(bundle, "data")
    with open(os.path.join(root, "index.json")) as f:
        index = json.load(f)
    if index.get("format") != "umedpt-shards":
        raise ValueError(f"{root}/index.json: format is {index.get('format')!r}, expected 'umedpt-shards'")
    return [TaskData(root, t) for t in index["tasks"]]

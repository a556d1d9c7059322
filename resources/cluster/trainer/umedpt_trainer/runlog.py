"""The app's run-folder files (main/jobs/runFolder.ts, metricsLog.ts,
heartbeat.ts): metrics.jsonl (one event per line, seq continuing the lines
already there, a torn last line cut off first), progress.json and
heartbeat.json written atomically, log.txt. Rank 0 writes them."""

import json
import os
import threading
import time
from datetime import datetime, timezone

HEARTBEAT_SECONDS = 2.0


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def write_json_atomic(path: str, value):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w") as f:
        f.write(json.dumps(value, indent=2))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def read_json(path: str):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


class RunFolder:
    def __init__(self, root: str):
        self.root = root
        self.config = os.path.join(root, "config.json")
        self.metrics = os.path.join(root, "metrics.jsonl")
        self.log_file = os.path.join(root, "log.txt")
        self.heartbeat = os.path.join(root, "heartbeat.json")
        self.progress = os.path.join(root, "progress.json")
        self.status = os.path.join(root, "status.json")
        self.latest = os.path.join(root, "checkpoints", "latest")
        self.best = os.path.join(root, "checkpoints", "best")


class MetricsLog:
    def __init__(self, path: str, run_id: str):
        self.path, self.run_id = path, run_id
        self.seq = self._repair()
        self.f = open(path, "a")

    def _repair(self) -> int:
        if not os.path.exists(self.path):
            return 0
        with open(self.path, "r+b") as f:
            data = f.read()
            keep = data.rfind(b"\n") + 1
            if keep < len(data):
                f.truncate(keep)
                f.flush()
                os.fsync(f.fileno())
            return data[:keep].count(b"\n")

    def append(self, body: dict) -> dict:
        event = {"runId": self.run_id, "time": now_iso(), "seq": self.seq, **body}
        self.f.write(json.dumps(event, allow_nan=False) + "\n")
        self.f.flush()
        self.seq += 1
        return event

    def sync(self):
        self.f.flush()
        os.fsync(self.f.fileno())

    def close(self):
        if not self.f.closed:
            self.sync()
            self.f.close()


class Heartbeat:
    """rewrites heartbeat.json every 2 s from a thread, so a long step still beats"""

    def __init__(self, path: str):
        self.path = path
        self.step = 0
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def beat(self):
        write_json_atomic(self.path, {"pid": os.getpid(), "time": now_iso(), "step": self.step})

    def _run(self):
        while not self.stop_event.wait(HEARTBEAT_SECONDS):
            try:
                self.beat()
            except OSError:
                pass

    def start(self):
        self.beat()
        self.thread.start()

    def stop(self):
        self.stop_event.set()

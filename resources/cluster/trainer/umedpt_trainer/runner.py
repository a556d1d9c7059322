"""One run from a bundle into a run folder, the PyTorch twin of the app's
main/jobs/runTraining.ts: the same events in metrics.jsonl (state, log,
started, step, epoch, validation, checkpoint), progress.json, heartbeat.json,
log.txt and checkpoints/latest|best, so the app follows it like its own run.
SIGTERM/SIGINT stop after the current step with a checkpoint (cancelled)."""

import json
import os
import shutil
import signal
import socket
import sys
import time
import traceback

import torch

from . import dist
from .data import load_tasks
from .model import UmedptModel
from .runlog import Heartbeat, MetricsLog, RunFolder, now_iso, read_json, write_json_atomic
from .train import Trainer


class StopFlag:
    def __init__(self):
        self.requested = None

    def install(self):
        def handler(signum, _frame):
            self.requested = "cancel"
        signal.signal(signal.SIGTERM, handler)
        signal.signal(signal.SIGINT, handler)


def pick_device(requested: str, info: dist.DistInfo) -> torch.device:
    if requested == "cuda" or (requested == "auto" and torch.cuda.is_available()):
        torch.cuda.set_device(info.local_rank)
        return torch.device("cuda", info.local_rank)
    return torch.device("cpu")


def read_bundle(bundle: str):
    with open(os.path.join(bundle, "bundle.json")) as f:
        meta = json.load(f)
    if meta.get("format") != "umedpt-bundle":
        raise ValueError(f"{bundle}/bundle.json: not a UMedPT run bundle")
    with open(os.path.join(bundle, "config.json")) as f:
        config = json.load(f)
    return meta, config


def run(bundle: str, run_folder: str, resume: bool, device_name: str = "auto", threads: int = 0, steps_override: int = 0) -> int:
    info = dist.detect()
    device = pick_device(device_name, info)
    if threads > 0:
        torch.set_num_threads(threads)
    dist.init(info, device)
    meta, config = read_bundle(bundle)
    if steps_override:
        config = {**config, "steps": steps_override}
    folder = RunFolder(run_folder)
    rank0 = info.rank == 0
    stop = StopFlag()
    stop.install()
    log = metrics = heartbeat = None
    progress = None
    if rank0:
        os.makedirs(os.path.join(folder.root, "checkpoints"), exist_ok=True)
        if not os.path.exists(folder.config):
            write_json_atomic(folder.config, config)
        metrics = MetricsLog(folder.metrics, os.path.basename(os.path.abspath(folder.root)))
        heartbeat = Heartbeat(folder.heartbeat)
        heartbeat.start()
        progress = read_json(folder.progress) or {"step": 0, "totalSteps": 0, "epoch": 0, "totalEpochs": 0, "backend": None, "tasks": [],
                                                   "checkpoints": {"latest": None, "best": None}, "lastMetrics": None, "bestScore": None}

    def emit(body):
        if metrics:
            metrics.append(body)

    def say(level, message):
        if rank0:
            with open(folder.log_file, "a") as f:
                f.write(f"{now_iso()} {level.ljust(5)} {message}\n")
            emit({"type": "log", "level": level, "message": message})

    def save_progress():
        if rank0:
            write_json_atomic(folder.progress, progress)

    emit({"type": "state", "state": "running"})
    trainer = None
    try:
        backend = f"pytorch-{device.type}"
        say("info", f"engine {backend} (PyTorch {torch.__version__}, {info.world} rank(s) via {info.launcher}, {torch.get_num_threads()} threads per rank, host {socket.gethostname()})")
        tasks = load_tasks(bundle)
        for t in tasks:
            say("info", f"task {t.name}: {t.kind}, {len(t.class_names)} classes, {len(t.train)} train / {len(t.val)} val images")
        model = UmedptModel(meta["modelConfig"]).to(device)
        trainer = Trainer(model, tasks, config, meta["weightOrder"], info, device)
        for t, n in zip(tasks, trainer.sampler.batch_sizes):
            if n < info.world:
                raise ValueError(f"task {t.name}: batch {n} is smaller than the {info.world} ranks; every rank needs at least one sample")
        resumed = None
        if resume and os.path.exists(os.path.join(folder.latest, "checkpoint.json")):
            trainer.load_checkpoint(folder.latest)
            resumed = trainer.step
            say("info", f"resumed from checkpoints/latest at step {resumed}")
        else:
            init = os.path.join(bundle, "init")
            if os.path.exists(os.path.join(init, "checkpoint.json")):
                init_meta = read_json(os.path.join(init, "checkpoint.json")) or {}
                continues = bool(meta.get("continuesRun"))
                trainer.load_checkpoint(init, weights_only=not continues)
                if continues:
                    resumed = trainer.step
                say("info", f"weights from the bundle's init checkpoint (step {init_meta.get('trainer', {}).get('step', 0)}{', optimizer and sampler too' if continues else ''})")
        total = trainer.total_steps
        spe = trainer.stepsPerEpoch
        total_epochs = -(-total // spe)
        summaries = [{"name": t.name, "kind": t.kind, "classNames": t.class_names, "trainImages": len(t.train), "valImages": len(t.val)} for t in tasks]
        if rank0:
            progress.update({"step": trainer.step, "totalSteps": total, "totalEpochs": total_epochs, "epoch": trainer.step // spe, "backend": backend, "tasks": summaries})
            if resumed is None:
                progress["bestScore"] = None
            save_progress()
        emit({"type": "started", "backend": backend, "pid": os.getpid(), "tasks": summaries, "totalSteps": total, "totalEpochs": total_epochs, "resumedFromStep": resumed})

        epoch_of = lambda s: max(1, -(-s // spe))

        def checkpoint(which, score):
            if rank0:
                trainer.save_checkpoint(folder.latest if which == "latest" else folder.best, meta["modelConfig"])
                progress["checkpoints"][which] = {"step": trainer.step, "epoch": epoch_of(trainer.step), "score": score, "savedAt": now_iso()}
                emit({"type": "checkpoint", "which": which, "step": trainer.step, "epoch": epoch_of(trainer.step)})

        def validate_and_record():
            score = None
            if rank0:
                results = trainer.validate("val")
                metrics_by_task = {k: {n: v for n, v in m.items() if n != "_primary"} for k, m in results.items()}
                score = sum(m["_primary"] for m in results.values()) / len(results) if results else 0.0
                best = trainer.best_score is None or score > trainer.best_score
                if best:
                    trainer.best_score, trainer.best_step = score, trainer.step
                progress["lastMetrics"] = metrics_by_task
                progress["bestScore"] = trainer.best_score
                emit({"type": "validation", "step": trainer.step, "epoch": epoch_of(trainer.step), "metrics": metrics_by_task, "score": score, "best": best})
                checkpoint("latest", score)
                if best:
                    checkpoint("best", score)
                metrics.sync()
                save_progress()
            if info.enabled:
                torch.distributed.barrier()

        recent = []
        epoch_loss = {}
        epoch_started = time.time()
        every = int(config.get("checkpointEverySteps") or 0)
        last_progress_save = time.time()
        while trainer.step < total:
            flag = torch.tensor([1.0 if stop.requested else 0.0])
            if info.enabled:
                torch.distributed.all_reduce(flag)
            if flag.item() > 0:
                stop.requested = "cancel"
                break
            r = trainer.train_step()
            recent.append(r["seconds"])
            recent = recent[-20:]
            per_step = sum(recent) / len(recent)
            for k, v in r["losses"].items():
                a = epoch_loss.setdefault(k, [0.0, 0])
                a[0] += v
                a[1] += 1
            s = trainer.step
            if rank0:
                heartbeat.step = s
                progress["step"], progress["epoch"] = s, epoch_of(s)
                emit({"type": "step", "step": s, "totalSteps": total, "epoch": epoch_of(s), "totalEpochs": total_epochs, "losses": r["losses"],
                      "learningRate": r["learningRate"], "imagesPerSecond": r["images"] / r["seconds"], "etaSeconds": max(0.0, (total - s) * per_step),
                      "memory": {"numTensors": 0, "numBytes": int(torch.cuda.memory_allocated()) if device.type == "cuda" else 0}})
                # progress.json every few seconds too, so `umedpt runs` shows the step between epochs
                if time.time() - last_progress_save > 2.0:
                    save_progress()
                    last_progress_save = time.time()
            if s % spe == 0 or s == total:
                emit({"type": "epoch", "epoch": epoch_of(s), "step": s, "seconds": time.time() - epoch_started, "trainLoss": {k: a[0] / a[1] for k, a in epoch_loss.items()}})
                epoch_loss.clear()
                epoch_started = time.time()
                validate_and_record()
            elif every > 0 and s % every == 0:
                checkpoint("latest", None)
                save_progress()
        if stop.requested:
            if rank0 and trainer.step > 0 and (progress["checkpoints"].get("latest") or {}).get("step") != trainer.step:
                checkpoint("latest", None)
            save_progress()
            say("info", f"cancelled at step {trainer.step}/{total}")
            emit({"type": "state", "state": "cancelled"})
            return 0
        save_progress()
        say("info", f"completed {trainer.step} steps")
        emit({"type": "state", "state": "completed"})
        return 0
    except Exception as error:  # noqa: BLE001 - every failure is recorded in the run folder
        message = str(error) or error.__class__.__name__
        if rank0:
            with open(folder.log_file, "a") as f:
                f.write(f"{now_iso()} error {traceback.format_exc()}\n")
            emit({"type": "log", "level": "error", "message": message})
            emit({"type": "state", "state": "failed", "message": message})
        print(f"rank {info.rank}: {message}", file=sys.stderr)
        return 1
    finally:
        if heartbeat:
            heartbeat.stop()
        if metrics:
            metrics.close()
        if info.enabled and torch.distributed.is_initialized():
            torch.distributed.destroy_process_group()

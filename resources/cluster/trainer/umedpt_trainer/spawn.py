"""The spawn launcher's per-rank entry (a module function, so spawned
interpreters can find it; Debian's torchrun crashes on Python 3.11)."""

import os
import sys


def rank_main(rank: int, world: int, args) -> None:
    os.environ.update({"RANK": str(rank), "WORLD_SIZE": str(world), "LOCAL_RANK": str(rank), "UMEDPT_LAUNCHER": "spawn"})
    from .runner import run

    code = run(args.bundle, args.run_folder, args.resume, args.device, args.threads, args.steps)
    if code:
        sys.exit(code)

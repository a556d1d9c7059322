"""python -m umedpt_trainer train|spawn ... (see README.md of the bundle)."""

import argparse
import os
import socket
import sys


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="umedpt_trainer", description="UMedPT multi-task pretraining on PyTorch")
    parser.add_argument("command", choices=["train", "spawn"], help="train: one rank (torchrun, srun or alone); spawn: start --nproc ranks here")
    parser.add_argument("--bundle", required=True, help="the run bundle folder (umedpt bundle)")
    parser.add_argument("--run-folder", required=True, help="where metrics.jsonl, progress.json and checkpoints go")
    parser.add_argument("--resume", action="store_true", help="continue from <run-folder>/checkpoints/latest")
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--threads", type=int, default=0, help="torch threads per rank (0 = PyTorch's default)")
    parser.add_argument("--nproc", type=int, default=1, help="spawn: number of ranks")
    parser.add_argument("--steps", type=int, default=0, help="override the config's length (steps)")
    args = parser.parse_args(argv)
    if args.command == "train":
        from .runner import run
        return run(args.bundle, args.run_folder, args.resume, args.device, args.threads, args.steps)
    if args.nproc < 1:
        parser.error("--nproc must be at least 1")
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", str(free_port()))
    import torch.multiprocessing as mp
    try:
        from .spawn import rank_main

        mp.spawn(rank_main, args=(args.nproc, args), nprocs=args.nproc, join=True)
    except mp.ProcessExitedException as error:
        print(f"a rank failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

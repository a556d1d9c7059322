"""The PyTorch side of the GPU check (copied into the check folder by
prepare.ts, run there by run.sh after the webgpu side):

(3) trains the same architecture (the app's own PyTorch port of the model,
    umedpt_trainer.model, as the cluster trainer uses it) in fp32, eager, at
    the same batch size and image size, and times it;
(4) loads the weights the webgpu side wrote, computes the gradients of the same
    fixed batch and compares them with webgpu's, tensor by tensor:
    max|a - b| / max(1, max|b|) (the engine's measure, docs/engine.md);
(5) writes gpu.json with both speeds and their ratio (webgpu_vs_pytorch).
"""

import argparse
import json
import os
import platform
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from umedpt_trainer.checkpoint import load_weights, ordered_parts, read_checkpoint  # noqa: E402
from umedpt_trainer.losses import classification_loss  # noqa: E402
from umedpt_trainer.model import UmedptModel, to_tf_layout  # noqa: E402

TASK = "check"


def main() -> int:
    p = argparse.ArgumentParser(description="PyTorch side of the UMedPT GPU check")
    p.add_argument("--work", required=True, help="the folder the webgpu side wrote")
    p.add_argument("--out", required=True, help="gpu.json to write")
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    p.add_argument("--tolerance", type=float, default=1e-3, help="largest gradient difference accepted (webgpu vs PyTorch fp32)")
    p.add_argument("--note", default="", help="a line stored in gpu.json (e.g. what machine this is)")
    args = p.parse_args()

    device = torch.device("cuda" if args.device == "cuda" or (args.device == "auto" and torch.cuda.is_available()) else "cpu")
    # fp32 as webgpu computes it: no TF32 on Ampere and later
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cudnn.benchmark = True
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else platform.processor() or "cpu"
    print(f"[pytorch] torch {torch.__version__} on {device} ({name})", flush=True)

    webgpu = json.load(open(os.path.join(args.work, "webgpu.json")))
    meta, arrays = read_checkpoint(os.path.join(args.work, "weights"))
    weight_order = json.load(open(os.path.join(args.work, "weight-order.json")))
    info = json.load(open(os.path.join(args.work, "labels.json")))
    size, batch, classes = info["size"], info["batchSize"], info["classes"]

    model = UmedptModel(meta["modelConfig"])
    load_weights(model, weight_order, arrays, os.path.join(args.work, "weights"))
    model.to(device)

    images = np.fromfile(os.path.join(args.work, "batch.bin"), dtype="<f4").reshape(batch, size, size, 3)
    x = torch.from_numpy(images).permute(0, 3, 1, 2).contiguous().to(device)
    y = torch.tensor(info["labels"], dtype=torch.int64, device=device)

    # (4) gradients of the fixed batch, same weights, no dropout (as on the webgpu side)
    model.zero_grad(set_to_none=True)
    loss, _ = classification_loss(model(TASK, x)["logits"], y, False, batch)
    loss.backward()
    _, grad_arrays = read_checkpoint(os.path.join(args.work, "grads"))
    compared, worst, worst_key, missing = 0, 0.0, None, []
    for key, weights in ordered_parts(model, weight_order):
        for i, (tf_name, param, kind) in enumerate(weights):
            entry = grad_arrays.get(f"{key}/{i}")
            if param.grad is None:
                continue
            if entry is None:
                missing.append(f"{key}/{i} ({tf_name})")
                continue
            reference = to_tf_layout(param.grad.detach(), kind).cpu().numpy().astype(np.float64).ravel()
            values = entry[0].astype(np.float64)
            if values.size != reference.size:
                missing.append(f"{key}/{i} ({tf_name}): {values.size} values, PyTorch {reference.size}")
                continue
            err = float(np.max(np.abs(values - reference)) / max(1.0, float(np.max(np.abs(reference)))))
            compared += 1
            if err > worst:
                worst, worst_key = err, f"{key}/{i} ({tf_name})"
    loss_diff = abs(float(loss.item()) - float(webgpu["fixed_batch_loss"]))
    print(f"[pytorch] fixed batch: loss {loss.item():.6f} (webgpu {webgpu['fixed_batch_loss']:.6f}); {compared} gradients compared, worst {worst:.2e} at {worst_key}", flush=True)

    # (3) training speed: forward, backward, AdamW, batches rotated like the webgpu side
    rng = np.random.default_rng(2)
    batches = [torch.from_numpy(rng.uniform(-1, 1, (batch, 3, size, size)).astype(np.float32)).to(device) for _ in range(2)]
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=1e-2)
    step_seconds, losses = [], []
    for s in range(args.warmup + args.steps):
        if device.type == "cuda":
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        step_loss, _ = classification_loss(model(TASK, batches[s % 2])["logits"], y, False, batch)
        step_loss.backward()
        optimizer.step()
        losses.append(float(step_loss.item()))  # a read per step, as the engine reads its losses
        seconds = time.perf_counter() - t0
        if s >= args.warmup:
            step_seconds.append(seconds)
    pytorch_ips = args.steps * batch / sum(step_seconds) if step_seconds else None
    print(f"[pytorch] {pytorch_ips:.3f} images/s over {args.steps} steps", flush=True)

    webgpu_ips = webgpu.get("images_per_second")
    ratio = webgpu_ips / pytorch_ips if webgpu_ips and pytorch_ips else None
    passed = not missing and worst <= args.tolerance
    result = {
        "what": "UMedPT GPU check: ResNet training images/s, webgpu (tfjs on Dawn, Node) vs PyTorch (fp32, eager), same batch and image size",
        "note": args.note,
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "encoder": webgpu["encoder"],
        "image_size": size,
        "batch_size": batch,
        "steps": args.steps,
        "warmup_steps": args.warmup,
        "webgpu_adapter": webgpu["adapter"],
        "webgpu_images_per_second": webgpu_ips,
        "pytorch_images_per_second": pytorch_ips,
        "webgpu_vs_pytorch": ratio,
        "pytorch": {"version": torch.__version__, "device": str(device), "device_name": name, "tf32": False},
        "gradients": {"compared": compared, "worst_relative_error": worst, "worst_tensor": worst_key, "missing": missing,
                      "tolerance": args.tolerance, "loss_webgpu": webgpu["fixed_batch_loss"], "loss_pytorch": float(loss.item()),
                      "loss_difference": loss_diff, "passed": passed},
        "webgpu": webgpu,
        "pytorch_step_seconds": step_seconds,
        "pytorch_losses": losses,
    }
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
    print(f"[check] webgpu {webgpu_ips} images/s, PyTorch {pytorch_ips} images/s, webgpu_vs_pytorch {ratio}", flush=True)
    print(f"[check] gradients {'match' if passed else 'DIFFER'}: worst {worst:.2e} (bound {args.tolerance:g}); wrote {args.out}", flush=True)
    return 0 if passed else 2


if __name__ == "__main__":
    sys.exit(main())

#!/bin/sh
# UMedPT GPU check, one command on a Linux x64 machine with a GPU, its Vulkan
# driver and PyTorch (no network, no Node needed):
#   sh run.sh [--size 224] [--batch 32] [--steps 20] [--warmup 3] [--out gpu.json]
#             [--device auto|cuda|cpu] [--allow-software] [--note "machine ..."]
# (1) prints the WebGPU adapter, (2) trains ResNet-18 on webgpu (Node + Dawn, carried here),
# (3) trains the same architecture in PyTorch (fp32, eager, same batch), (4) compares the
# gradients of one fixed batch from the same weights, (5) writes gpu.json (webgpu_vs_pytorch).
# Exit status: 0 done and gradients match, 2 gradients differ, 1 failed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
size=224 batch=32 steps=20 warmup=3 out="$here/gpu.json" device=auto software="" note=""
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --device) device=$2; shift 2 ;;
    --note) note=$2; shift 2 ;;
    --allow-software) software="--allow-software"; shift ;;
    *) echo "run.sh: unknown option $1" >&2; exit 1 ;;
  esac
done
python=${PYTHON:-python3}
"$python" -c "import torch, numpy" 2>/dev/null || { echo "run.sh: $python cannot import torch and numpy (set PYTHON=...)" >&2; exit 1; }
work=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/umedpt-gpu-check.XXXXXX")}
mkdir -p "$work"

# Node travels xz-compressed; Python's lzma unpacks it (no xz tool needed)
node="$work/node"
if [ ! -x "$node" ]; then
  "$python" -c "import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], 'wb'))" "$here/node/node.xz" "$node"
  chmod 755 "$node"
fi
echo "node $("$node" --version), work folder $work"

# the machine's Vulkan loader when it has one, else the one carried in lib/
if ! { /sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null; } | grep -q 'libvulkan\.so\.1'; then
  echo "no Vulkan loader on this machine: using the carried lib/libvulkan.so.1"
  LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export LD_LIBRARY_PATH
fi
if [ -z "${VK_ICD_FILENAMES:-}" ] && ! ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json >/dev/null 2>&1; then
  echo "warning: no Vulkan driver manifest in /usr/share/vulkan/icd.d or /etc/vulkan/icd.d (NVIDIA: nvidia_icd.json comes with the driver; in a container mount it or set VK_ICD_FILENAMES)" >&2
fi

echo "== (1)+(2) webgpu: adapter, gradients of the fixed batch, $steps timed steps (ResNet-18, ${size} px, batch $batch)"
"$node" "$here/engine/webgpuCheck.mjs" --out "$work" --size "$size" --batch "$batch" --steps "$steps" --warmup "$warmup" $software
echo "== (3)+(4)+(5) PyTorch: same weights and batch, gradients compared, $steps timed steps"
"$python" "$here/torch/pytorch_check.py" --work "$work" --out "$out" --steps "$steps" --warmup "$warmup" --device "$device" --note "$note"

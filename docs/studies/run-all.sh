#!/bin/sh
# Leave-one-task-out label-efficiency studies on the four real tasks (docs/eval.md):
# for each task, pretrain on the other three, then study 1/5/10/25/50/100 % of its
# labels, frozen and fine-tuned, 3 seeds, against random initialisation.
#
#   sh docs/studies/run-all.sh <data-folder> [scale]
#
# <data-folder> holds bccd/, isbi2012-em/, retinamnist/ and breastmnist/ as published
# (see its SOURCES.md). scale: small (default, about an hour on 2 cores) or medium.
# Each held-out task gets its own scratch catalog ($UMEDPT_LOTO_WORK/<scale>/<task>,
# default under $TMPDIR or /tmp), so tasks can run in parallel:
#   HELDOUT="bccd retinamnist" sh docs/studies/run-all.sh <data> & HELDOUT="isbi2012-em breastmnist" sh ...
# A finished pretraining or study is not repeated when the script runs again.
# Outputs (table, plot, report per task): docs/studies/<scale>/<task>/, or $UMEDPT_LOTO_OUT.
# PRETRAIN_STEPS overrides the scale's pretraining length and LOTO_MODES=frozen keeps only the
# frozen mode (the ablation in docs/eval.md: PRETRAIN_STEPS=100 LOTO_MODES=frozen HELDOUT=breastmnist).
set -eu
if [ $# -lt 1 ] || [ ! -d "$1" ]; then
  echo "usage: sh docs/studies/run-all.sh <data-folder> [small|medium]" >&2
  exit 2
fi
DATA=$(cd "$1" && pwd)
SCALE=${2:-small}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
UMEDPT="node $ROOT/bin/umedpt.js"
STEPS=${PRETRAIN_STEPS:-}
TAG=$SCALE${STEPS:+-$STEPS-steps}${LOTO_MODES:+-$LOTO_MODES}
WORK=${UMEDPT_LOTO_WORK:-${TMPDIR:-/tmp}/umedpt-loto}/$TAG
OUT=${UMEDPT_LOTO_OUT:-$HERE/$TAG}
HELDOUT=${HELDOUT:-"bccd isbi2012-em retinamnist breastmnist"}

for task in $HELDOUT; do
  export UMEDPT_HOME="$WORK/$task"
  mkdir -p "$UMEDPT_HOME" "$OUT/$task"
  echo "== $task held out ($TAG): catalog $UMEDPT_HOME, $(date -u +%H:%M:%S) UTC"
  if [ ! -f "$UMEDPT_HOME/catalog.sqlite" ]; then
    for d in bccd isbi2012-em retinamnist breastmnist; do $UMEDPT import "$DATA/$d"; done
  fi
  $UMEDPT datasets --json > "$UMEDPT_HOME/datasets.json"
  RUN=$($UMEDPT runs --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s).find(x=>x.state==="completed");console.log(r?r.id:"")})')
  if [ -z "$RUN" ]; then
    node "$HERE/loto-configs.mjs" pretrain "$task" "$SCALE" "$UMEDPT_HOME/datasets.json" $STEPS > "$OUT/$task/pretrain.json"
    $UMEDPT pretrain "$OUT/$task/pretrain.json"
    RUN=$($UMEDPT runs --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s).find(x=>x.state==="completed");console.log(r?r.id:"")})')
    [ -n "$RUN" ] || { echo "pretraining without $task did not complete" >&2; exit 1; }
  fi
  if [ ! -f "$OUT/$task/results.json" ]; then
    node "$HERE/loto-configs.mjs" study "$task" "$SCALE" "$UMEDPT_HOME/datasets.json" "$RUN" > "$OUT/$task/study.json"
    $UMEDPT evaluate "$OUT/$task/study.json" --out "$OUT/$task"
  fi
  echo "== $task done, $(date -u +%H:%M:%S) UTC"
done
node "$HERE/loto-table.mjs" "$OUT"

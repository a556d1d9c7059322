#!/bin/sh
# The real label-efficiency study of docs/eval.md, end to end, in a scratch data folder.
# Needs /work/shared/datasets (BCCD, ISBI-2012 EM, RetinaMNIST). Run from the repository root.
set -e
export UMEDPT_HOME=${UMEDPT_HOME:-/tmp/umedpt-study}
DATA=${DATA:-/work/shared/datasets}
if [ ! -f "$UMEDPT_HOME/catalog.sqlite" ]; then
  # dataset ids 1, 2, 3 in this order (the configs refer to them)
  node bin/umedpt.js import "$DATA/retinamnist"
  node bin/umedpt.js import "$DATA/bccd"
  node bin/umedpt.js import "$DATA/isbi2012-em"
fi
node bin/umedpt.js pretrain docs/label-efficiency/pretrain-bccd-isbi.json
RUN=$(node bin/umedpt.js runs --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s).filter(x=>x.state==="completed");console.log(r[0].id)})')
node bin/umedpt.js export "$RUN" "$UMEDPT_HOME/encoder-bccd-isbi" --checkpoint latest
node bin/umedpt.js evaluate docs/label-efficiency/study-retinamnist.json --out docs/label-efficiency

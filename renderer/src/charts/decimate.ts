/**
 * Min/max decimation for line charts: each of `buckets` equal slices of the
 * series keeps its lowest and highest point (in order), so spikes survive
 * while 100,000 points draw as at most 2 x buckets + 1. The last point is
 * always kept: it is the one the user watches. NaN values are skipped.
 */
export function decimateMinMax(xs: Float64Array, ys: Float64Array, buckets: number): [Float64Array, Float64Array] {
  const n = Math.min(xs.length, ys.length);
  if (n <= buckets * 2 + 1) return [xs.subarray(0, n), ys.subarray(0, n)];
  const outX = new Float64Array(buckets * 2 + 1);
  const outY = new Float64Array(buckets * 2 + 1);
  let k = 0;
  let lastKept = -1;
  const keep = (i: number) => {
    outX[k] = xs[i]!;
    outY[k] = ys[i]!;
    k++;
    lastKept = i;
  };
  const per = n / buckets;
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * per);
    const end = Math.min(n, Math.floor((b + 1) * per));
    let lo = -1;
    let hi = -1;
    for (let i = start; i < end; i++) {
      const y = ys[i]!;
      if (Number.isNaN(y)) continue;
      if (lo < 0 || y < ys[lo]!) lo = i;
      if (hi < 0 || y > ys[hi]!) hi = i;
    }
    if (lo < 0) continue;
    if (lo === hi) keep(lo);
    else if (lo < hi) {
      keep(lo);
      keep(hi);
    } else {
      keep(hi);
      keep(lo);
    }
  }
  if (lastKept !== n - 1 && !Number.isNaN(ys[n - 1]!)) keep(n - 1);
  return [outX.subarray(0, k), outY.subarray(0, k)];
}

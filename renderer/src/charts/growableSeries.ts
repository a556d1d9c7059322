/**
 * x/y points in typed arrays that double when full: appending is O(1)
 * amortised and a chart gets views (no copies) of the filled part, so a
 * 100,000-point curve costs two Float64Arrays, not 100,000 objects.
 */
export class GrowableSeries {
  private xs: Float64Array;
  private ys: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.xs = new Float64Array(capacity);
    this.ys = new Float64Array(capacity);
  }

  push(x: number, y: number): void {
    if (this.length === this.xs.length) {
      const xs = new Float64Array(this.xs.length * 2);
      const ys = new Float64Array(this.ys.length * 2);
      xs.set(this.xs);
      ys.set(this.ys);
      this.xs = xs;
      this.ys = ys;
    }
    this.xs[this.length] = x;
    this.ys[this.length] = y;
    this.length++;
  }

  get x(): Float64Array {
    return this.xs.subarray(0, this.length);
  }

  get y(): Float64Array {
    return this.ys.subarray(0, this.length);
  }

  last(): { x: number; y: number } | null {
    return this.length === 0 ? null : { x: this.xs[this.length - 1]!, y: this.ys[this.length - 1]! };
  }
}

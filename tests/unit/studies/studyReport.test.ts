import { describe, expect, it } from 'vitest';
import { aggregateCurves } from '../../../main/studies/studyCurves';
import { resultsCsv } from '../../../main/studies/resultsTable';
import { labelEfficiencySpec, renderPlotSvg, svgToPng } from '../../../main/studies/labelEfficiencyPlot';
import { htmlReport } from '../../../main/studies/htmlReport';
import { studySavings } from '../../../main/studies/studySavings';
import { evalConfigSchema, type EvalResultRow } from '../../../shared/api/eval';

function row(encoder: string, fraction: number, seed: number, value: number, status: 'ok' | 'tooSmall' = 'ok'): EvalResultRow {
  return { encoder, mode: 'frozen', fraction, seed, trainImages: fraction * 4, testImages: 50, status, metrics: status === 'ok' ? { balancedAccuracy: value, accuracy: value + 0.01 } : {}, seconds: 0.5 };
}

const rows: EvalResultRow[] = [
  row('pretrained', 1, 0, 0.6), row('pretrained', 1, 1, 0.7), row('pretrained', 1, 2, 0.8),
  row('pretrained', 10, 0, 0.9), row('pretrained', 10, 1, 0.9), row('pretrained', 10, 2, 0.9),
  row('random "init", <b>', 1, 0, 0, 'tooSmall'), row('random "init", <b>', 1, 1, 0.4), row('random "init", <b>', 10, 0, 0.5), row('random "init", <b>', 10, 1, 0.7),
];

describe('study curves, table, plot and report', () => {
  it('aggregates mean, sample sd, min and max over seeds, skipping untrained rows', () => {
    const curves = aggregateCurves(rows, 'balancedAccuracy');
    expect(curves.map((c) => c.encoder)).toEqual(['pretrained', 'random "init", <b>']);
    const [p1, p10] = curves[0]!.points;
    expect(p1!.fraction).toBe(1);
    expect(p1!.mean).toBeCloseTo(0.7, 10);
    expect(p1!.sd).toBeCloseTo(0.1, 10);
    expect([p1!.min, p1!.max, p1!.seeds]).toEqual([0.6, 0.8, 3]);
    expect(p10!.sd).toBeCloseTo(0, 10);
    // the too-small seed contributes nothing
    expect(curves[1]!.points[0]).toMatchObject({ fraction: 1, mean: 0.4, seeds: 1, sd: 0 });
  });

  it('writes a CSV with the primary metric first, quoting fields that need it', () => {
    const csv = resultsCsv(rows, 'balancedAccuracy').trim().split('\n');
    expect(csv[0]).toBe('encoder,mode,fraction,seed,trainImages,testImages,status,balancedAccuracy,accuracy,seconds,note');
    expect(csv).toHaveLength(rows.length + 1);
    expect(csv[1]).toBe('pretrained,frozen,1,0,4,50,ok,0.6,0.61,0.5,');
    expect(csv[7]).toMatch(/^"random ""init"", <b>",frozen,1,0,4,50,tooSmall,,,0.5,$/);
  });

  it('draws a log-x plot with one line and one band per encoder, as SVG and PNG', async () => {
    const curves = aggregateCurves(rows, 'balancedAccuracy');
    const spec = labelEfficiencySpec(curves, { title: 't', metric: 'balancedAccuracy' }) as unknown as { layer: Array<{ mark: { type: string }; encoding: { x: { scale: { type: string } } } }> };
    expect(spec.layer.map((l) => l.mark.type)).toEqual(['area', 'line']);
    expect(spec.layer[1]!.encoding.x.scale.type).toBe('log');
    const svg = await renderPlotSvg(curves, { title: 'Downstream: balancedAccuracy', metric: 'balancedAccuracy' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('pretrained');
    expect(svg).toContain('% of training data (log scale)');
    // the axis names the metric for people, not by its key
    expect(svg).toContain('balanced accuracy');
    // one band (area) and one line per encoder (random has two seeds at 10 %)
    expect(svg.match(/class="mark-area/g)).toHaveLength(2);
    expect(svg.match(/class="mark-line/g)).toHaveLength(2);
    const png = svgToPng(svg);
    expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(png.length).toBeGreaterThan(5000);
  });

  it('makes a self-contained HTML report with escaped names and the model cards', async () => {
    const curves = aggregateCurves(rows, 'balancedAccuracy');
    const config = evalConfigSchema.parse({ encoders: [{ kind: 'random' }], task: { kind: 'classification', source: { kind: 'synthetic', variant: 'cell-count-classification' } } });
    const html = htmlReport({
      config, taskDescription: 'synthetic', classNames: ['a', 'b'], primaryMetric: 'balancedAccuracy', rows, curves,
      savings: studySavings(rows, 'balancedAccuracy', ['random "init", <b>']),
      svg: '<svg id="plot"></svg>', modelCards: [{ label: 'pretrained', card: { runName: 'pre <x>' } }], backend: 'wasm', createdAt: 'now', seconds: 3,
    });
    expect(html).toContain('<svg id="plot"></svg>');
    expect(html).toContain('random &quot;init&quot;, &lt;b&gt;');
    expect(html).not.toContain('<b>"');
    expect(html).toContain('pre &lt;x&gt;');
    expect(html).toContain('0.700 ± 0.100 (n=3)');
    expect(html).toContain('<h2>Plot: balanced accuracy on the test split</h2>');
    // one seed is shown as its value alone, never as "± 0.000"
    expect(html).toContain('0.400 (1 seed)');
    expect(html).not.toContain('± 0.000 (n=1)');
    // the saving is stated: pretrained reaches random's 10 %-label mean 0.6 already at 1 %
    expect(html).toContain('Labels saved');
    expect(html).toContain("pretrained reaches random &quot;init&quot;, &lt;b&gt;'s 10 %-label score (0.600) with 1 % of the labels");
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    // a meaningful baseline: the rule is not spelt out
    expect(html).not.toContain('A saving is stated only against');
  });

  it('says "no meaningful baseline" and states the rule when the baseline is at chance', () => {
    const curves = aggregateCurves(rows, 'balancedAccuracy');
    const config = evalConfigSchema.parse({ encoders: [{ kind: 'random' }], task: { kind: 'classification', source: { kind: 'synthetic', variant: 'cell-count-classification' } } });
    // against a chance of 0.6, random's 10 %-label score (0.600) is not clearly above it
    const savings = studySavings(rows, 'balancedAccuracy', ['random "init", <b>'], { chance: 0.6 });
    const html = htmlReport({
      config, taskDescription: 'synthetic', classNames: ['a', 'b'], primaryMetric: 'balancedAccuracy', rows, curves, savings,
      svg: '<svg></svg>', modelCards: [], backend: 'wasm', createdAt: 'now', seconds: 3,
    });
    expect(savings[0]!.reachedAt).toBeNull();
    expect(html).toContain("no meaningful baseline, so no saving is stated for pretrained: random &quot;init&quot;, &lt;b&gt;'s 10 %-label score");
    expect(html).toContain('A saving is stated only against a baseline whose balanced accuracy with all its labels is clearly above chance');
  });
});

/**
 * Writes a finished study's outputs into its folder: results.csv,
 * results.json (rows + curves + settings), label-efficiency.svg / .png and
 * the self-contained report.html.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { EvalCurve, EvalFiles, EvalResultRow, EvalSaving } from '../../shared/api/eval';
import { htmlReport, type ReportInput } from './htmlReport';
import { chanceLevel, renderPlotSvg, svgToPng } from './labelEfficiencyPlot';
import { resultsCsv } from './resultsTable';
import { metricLabel } from '../../shared/metricNames';
import { aggregateCurves } from './studyCurves';
import { baselineLabels, studySavings } from './studySavings';

export function studyFiles(dir: string): EvalFiles {
  return {
    csv: path.join(dir, 'results.csv'),
    json: path.join(dir, 'results.json'),
    svg: path.join(dir, 'label-efficiency.svg'),
    png: path.join(dir, 'label-efficiency.png'),
    html: path.join(dir, 'report.html'),
  };
}

export interface StudyResultsFile {
  primaryMetric: string;
  rows: EvalResultRow[];
  curves: EvalCurve[];
  savings: EvalSaving[];
  taskDescription: string;
  backend: string;
}

export async function writeStudyOutputs(dir: string, input: Omit<ReportInput, 'curves' | 'svg' | 'savings'>): Promise<{ files: EvalFiles; curves: EvalCurve[]; svg: string }> {
  mkdirSync(dir, { recursive: true });
  const files = studyFiles(dir);
  const curves = aggregateCurves(input.rows, input.primaryMetric);
  const chance = chanceLevel(input.primaryMetric, input.classNames.length);
  const savings = studySavings(input.rows, input.primaryMetric, baselineLabels(input.config), { chance });
  const svg = await renderPlotSvg(curves, { title: `${input.config.task.name}: ${metricLabel(input.primaryMetric)} on the test split vs labelled data`, metric: input.primaryMetric, chance });
  writeFileSync(files.svg, svg);
  writeFileSync(files.png, svgToPng(svg));
  writeFileSync(files.csv, resultsCsv(input.rows, input.primaryMetric));
  const json: StudyResultsFile = { primaryMetric: input.primaryMetric, rows: [...input.rows], curves, savings, taskDescription: input.taskDescription, backend: input.backend };
  writeFileSync(files.json, JSON.stringify({ ...json, config: input.config, modelCards: input.modelCards }, null, 2));
  writeFileSync(files.html, htmlReport({ ...input, curves, savings, svg }));
  return { files, curves, svg };
}

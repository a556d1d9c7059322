import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { taskKinds, type TaskKind } from '../../../../shared/vocabulary';
import { classification } from '../../../../main/engine/tasks/classification';
import { detection } from '../../../../main/engine/tasks/detection';
import { segmentation } from '../../../../main/engine/tasks/segmentation';
import type { TaskKindModule } from '../../../../main/engine/tasks/taskKindModule';
import { taskKindModule, taskKindModules, type TaskKindRegistry } from '../../../../main/engine/tasks/taskKindRegistry';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/**
 * Every member a module must have. `satisfies Record<keyof TaskKindModule, …>`
 * keeps this list complete: a member added to the interface and not here does
 * not compile.
 */
const members = {
  kind: 'string',
  sharedBranch: 'string',
  hasBackgroundClass: 'boolean',
  dropsSamplesWithoutClass: 'boolean',
  studyMetricName: 'string',
  frozenStudy: 'string',
  checkSpec: 'function',
  buildHead: 'function',
  forward: 'function',
  startTargets: 'function',
  addTargets: 'function',
  randomTargets: 'function',
  loss: 'function',
  emptyPrediction: 'function',
  appendPrediction: 'function',
  metrics: 'function',
  primaryMetricName: 'function',
  studyTargets: 'function',
  remapSample: 'function',
  viewPrediction: 'function',
  confusionMatrix: 'function',
} as const satisfies Record<keyof TaskKindModule, 'string' | 'boolean' | 'function'>;

/**
 * Type-level checks, compiled by `npm run typecheck` (tests are in
 * tsconfig.main.json) and never run: each `@ts-expect-error` must meet an
 * error, or the directive itself is the error.
 */
export function registryTypeChecks(): unknown[] {
  // @ts-expect-error a kind without a module
  const missingKind = { classification, segmentation } satisfies TaskKindRegistry;
  const { loss: _loss, ...detectionWithoutLoss } = detection;
  // @ts-expect-error a module without its loss
  const missingMember = { classification, segmentation, detection: detectionWithoutLoss } satisfies TaskKindRegistry;
  // @ts-expect-error a module filed under another kind
  const wrongKey = { classification, segmentation, detection: segmentation } satisfies TaskKindRegistry;
  // @ts-expect-error a kind the vocabulary does not have
  const extraKind = { classification, segmentation, detection, regression: detection } satisfies TaskKindRegistry;
  const complete = { classification, segmentation, detection } satisfies TaskKindRegistry;
  return [missingKind, missingMember, wrongKey, extraKind, complete];
}

/** Type errors of each probe source, compiled (in one program) beside this test against the real sources. */
function typeErrors(sources: Record<string, string>): Record<string, string[]> {
  const dir = path.join(root, 'tests', 'unit', 'engine', 'tasks');
  const probes = new Map(Object.entries(sources).map(([name, source]) => [path.join(dir, `registryProbe_${name}_${process.pid}.ts`), { name, source }]));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noUncheckedIndexedAccess: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
    lib: ['lib.es2022.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (file) => probes.has(file) || ts.sys.fileExists(file);
  host.readFile = (file) => probes.get(file)?.source ?? readFile(file);
  host.getSourceFile = (file, language, onError) => {
    const probe = probes.get(file);
    return probe ? ts.createSourceFile(file, probe.source, language) : getSourceFile(file, language, onError);
  };
  const program = ts.createProgram({ rootNames: [...probes.keys()], options, host });
  const errors: Record<string, string[]> = Object.fromEntries(Object.keys(sources).map((name) => [name, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const probe = d.file && probes.get(d.file.fileName);
    if (probe) errors[probe.name]!.push(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }
  return errors;
}

const imports = `
import { classification } from '../../../../main/engine/tasks/classification';
import { detection } from '../../../../main/engine/tasks/detection';
import { segmentation } from '../../../../main/engine/tasks/segmentation';
import type { TaskKindRegistry } from '../../../../main/engine/tasks/taskKindRegistry';
`;

describe('task kind registry', () => {
  it('has a module for every task kind of the vocabulary, filed under its own kind, with every member', () => {
    expect(Object.keys(taskKindModules).sort()).toEqual([...taskKinds].sort());
    for (const kind of taskKinds) {
      const module = taskKindModule(kind);
      expect(module.kind).toBe(kind);
      for (const [member, type] of Object.entries(members)) expect(typeof module[member as keyof TaskKindModule], `${kind}.${member}`).toBe(type);
    }
  });

  it('refuses a kind it has no module for, naming it and the known ones', () => {
    expect(() => taskKindModule('regression' as TaskKind)).toThrow(/unknown task kind 'regression'; the engine knows classification, segmentation, detection/);
    expect(() => taskKindModule('toString' as TaskKind)).toThrow(/unknown task kind 'toString'/);
  });

  it('makes an incomplete registry a compile error, and compiles the complete one', { timeout: 120_000 }, () => {
    const errors = typeErrors({
      complete: `${imports}export const r = { classification, segmentation, detection } satisfies TaskKindRegistry;\n`,
      missingKind: `${imports}export const r = { classification, segmentation } satisfies TaskKindRegistry;\n`,
      missingLoss: `${imports}const { loss: _l, ...noLoss } = detection;\nexport const r = { classification, segmentation, detection: noLoss } satisfies TaskKindRegistry;\n`,
      wrongKey: `${imports}export const r = { classification, segmentation, detection: segmentation } satisfies TaskKindRegistry;\n`,
    });
    expect(errors.complete).toEqual([]);
    expect(errors.missingKind!.join('\n')).toMatch(/Property 'detection' is missing/);
    expect(errors.missingLoss!.join('\n')).toMatch(/Property 'loss' is missing/);
    expect(errors.wrongKey!.join('\n')).toMatch(/"segmentation"' is not assignable to type '"detection"'/);
  });
});

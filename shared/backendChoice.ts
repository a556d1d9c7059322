/**
 * Which engine backend a process uses, as pure functions of what it was asked
 * and what the probes found: one home for the precedence of the choices (the
 * run's own > UMEDPT_BACKEND > the setting > automatic) and for the automatic
 * order (tensorflow-gpu > webgpu on a hardware adapter > tensorflow > wasm >
 * cpu). The CLI's engine (initEngine), the static probe (system/info) and the
 * desktop app's engine-window decision all walk this one order.
 */
import { backendChoices, backendNames, type BackendName } from './vocabulary';

/** Who decided the backend: the run's (study's, tool's) own config, UMEDPT_BACKEND, the app setting, or nobody. */
export const backendSources = ['config', 'environment', 'setting', 'automatic'] as const;
export type BackendSource = (typeof backendSources)[number];

export interface BackendRequest {
  /** the backend asked for; null: automatic */
  forced: BackendName | null;
  source: BackendSource;
}

/** How the app's "Default engine backend" setting reaches an engine process (set by the services' launcher). */
export const backendSettingVariable = 'UMEDPT_BACKEND_SETTING';

/** The automatic order, best first (the vocabulary declares the backends in it). */
export const automaticOrder: readonly BackendName[] = backendNames;

export const automaticOrderText = 'tensorflow-gpu > webgpu (hardware adapter) > tensorflow > wasm > cpu';

/** A short label for a source, beside the backend in `umedpt runs`: "cpu (setting)". */
export const backendSourceLabels: Record<BackendSource, string> = {
  config: 'run config',
  environment: 'UMEDPT_BACKEND',
  setting: 'setting',
  automatic: 'automatic',
};

/** Words for a source in a reason: "forced to cpu by the setting". */
export const backendSourceWords: Record<BackendSource, string> = {
  config: "the run's config",
  environment: 'UMEDPT_BACKEND',
  setting: 'the setting "Default engine backend"',
  automatic: 'automatic selection',
};

function parseChoice(raw: string | null | undefined, where: (raw: string) => string): BackendName | null {
  const value = raw?.trim();
  if (!value || value === 'auto') return null;
  if (!(backendNames as readonly string[]).includes(value)) throw new Error(`${where(value)} is not one of ${backendChoices.join(', ')}`);
  return value as BackendName;
}

/**
 * The precedence: an explicit choice of the run (not 'auto') > UMEDPT_BACKEND
 * > the setting > automatic. An unknown value is an error naming where it came from.
 */
export function resolveBackendRequest(input: { config?: string | null; environment?: string; setting?: string }): BackendRequest {
  const fromConfig = parseChoice(input.config, (v) => `the config's backend "${v}"`);
  if (fromConfig) return { forced: fromConfig, source: 'config' };
  const fromEnvironment = parseChoice(input.environment, (v) => `UMEDPT_BACKEND=${v}`);
  if (fromEnvironment) return { forced: fromEnvironment, source: 'environment' };
  const fromSetting = parseChoice(input.setting, (v) => `the backend setting "${v}"`);
  if (fromSetting) return { forced: fromSetting, source: 'setting' };
  return { forced: null, source: 'automatic' };
}

/** The request of an engine process: its config's choice, then its environment (UMEDPT_BACKEND, the setting's variable). */
export function backendRequestFor(config: string | null | undefined, env: Record<string, string | undefined>): BackendRequest {
  return resolveBackendRequest({ config, environment: env.UMEDPT_BACKEND, setting: env[backendSettingVariable] });
}

/** What probing one backend found: it loads (webgpu: on this adapter), or why not. */
export type BackendProbeResult =
  | { usable: true; adapter?: { software: boolean; description: string } | null }
  | { usable: false; reason: string };

/** Why automatic selection passes over a backend that loads, or null: webgpu only on a hardware adapter. */
export function automaticExclusion(name: BackendName, result: BackendProbeResult): string | null {
  if (!result.usable) return result.reason;
  if (name === 'webgpu') {
    if (!result.adapter) return 'no WebGPU adapter';
    if (result.adapter.software) return `only a software adapter (${result.adapter.description || 'unnamed'}); a software adapter is used only when webgpu is forced`;
  }
  return null;
}

export type AutomaticStep =
  | { kind: 'chosen'; backend: BackendName; reason: string }
  /** this backend decides next: probe it and walk again */
  | { kind: 'probe'; backend: BackendName }
  | { kind: 'none'; reasons: Array<{ name: BackendName; reason: string }> };

/**
 * Walks the automatic order over the probe results known so far: the first
 * backend that loads and is not excluded is chosen; a backend not probed yet
 * before it is the next to probe (so a caller probes lazily, best first).
 */
export function automaticBackend(results: Partial<Record<BackendName, BackendProbeResult>>): AutomaticStep {
  const passed: Array<{ name: BackendName; reason: string }> = [];
  for (const name of automaticOrder) {
    const result = results[name];
    if (!result) return { kind: 'probe', backend: name };
    const excluded = automaticExclusion(name, result);
    if (excluded === null) return { kind: 'chosen', backend: name, reason: `automatic: first usable in order ${automaticOrderText}` };
    passed.push({ name, reason: excluded });
  }
  return { kind: 'none', reasons: passed };
}

/** The local probes without webgpu's: in the desktop app Dawn cannot run, and the engine window's adapter answers for webgpu. */
export function besideWebgpu(probes: Partial<Record<BackendName, BackendProbeResult>>): Partial<Record<BackendName, BackendProbeResult>> {
  return Object.fromEntries(Object.entries(probes).filter(([name]) => name !== 'webgpu'));
}

/** Desktop app, automatic: whether the walk reaches webgpu (everything ranked above it failed), so the engine window's adapter decides. */
export function engineWindowDecides(localProbes: Partial<Record<BackendName, BackendProbeResult>>): boolean {
  const step = automaticBackend(besideWebgpu(localProbes));
  return step.kind === 'probe' && step.backend === 'webgpu';
}

/** Desktop app, automatic: the walk over the local probes plus the adapter Chromium offers (null: none, with the reason). */
export function automaticWithChromiumAdapter(
  localProbes: Partial<Record<BackendName, BackendProbeResult>>,
  adapter: { software: boolean; description: string } | null,
  noAdapterReason = "no WebGPU adapter in Chromium",
): AutomaticStep {
  return automaticBackend({ ...besideWebgpu(localProbes), webgpu: adapter ? { usable: true, adapter } : { usable: false, reason: noAdapterReason } });
}

/** A WebGPU adapter's name or architecture that says it runs on the CPU (SwiftShader, llvmpipe, lavapipe, ...). */
export const softwareAdapterPattern = /swiftshader|llvmpipe|lavapipe|software|microsoft basic render/i;

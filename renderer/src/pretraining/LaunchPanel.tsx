import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { RunSummary } from '../../../shared/api/runs';
import { encoderNames, syntheticVariantNames, syntheticVariants, type RunConfigProblem } from '../../../shared/runConfig';
import { useClient, useQuery } from '../client/clientContext';
import { ErrorMessage } from '../components/ErrorMessage';
import { useAction } from '../components/useAction';
import { useTaskLibrary } from '../tasks/taskLibrary';
import { buildRunConfig, defaultLaunchForm, fieldOfProblem, launchFormProblems, parseNumberField, type BackendChoice, type LaunchForm } from './launchForm';
import { inputSizeChoices, suggestedModel } from './runDefaults';
import { RunOnField, clusterLaunchOf, defaultRunOn, type RunOn } from './RunOnField';

/** The augmentation switches of the form, with their labels. */
const augmentationChoices: ReadonlyArray<readonly ['horizontalFlip' | 'verticalFlip' | 'rotate90' | 'scale' | 'intensity', string]> = [
  ['horizontalFlip', 'horizontal flips'],
  ['verticalFlip', 'vertical flips'],
  ['rotate90', '90° rotations'],
  ['scale', 'random zoom'],
  ['intensity', 'brightness / contrast / noise'],
];

/** The new-run form: tasks, model, optimiser, duration and backend, checked by the engine as it is edited. */
export function LaunchPanel({ onLaunched }: { onLaunched(run: RunSummary): void }) {
  const client = useClient();
  const info = useQuery('system/info', {});
  const library = useTaskLibrary();
  const suggested = suggestedModel(info.data?.selectedBackend ?? null);
  const [form, setForm] = useState<LaunchForm | null>(null);
  const [problems, setProblems] = useState<RunConfigProblem[]>([]);
  const launch = useAction();
  const [runOn, setRunOn] = useState<RunOn>(defaultRunOn);

  // Defaults follow the backend this machine selected, once system/info is known.
  useEffect(() => {
    if (info.data && !form) setForm(defaultLaunchForm(suggestedModel(info.data.selectedBackend)));
    if (info.error && !form) setForm(defaultLaunchForm(suggestedModel(null)));
  }, [info.data, info.error, form]);

  const formProblems = useMemo(() => (form ? launchFormProblems(form) : []), [form]);
  // the engine checks the config once the form's own fields are valid (its messages would repeat them less clearly)
  const config = useMemo(() => (form && formProblems.length === 0 ? buildRunConfig(form, library.tasks) : null), [form, formProblems.length, library.tasks]);
  useEffect(() => {
    if (!config) {
      setProblems([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      client.call('runs/validate', { config }).then(
        (r) => live && setProblems(r.problems),
        (e: Error) => live && setProblems([{ path: '', message: e.message }]),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, config]);

  if (!form) return <div className="panel">Loading…</div>;
  const set = <K extends keyof LaunchForm>(key: K, value: LaunchForm[K]) => setForm((f) => (f ? { ...f, [key]: value } : f));
  const at = (field: keyof LaunchForm | 'tasks') => [...formProblems.filter((p) => p.field === field).map((p) => ({ path: p.field, message: p.message })), ...problems.filter((p) => fieldOfProblem(p.path) === field)];
  const unplaced = problems.filter((p) => fieldOfProblem(p.path) === null);
  const noTasks = form.taskIds.length + form.synthetic.length === 0;
  const toggle = <T,>(list: T[], item: T) => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);
  const num = (value: string) => parseNumberField(value);
  const shown = (value: number) => (Number.isNaN(value) ? '' : value);

  const onLaunch = async () => {
    if (!config) return;
    const cluster = clusterLaunchOf(runOn);
    const run = await launch.run(() => (cluster ? client.call('cluster/launch', { config, ...cluster }) : client.call('runs/launch', { config })));
    if (run) onLaunched(run);
  };

  return (
    <div className="panel launch-panel" role="region" aria-label="New pretraining run">
      <div className="launch-grid">
        <fieldset>
          <legend>Tasks</legend>
          {library.tasks.length === 0 && (
            <p className="muted small">
              No tasks of your own yet: <a href="#/tasks">make one from a dataset</a>, or use built-in ones.
            </p>
          )}
          {library.tasks.map((t) => (
            <label key={t.id} className="check task-choice">
              <input type="checkbox" checked={form.taskIds.includes(t.id)} onChange={() => set('taskIds', toggle(form.taskIds, t.id))} />
              {t.name} <span className="muted small">{t.kind}</span>
            </label>
          ))}
          <details open={library.tasks.length === 0 || form.synthetic.length > 0}>
            <summary className="small">Built-in synthetic tasks</summary>
            {syntheticVariantNames.map((v) => (
              <label key={v} className="check task-choice">
                <input type="checkbox" checked={form.synthetic.includes(v)} onChange={() => set('synthetic', toggle(form.synthetic, v))} />
                {v} <span className="muted small">{syntheticVariants[v]}</span>
              </label>
            ))}
          </details>
          <FieldProblems problems={at('tasks')} />
          {noTasks && <p className="muted small">Choose at least one task.</p>}
        </fieldset>

        <fieldset>
          <legend>Model</legend>
          <p className="muted small suggestion">Suggested for this machine: {suggested.reason}.</p>
          <div className="form-grid compact-grid">
            <Field id="run-encoder" label="Encoder" problems={at('encoder')}>
              <select id="run-encoder" value={form.encoder} onChange={(e) => set('encoder', e.target.value as LaunchForm['encoder'])}>
                {encoderNames.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="run-input-size" label="Input size (px)" problems={at('inputSize')}>
              <input id="run-input-size" type="number" min={32} max={1024} step={32} list="input-sizes" value={shown(form.inputSize)} onChange={(e) => set('inputSize', num(e.target.value))} />
              <datalist id="input-sizes">
                {inputSizeChoices.map((s) => (
                  <option key={s} value={s} />
                ))}
              </datalist>
            </Field>
            <Field id="run-batch" label="Batch per task" problems={at('batchSize')}>
              <input id="run-batch" type="number" min={1} max={512} value={shown(form.batchSize)} onChange={(e) => set('batchSize', num(e.target.value))} />
            </Field>
            <Field id="run-backend" label="Backend" problems={at('backend')}>
              <select id="run-backend" value={form.backend} onChange={(e) => set('backend', e.target.value as BackendChoice)}>
                <option value="auto">Automatic ({info.data?.selectedBackend ?? '…'})</option>
                {info.data?.backends.map((b) => (
                  <option key={b.name} value={b.name} disabled={!b.installed}>
                    {b.name}
                    {b.installed ? '' : ' (not installed)'}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        </fieldset>

        <fieldset>
          <legend>Training</legend>
          <div className="form-grid compact-grid">
            <Field id="run-duration" label="Length" problems={[...at('epochs'), ...at('steps')]}>
              <div className="row tight nowrap-row">
                <select id="run-duration" className="compact" value={form.duration} onChange={(e) => set('duration', e.target.value as LaunchForm['duration'])} aria-label="Measure training length in">
                  <option value="epochs">epochs</option>
                  <option value="steps">steps</option>
                </select>
                {form.duration === 'epochs' ? (
                  <input type="number" className="compact narrow" min={1} value={shown(form.epochs)} onChange={(e) => set('epochs', num(e.target.value))} aria-label="Epochs" />
                ) : (
                  <input type="number" className="compact narrow" min={1} value={shown(form.steps)} onChange={(e) => set('steps', num(e.target.value))} aria-label="Steps" />
                )}
              </div>
            </Field>
            <Field id="run-checkpoint-every" label="Checkpoint every (steps; 0 = per epoch)" problems={at('checkpointEverySteps')}>
              <input id="run-checkpoint-every" type="number" min={0} value={shown(form.checkpointEverySteps)} onChange={(e) => set('checkpointEverySteps', num(e.target.value))} />
            </Field>
            <Field id="run-lr" label="Learning rate (AdamW)" problems={at('learningRate')}>
              <input id="run-lr" type="number" step="any" min={0} value={shown(form.learningRate)} onChange={(e) => set('learningRate', num(e.target.value))} />
            </Field>
            <Field id="run-wd" label="Weight decay" problems={at('weightDecay')}>
              <input id="run-wd" type="number" step="any" min={0} value={shown(form.weightDecay)} onChange={(e) => set('weightDecay', num(e.target.value))} />
            </Field>
            <Field id="run-schedule" label="Schedule" problems={[]}>
              <select id="run-schedule" value={form.schedule} onChange={(e) => set('schedule', e.target.value as LaunchForm['schedule'])}>
                <option value="none">constant</option>
                <option value="cosine">cosine</option>
                <option value="poly">poly</option>
                <option value="step">step</option>
              </select>
            </Field>
            <Field id="run-warmup" label="Warm-up steps" problems={at('warmupSteps')}>
              <input id="run-warmup" type="number" min={0} value={shown(form.warmupSteps)} onChange={(e) => set('warmupSteps', num(e.target.value))} />
            </Field>
            <Field id="run-seed" label="Seed" problems={at('seed')}>
              <input id="run-seed" type="number" value={shown(form.seed)} onChange={(e) => set('seed', num(e.target.value))} />
            </Field>
          </div>
          <div className="row tight augment">
            {augmentationChoices.map(([key, label]) => (
              <label key={key} className="check small">
                <input type="checkbox" checked={form[key]} onChange={(e) => set(key, e.target.checked)} />
                {label}
              </label>
            ))}
          </div>
        </fieldset>
      </div>
      <RunOnField value={runOn} onChange={setRunOn} />
      <div className="row launch-actions">
        <label htmlFor="run-name" className="small nowrap">
          Run name
        </label>
        <input id="run-name" value={form.name} onChange={(e) => set('name', e.target.value)} />
        <button type="button" onClick={onLaunch} disabled={launch.busy || noTasks || !config || formProblems.length > 0 || problems.length > 0}>
          {launch.busy ? 'Launching…' : 'Launch'}
        </button>
      </div>
      <FieldProblems problems={unplaced} />
      <ErrorMessage error={launch.error} title="The run did not start" />
    </div>
  );
}

function Field({ id, label, problems, children }: { id: string; label: string; problems: RunConfigProblem[]; children: ReactNode }) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <div>
        {children}
        <FieldProblems problems={problems} />
      </div>
    </>
  );
}

function FieldProblems({ problems }: { problems: RunConfigProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <div role="alert">
      <ul className="field-problems">
        {problems.map((p, i) => (
          <li key={i}>{p.message}</li>
        ))}
      </ul>
    </div>
  );
}

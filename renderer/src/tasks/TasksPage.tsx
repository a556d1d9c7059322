import { useEffect, useMemo, useState } from 'react';
import type { DatasetDetail, SplitName } from '../../../shared/api/catalog';
import { splitNames } from '../../../shared/vocabulary';
import { syntheticVariantNames, syntheticVariants, type RunTaskKind } from '../../../shared/runConfig';
import { useClient, useQuery } from '../client/clientContext';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatCount } from '../lib/format';
import { splitLabels } from '../lib/splitColours';
import { suggestedModel } from '../pretraining/runDefaults';
import { classColour, cssColour } from '../viewer/maskColouring';
import { backgroundOf, draftFromDataset, inputSizeNote, kindsForDataset, targetClasses, toRunTaskConfig, validateTaskDraft, type TaskDraft, type TaskProblem } from './taskDraft';
import { newTaskId, useTaskLibrary } from './taskLibrary';

const splits: readonly SplitName[] = splitNames;

/** Tasks: datasets seen through a label type, a class selection and splits. */
export function TasksPage() {
  const library = useTaskLibrary();
  const datasets = useQuery('catalog/listDatasets', { includeDeleted: false });
  const [editing, setEditing] = useState<TaskDraft | 'new' | null>(null);
  const datasetName = (id: number) => datasets.data?.find((d) => d.id === id)?.name ?? `dataset #${id} (missing)`;

  return (
    <section className="page tasks-page">
      <div className="page-head">
        <h1>Tasks</h1>
        <button type="button" onClick={() => setEditing('new')} disabled={editing !== null}>
          New task from a dataset…
        </button>
      </div>
      <ErrorMessage error={datasets.error} title="Datasets could not be listed" />
      {editing && (
        <TaskEditor
          key={editing === 'new' ? 'new' : editing.id}
          initial={editing === 'new' ? null : editing}
          otherNames={library.tasks.filter((t) => editing === 'new' || t.id !== editing.id).map((t) => t.name)}
          onSave={(t) => {
            void library.upsert(t);
            setEditing(null);
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      <h2>Your tasks</h2>
      <ErrorMessage error={library.error} title="Tasks could not be saved or listed" />
      {library.lastDeleted && (
        <p className="row" role="status">
          Deleted “{library.lastDeleted.name}”.{' '}
          <button type="button" className="secondary small-button" onClick={() => void library.undoDelete()}>
            Undo
          </button>
        </p>
      )}
      {library.tasks.length === 0 ? (
        <p className="muted">No tasks yet. Make one from an imported dataset, or pretrain on the built-in synthetic tasks below.</p>
      ) : (
        <table className="table" data-testid="task-table">
          <thead>
            <tr>
              <th>Task</th>
              <th>Dataset</th>
              <th>Label type</th>
              <th>Classes</th>
              <th>Train / validate on</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {library.tasks.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>{datasetName(t.datasetId)}</td>
                <td>
                  {t.kind}
                  {t.multiLabel ? ' (multi-label)' : ''}
                </td>
                <td>{targetClasses(t).join(', ') || <span className="muted">–</span>}</td>
                <td>
                  {t.trainSplit} / {t.valSplit}
                </td>
                <td className="nowrap">
                  <button type="button" className="secondary small-button" onClick={() => setEditing(t)} aria-label={`Edit ${t.name}`}>
                    Edit
                  </button>{' '}
                  <button type="button" className="secondary small-button" onClick={() => void library.remove(t.id)} aria-label={`Delete ${t.name}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Built-in synthetic tasks</h2>
      <p className="muted small">Generated microscopy-like images with exact labels: the Pretraining page can use them with no imported data, e.g. to try a configuration.</p>
      <table className="table narrow-table">
        <tbody>
          {syntheticVariantNames.map((v) => (
            <tr key={v}>
              <td>{v}</td>
              <td>{syntheticVariants[v]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function problemsFor(problems: TaskProblem[], field: TaskProblem['field']) {
  const list = problems.filter((p) => p.field === field);
  if (list.length === 0) return null;
  return (
    <div role="alert">
      <ul className="field-problems">
        {list.map((p, i) => (
          <li key={i}>{p.message}</li>
        ))}
      </ul>
    </div>
  );
}

function TaskEditor({ initial, otherNames, onSave, onCancel }: { initial: TaskDraft | null; otherNames: string[]; onSave(t: TaskDraft): void; onCancel(): void }) {
  const client = useClient();
  const datasets = useQuery('catalog/listDatasets', { includeDeleted: false });
  const [datasetId, setDatasetId] = useState<number | null>(initial?.datasetId ?? null);
  const dataset = useQuery('catalog/getDataset', datasetId ? { datasetId } : null);
  const stats = useQuery('catalog/statistics', datasetId ? { datasetId } : null);
  const [draft, setDraft] = useState<TaskDraft | null>(initial);
  const [serverProblems, setServerProblems] = useState<string[]>([]);
  const info = useQuery('system/info', {});
  const inputSize = suggestedModel(info.data?.selectedBackend ?? null).inputSize;
  const ready = datasets.data?.filter((d) => d.state === 'ready' && d.kind !== 'unlabelled') ?? [];

  // A newly chosen dataset starts a fresh draft with every class kept.
  useEffect(() => {
    if (dataset.data && (!draft || draft.datasetId !== dataset.data.id)) setDraft(draftFromDataset(dataset.data, initial?.id ?? newTaskId()));
  }, [dataset.data, draft, initial]);

  const d = dataset.data && draft && draft.datasetId === dataset.data.id ? dataset.data : null;
  const problems = useMemo(() => (d && draft ? validateTaskDraft(draft, d, stats.data, otherNames) : []), [d, draft, stats.data, otherNames]);

  // The engine's own checks (dataset readable, classes present...) run on the same task as a one-task run.
  const runTask = useMemo(() => (d && draft && problems.length === 0 ? toRunTaskConfig(draft, 8) : null), [d, draft, problems.length]);
  useEffect(() => {
    if (!runTask) {
      setServerProblems([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      client.call('runs/validate', { config: { tasks: [runTask], steps: 1 } }).then(
        (r) => live && setServerProblems(r.problems.map((p) => p.message)),
        (e: Error) => live && setServerProblems([e.message]),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, runTask]);

  const update = (patch: Partial<TaskDraft>) => setDraft((t) => (t ? { ...t, ...patch } : t));
  const setClass = (source: string, target: string | null) =>
    setDraft((t) => {
      if (!t) return t;
      const classes = { ...t.classes };
      if (target === null) delete classes[source];
      else classes[source] = target;
      return { ...t, classes };
    });

  return (
    <div className="panel task-editor" role="region" aria-label="Task editor">
      <h2>{initial ? `Edit task “${initial.name}”` : 'New task'}</h2>
      <div className="form-grid">
        <label htmlFor="task-dataset">Dataset</label>
        <select id="task-dataset" value={datasetId ?? ''} onChange={(e) => setDatasetId(e.target.value ? Number(e.target.value) : null)}>
          <option value="">Choose a dataset…</option>
          {ready.map((ds) => (
            <option key={ds.id} value={ds.id}>
              {ds.name} ({ds.kind}, {formatCount(ds.imageCount)} images)
            </option>
          ))}
        </select>
        {datasets.data && ready.length === 0 && (
          <p className="muted small span-2">
            No labelled dataset is ready yet: <a href="#/datasets/import">import one</a>.
          </p>
        )}
      </div>
      <ErrorMessage error={dataset.error} />
      {d && draft && (
        <>
          <div className="form-grid">
            <label htmlFor="task-name">Task name</label>
            <div>
              <input id="task-name" value={draft.name} onChange={(e) => update({ name: e.target.value })} aria-invalid={problems.some((p) => p.field === 'name')} />
              {problemsFor(problems, 'name')}
            </div>
            <label htmlFor="task-kind">Label type</label>
            <div>
              <select id="task-kind" value={draft.kind} onChange={(e) => update({ kind: e.target.value as RunTaskKind })}>
                {kindsForDataset(d.kind).map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </select>
              {problemsFor(problems, 'kind')}
              {problemsFor(problems, 'dataset')}
            </div>
            {draft.kind === 'classification' && (
              <>
                <span />
                <label className="check">
                  <input type="checkbox" checked={draft.multiLabel} onChange={(e) => update({ multiLabel: e.target.checked })} />
                  Multi-label (an image may carry several classes)
                </label>
              </>
            )}
            <label htmlFor="task-train-split">Train on</label>
            <select id="task-train-split" value={draft.trainSplit} onChange={(e) => update({ trainSplit: e.target.value as SplitName })}>
              {splits.map((s) => (
                <option key={s} value={s}>
                  {splitLabels[s]} ({formatCount(d.splitCounts[s])} images)
                </option>
              ))}
            </select>
            <label htmlFor="task-val-split">Validate on</label>
            <div>
              <select id="task-val-split" value={draft.valSplit} onChange={(e) => update({ valSplit: e.target.value as SplitName })}>
                {splits.map((s) => (
                  <option key={s} value={s}>
                    {splitLabels[s]} ({formatCount(d.splitCounts[s])} images)
                  </option>
                ))}
              </select>
              {problemsFor(problems, 'splits')}
            </div>
            {stats.data && inputSizeNote(stats.data.sizeHistogram, inputSize) && (
              <p className="warn small span-2" data-testid="input-size-note">
                Input size: {inputSizeNote(stats.data.sizeHistogram, inputSize)}.
              </p>
            )}
            <label htmlFor="task-max-train">Training images (0 = all)</label>
            <input id="task-max-train" type="number" min={0} value={Number.isNaN(draft.maxTrainImages) ? '' : draft.maxTrainImages} onChange={(e) => update({ maxTrainImages: e.target.value.trim() === '' ? NaN : Number(e.target.value) })} />
          </div>

          <h3 className="subhead">Classes</h3>
          <p className="muted small">Untick a class to leave it out; give several classes the same target name to merge them.</p>
          {draft.kind === 'segmentation' && (
            <p className="muted small" data-testid="scored-classes">
              Scored: every kept class{backgroundOf(draft) ? ` except “${backgroundOf(draft)}”, the background` : ' (no background class)'}. Mark the background in the table; its pixels count in training but not in Dice.
            </p>
          )}
          <ClassTable dataset={d} draft={draft} counts={stats.data?.classCounts ?? []} setClass={setClass} setBackground={(background) => update({ background })} />
          {problemsFor(problems, 'classes')}
          {serverProblems.length > 0 && <ErrorMessage error={serverProblems.join('\n')} title="The engine cannot train this task yet" />}
          <div className="row actions">
            <button type="button" onClick={() => onSave({ ...draft, name: draft.name.trim() })} disabled={problems.length > 0}>
              Save task
            </button>
            <button type="button" className="secondary" onClick={onCancel}>
              Cancel
            </button>
            {problems.length > 0 && <span className="muted small">{problems.length === 1 ? '1 problem to fix' : `${problems.length} problems to fix`}</span>}
          </div>
        </>
      )}
      {!d && (
        <div className="row actions">
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      )}
    </div>
  );
}

function ClassTable({
  dataset,
  draft,
  counts,
  setClass,
  setBackground,
}: {
  dataset: DatasetDetail;
  draft: TaskDraft;
  counts: Array<{ name: string; images: Record<SplitName, number> }>;
  setClass(source: string, target: string | null): void;
  setBackground(target: string | null): void;
}) {
  if (dataset.classes.length === 0) return <p className="muted">This dataset has no named classes.</p>;
  const segmentation = draft.kind === 'segmentation';
  const background = backgroundOf(draft);
  return (
    <table className="table class-table">
      <thead>
        <tr>
          <th>Keep</th>
          <th>Class</th>
          <th className="num">Train</th>
          <th className="num">Val</th>
          <th className="num">Test</th>
          <th>Merge into</th>
          {segmentation && <th title="Left out of the Dice / IoU means: pixels that are not an object">Background</th>}
        </tr>
      </thead>
      <tbody>
        {dataset.classes.map((c) => {
          const kept = c.name in draft.classes;
          const n = counts.find((x) => x.name === c.name)?.images;
          const target = draft.classes[c.name]?.trim() ?? '';
          return (
            <tr key={c.index} className={kept ? '' : 'muted'}>
              <td>
                <input type="checkbox" checked={kept} onChange={(e) => setClass(c.name, e.target.checked ? c.name : null)} aria-label={`Keep class ${c.name}`} />
              </td>
              <td>
                {segmentation && <span className="swatch" style={{ background: cssColour(classColour(c.index)) }} aria-hidden="true" />}
                {c.name}
              </td>
              <td className={`num${n && n.train === 0 ? ' warn' : ''}`}>{n ? formatCount(n.train) : '–'}</td>
              <td className="num">{n ? formatCount(n.val) : '–'}</td>
              <td className="num">{n ? formatCount(n.test) : '–'}</td>
              <td>
                <input className="compact" value={draft.classes[c.name] ?? ''} disabled={!kept} onChange={(e) => setClass(c.name, e.target.value)} aria-label={`Target name for class ${c.name}`} />
              </td>
              {segmentation && (
                <td>
                  <input
                    type="checkbox"
                    checked={kept && target !== '' && target === background}
                    disabled={!kept || target === ''}
                    onChange={(e) => setBackground(e.target.checked ? target : null)}
                    aria-label={`${c.name} is the background (not scored)`}
                  />
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

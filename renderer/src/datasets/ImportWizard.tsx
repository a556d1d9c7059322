import { useEffect, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { importFormats, type ImportFormat, type ImportPreview } from '../../../shared/api/import';
import { useClient } from '../client/clientContext';
import { ErrorMessage } from '../components/ErrorMessage';
import { useAction } from '../components/useAction';
import { formatCount } from '../lib/format';
import { splitColours } from '../lib/splitColours';
import { pathFromDropText } from './droppedPath';
import { defaultWizardOptions, maskFolderChoices, noBackground, optionsProblem, toApiOptions, type WizardOptions } from './importOptionsForm';
import { backgroundClassIndex } from '../../../shared/classRoles';
import { splitNames } from '../../../shared/vocabulary';
import { classColour, cssColour } from '../viewer/maskColouring';
import { ImportJobView } from './ImportJobView';

/** The folders a select offers: those found beside the images, and the current choice even when the last detection did not list it. */
function folderChoices(found: string[] | undefined, current: string): string[] {
  const list = [...(found ?? [])];
  if (current && !list.includes(current)) list.push(current);
  return list;
}

const formatLabels: Record<ImportFormat, string> = {
  'image-folder': 'Class folders (one folder per class)',
  csv: 'CSV of file names and labels',
  medmnist: 'MedMNIST .npz',
  'paired-masks': 'Images with segmentation masks',
  nnunet: 'nnU-Net / Medical Segmentation Decathlon',
  coco: 'COCO JSON boxes',
  voc: 'Pascal VOC XML boxes',
  yolo: 'YOLO text boxes',
  images: 'Plain images (no labels)',
  'dicom-seg': 'DICOM images with DICOM-SEG / RT-STRUCT segmentations',
};

/** #/datasets/import: path -> detected format and plan -> options -> start; #/datasets/import/<jobId>: progress and report. */
export function ImportWizard({ jobId }: { jobId: string | null }) {
  if (jobId) return <ImportJobView jobId={jobId} />;
  return <ImportForm />;
}

function ImportForm() {
  const client = useClient();
  const [path, setPath] = useState(() => sessionStorage.getItem('umedpt.importPath') ?? '');
  const [format, setFormat] = useState<ImportFormat | ''>('');
  const [name, setName] = useState('');
  const [options, setOptions] = useState<WizardOptions>(defaultWizardOptions);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [dragging, setDragging] = useState(false);
  const detect = useAction();
  const start = useAction();
  const optionError = optionsProblem(options);
  const detectedFor = useRef<string>('');

  const runDetect = async (p = path, withOptions = options) => {
    const trimmed = p.trim();
    const problem = optionsProblem(withOptions);
    if (!trimmed) {
      detect.setError('enter the path of a folder or file on this computer');
      return;
    }
    sessionStorage.setItem('umedpt.importPath', trimmed);
    const result = await detect.run(() => client.call('import/detect', { path: trimmed, ...(format ? { format } : {}), ...(problem ? {} : { options: toApiOptions(withOptions) }) }));
    setPreview(result ?? null);
    if (result) {
      detectedFor.current = trimmed;
      setName((n) => n || result.datasetName);
    }
  };

  // Options change the planned split: ask again once a preview is on screen.
  const optionsKey = JSON.stringify([options, format]);
  useEffect(() => {
    if (!preview || optionError) return;
    const timer = setTimeout(() => void runDetect(detectedFor.current), 300);
    return () => clearTimeout(timer);
    // only option changes trigger a new detection, not the preview it produces
  }, [optionsKey]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setName('');
    void runDetect();
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const dropped = pathFromDropText(e.dataTransfer.getData('text/uri-list'), e.dataTransfer.getData('text/plain'));
    if (dropped) {
      setPath(dropped);
      setName('');
      void runDetect(dropped);
    } else if (e.dataTransfer.files.length > 0) {
      detect.setError(`the browser does not reveal where "${e.dataTransfer.files[0]!.name}" lives on disk: type or paste its folder path instead`);
    }
  };

  const onStart = async (ifExists?: 'update' | 'copy') => {
    if (!preview) return;
    const result = await start.run(() =>
      client.call('import/start', {
        path: preview.path,
        ...(format ? { format } : { format: preview.format }),
        ...(name.trim() ? { name: name.trim() } : {}),
        options: toApiOptions(options),
        ...(ifExists ? { ifExists } : {}),
      }),
    );
    if (result) {
      sessionStorage.removeItem('umedpt.importPath');
      window.location.hash = `#/datasets/import/${encodeURIComponent(result.jobId)}`;
    }
  };

  const setOption = <K extends keyof WizardOptions>(key: K, value: WizardOptions[K]) => setOptions((o) => ({ ...o, [key]: value }));
  // the importer found several folders that could hold the masks: the user picks one
  const maskChoices = maskFolderChoices(detect.error);
  const chooseMaskFolder = (folder: string) => {
    const next = { ...options, maskFolder: folder };
    setOptions(next);
    void runDetect(path, next);
  };

  return (
    <section className="page import-wizard">
      <div className="page-head">
        <h1>Import a dataset</h1>
        <a href="#/datasets" className="button secondary">
          Back to datasets
        </a>
      </div>
      <ol className="steps" aria-label="Import steps">
        <li className={!preview ? 'current' : 'done'}>1 · Source</li>
        <li className={preview ? 'current' : ''}>2 · Check and options</li>
        <li>3 · Import</li>
        <li>4 · Report</li>
      </ol>

      <form
        className={`panel drop-zone${dragging ? ' dragging' : ''}`}
        onSubmit={onSubmit}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <label htmlFor="import-path">Folder or file on this computer</label>
        <div className="row">
          <input
            id="import-path"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/data/kvasir-seg  or  C:\data\chestmnist.npz"
            autoComplete="off"
            spellCheck={false}
            aria-describedby="import-path-help"
          />
          <button type="submit" disabled={detect.busy}>
            {detect.busy ? 'Detecting…' : 'Detect format'}
          </button>
        </div>
        <p id="import-path-help" className="muted small">
          Type or paste a path, or drop a folder here from your file manager. Folders of class sub-folders, a CSV of labels, images + masks, COCO / VOC / YOLO boxes, nnU-Net, DICOM, NIfTI, TIFF and MedMNIST .npz are recognised.
        </p>
        <div className="row">
          <label htmlFor="import-format" className="small nowrap">
            Format
          </label>
          <select id="import-format" className="compact" value={format} onChange={(e) => setFormat(e.target.value as ImportFormat | '')}>
            <option value="">Detect automatically</option>
            {importFormats.map((f) => (
              <option key={f} value={f}>
                {formatLabels[f]}
              </option>
            ))}
          </select>
        </div>
        <details className="paired-folders" open={maskChoices.length > 0 || !!options.imageFolder || !!options.maskFolder || !!options.pairPattern || !!options.validRegionFolder}>
          <summary className="small">Images with masks: folder names and pairing</summary>
          <div className="form-grid">
            <label htmlFor="import-image-folder">Image folder</label>
            <input id="import-image-folder" value={options.imageFolder} onChange={(e) => setOption('imageFolder', e.target.value)} placeholder="found automatically (images, img…)" spellCheck={false} />
            <label htmlFor="import-mask-folder">Mask folder</label>
            <input id="import-mask-folder" value={options.maskFolder} onChange={(e) => setOption('maskFolder', e.target.value)} placeholder="found automatically (e.g. manual, 1st_manual, gt)" spellCheck={false} />
            <label htmlFor="import-pair-pattern">Pair by</label>
            <input id="import-pair-pattern" value={options.pairPattern} onChange={(e) => setOption('pairPattern', e.target.value)} placeholder="shared identifier; or a glob like {id}_*" spellCheck={false} />
            <label htmlFor="import-valid-region">Valid-region folder</label>
            <select id="import-valid-region" value={options.validRegionFolder} onChange={(e) => setOption('validRegionFolder', e.target.value)} aria-describedby="import-valid-region-help">
              <option value="">None: every pixel is trained on and scored</option>
              {folderChoices(preview?.besideFolders, options.validRegionFolder).map((f) => (
                <option key={f} value={f}>
                  {f}/
                </option>
              ))}
            </select>
          </div>
          <p id="import-valid-region-help" className="muted small">
            A folder of field-of-view masks beside the images (the folders found there are offered once the source is detected): label pixels where it is 0 are not trained on and not scored.
          </p>
          <p className="muted small">A folder name is looked for at every level (train/, test/…); files pair by the identifier their names share.</p>
        </details>
        {maskChoices.length > 0 ? (
          <div className="warn" role="alert" data-testid="mask-folder-choice">
            <p>Several folders pair with the images. Which one holds the labels?</p>
            <div className="row">
              {maskChoices.map((folder) => (
                <button key={folder} type="button" className="secondary" onClick={() => chooseMaskFolder(folder)}>
                  {folder}/
                </button>
              ))}
            </div>
          </div>
        ) : (
          <ErrorMessage error={detect.error} title="This source cannot be imported yet" />
        )}
      </form>

      {preview && (
        <div className="panel preview" data-testid="import-preview">
          <h2>What will be imported</h2>
          <dl className="facts wide">
            <div>
              <dt>Format</dt>
              <dd data-testid="detected-format">{formatLabels[preview.format]}</dd>
            </div>
            <div>
              <dt>Label type</dt>
              <dd>
                {preview.kind}
                {preview.multiLabel ? ' (multi-label)' : ''}
              </dd>
            </div>
            <div>
              <dt>Items</dt>
              <dd data-testid="detected-count">{formatCount(preview.itemCount)}</dd>
            </div>
            <div>
              <dt>Classes</dt>
              <dd>{preview.classes.length > 0 ? preview.classes.join(', ') : <span className="muted">none</span>}</dd>
            </div>
            <div>
              <dt>Splits</dt>
              <dd>
                {splitNames.map((s) => (
                  <span key={s} className="split-chip" style={{ borderColor: splitColours[s] }}>
                    {s} {formatCount(preview.splits[s])}
                  </span>
                ))}{' '}
                <span className="muted small">{preview.publisherSplit ? "the publisher's split" : 'generated'}</span>
                {preview.itemCount > 0 && (['train', 'val', 'test'] as const).some((s) => preview.splits[s] === 0) && (
                  <p className="warn small" data-testid="empty-split">
                    {(['train', 'val', 'test'] as const)
                      .filter((s) => preview.splits[s] === 0)
                      .join(' and ')}{' '}
                    will be empty: too few images to spare one, or the publisher&apos;s split has none.
                  </p>
                )}
              </dd>
            </div>
            <div>
              <dt>Root</dt>
              <dd className="ellipsis" title={preview.path}>
                {preview.path}
              </dd>
            </div>
          </dl>
          {preview.resumesDatasetId !== null && <p className="warn">An earlier import of this folder stopped part way: starting resumes it (dataset #{preview.resumesDatasetId}).</p>}
          {preview.instanceMasks && (
            <p className="muted small" data-testid="instance-masks">
              {preview.instanceClasses
                ? `The masks hold instance ids with a class per instance from ${preview.instanceClasses}: the mask is per class and each object gets its own box of its class, so the dataset also serves detection.`
                : 'The masks hold instance ids: each object becomes part of an object/background mask and gets its own box, so the dataset also serves detection.'}
            </p>
          )}
          {options.validRegionFolder && preview.pairing && (
            <p className="small" data-testid="valid-region-preview">
              Valid region from <code>{options.validRegionFolder}/</code>: {formatCount(preview.pairing.pairs.filter((p) => p.region).length)} of {formatCount(preview.pairing.pairs.length)} pairs have one; label pixels outside it are not trained on and not scored.
            </p>
          )}
          {preview.pairing && (
            <details className="pairs-preview" data-testid="import-pairs">
              <summary>
                {formatCount(preview.pairing.pairs.length)} image/mask pairs <span className="muted small">(paired by {preview.pairing.rule})</span>
              </summary>
              <table className="table small">
                <thead>
                  <tr>
                    <th scope="col">Image</th>
                    <th scope="col">Mask</th>
                    {options.validRegionFolder && <th scope="col">Valid region</th>}
                  </tr>
                </thead>
                <tbody>
                  {preview.pairing.pairs.slice(0, 100).map((p) => (
                    <tr key={p.image}>
                      <td>
                        <code>{p.image}</code>
                      </td>
                      <td>
                        <code>{p.mask}</code>
                      </td>
                      {options.validRegionFolder && <td>{p.region ? <code>{p.region}</code> : <span className="warn">none: skipped</span>}</td>}
                    </tr>
                  ))}
                </tbody>
              </table>
              {preview.pairing.pairs.length > 100 && <p className="muted small">… and {formatCount(preview.pairing.pairs.length - 100)} more</p>}
            </details>
          )}
          {preview.skipped.length > 0 && (
            <details className="skipped-preview">
              <summary className="warn">{formatCount(preview.skipped.length)} files will be skipped</summary>
              <ul className="small">
                {preview.skipped.slice(0, 100).map((s) => (
                  <li key={s.path}>
                    <code>{s.path}</code>: {s.reason}
                  </li>
                ))}
                {preview.skipped.length > 100 && <li className="muted">… and {preview.skipped.length - 100} more</li>}
              </ul>
            </details>
          )}

          <h2>Options</h2>
          <div className="form-grid">
            <label htmlFor="import-name">Dataset name</label>
            <input id="import-name" value={name} onChange={(e) => setName(e.target.value)} />

            <label htmlFor="import-split-policy">Split</label>
            <select id="import-split-policy" value={options.splitPolicy} onChange={(e) => setOption('splitPolicy', e.target.value as WizardOptions['splitPolicy'])}>
              <option value="auto">The publisher&apos;s split when there is one, else generated</option>
              <option value="publisher">The publisher&apos;s split only</option>
              <option value="generated">Generate a new split</option>
            </select>

            <span id="import-ratios-label">Generated split (%)</span>
            <div className="row" role="group" aria-labelledby="import-ratios-label">
              {splitNames.map((s) => (
                <label key={s} className="inline-field small">
                  {s}
                  <input type="number" min={0} max={100} value={options[s]} onChange={(e) => setOption(s, Math.max(0, Number(e.target.value) || 0))} aria-label={`${s} percent`} />
                </label>
              ))}
            </div>

            <label htmlFor="import-seed">Split seed</label>
            <input id="import-seed" type="number" value={options.seed} onChange={(e) => setOption('seed', Math.trunc(Number(e.target.value) || 0))} />

            {preview.kind === 'segmentation' && (
              <>
                <label htmlFor="import-mask-values">Mask values</label>
                <select id="import-mask-values" value={options.maskValues} onChange={(e) => setOption('maskValues', e.target.value as WizardOptions['maskValues'])}>
                  <option value="auto">Decide from the values (many ids: instances)</option>
                  <option value="classes">Class values</option>
                  <option value="instances">Instance ids (one per object)</option>
                </select>
              </>
            )}
            {preview.kind === 'segmentation' && preview.instanceMasks && (
              <>
                <label htmlFor="import-instance-classes">Class of each instance</label>
                <select id="import-instance-classes" value={options.instanceClasses} onChange={(e) => setOption('instanceClasses', e.target.value)}>
                  <option value="">Found automatically (type_map/, instance_classes.csv; else one class “object”)</option>
                  {folderChoices(preview.besideFolders, options.instanceClasses).map((f) => (
                    <option key={f} value={f}>
                      class maps in {f}/
                    </option>
                  ))}
                </select>
              </>
            )}
            {preview.kind === 'segmentation' && preview.classes.length > 0 && (
              <>
                <label htmlFor="import-background">Background class (not scored)</label>
                <div className="row tight">
                  <select id="import-background" value={options.backgroundClass} onChange={(e) => setOption('backgroundClass', e.target.value)}>
                    <option value="">
                      {(() => {
                        const named = backgroundClassIndex(preview.classes);
                        return named === null ? 'From the names: none, every class is scored' : `From the names: “${preview.classes[named]}”`;
                      })()}
                    </option>
                    <option value={noBackground}>None: every class is scored</option>
                    {preview.classes.map((c) => (
                      <option key={c} value={c}>
                        {c}
                      </option>
                    ))}
                  </select>
                  <span className="small">
                    {preview.classes.map((c, k) => (
                      <span key={c} className="nowrap">
                        <span className="swatch" style={{ background: cssColour(classColour(k)) }} aria-hidden="true" />
                        {c}{' '}
                      </span>
                    ))}
                  </span>
                </div>
              </>
            )}

            <label htmlFor="import-group">Group key (patient / study / slide)</label>
            <select id="import-group" value={options.groupBy} onChange={(e) => setOption('groupBy', e.target.value as WizardOptions['groupBy'])}>
              <option value="auto">Automatic (DICOM patient, CSV column…)</option>
              <option value="none">None: every image on its own</option>
              <option value="parent-folder">Parent folder name</option>
              <option value="pattern">Regular expression over the path</option>
            </select>
            {options.groupBy === 'pattern' && (
              <>
                <label htmlFor="import-group-pattern">Group pattern</label>
                <input id="import-group-pattern" value={options.groupPattern} onChange={(e) => setOption('groupPattern', e.target.value)} placeholder="(patient_\d+)" spellCheck={false} />
              </>
            )}
            {preview.format === 'nnunet' && (
              <>
                <label htmlFor="import-axis">Slice volumes along</label>
                <select id="import-axis" value={options.niftiAxis} onChange={(e) => setOption('niftiAxis', e.target.value as WizardOptions['niftiAxis'])}>
                  <option value="axial">axial planes</option>
                  <option value="coronal">coronal planes</option>
                  <option value="sagittal">sagittal planes</option>
                </select>
              </>
            )}
          </div>
          <p className="muted small">Images of one group always land in the same split, so no patient is in both training and test data.</p>
          <ErrorMessage error={optionError} />
          <ErrorMessage error={start.error} title="The import did not start" />
          {preview.existingDataset ? (
            <div className="warn" data-testid="already-imported">
              <p>
                This source is in the catalog already as dataset #{preview.existingDataset.id} “{preview.existingDataset.name}”.
              </p>
              <div className="row actions">
                <button type="button" onClick={() => void onStart('update')} disabled={start.busy || !!optionError || detect.busy}>
                  Import only new or changed files into #{preview.existingDataset.id}
                </button>
                <button type="button" className="secondary" onClick={() => void onStart('copy')} disabled={start.busy || !!optionError || detect.busy || preview.itemCount === 0}>
                  Import a second copy
                </button>
              </div>
            </div>
          ) : (
            <div className="row actions">
              <button type="button" onClick={() => void onStart()} disabled={start.busy || !!optionError || detect.busy || preview.itemCount === 0}>
                {start.busy ? 'Starting…' : `Import ${formatCount(preview.itemCount)} items`}
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

import type { DatasetSummary } from '../../../shared/api/catalog';
import { splitNames } from '../../../shared/vocabulary';
import { useClient, useQuery } from '../client/clientContext';
import { ErrorMessage } from '../components/ErrorMessage';
import { useAction } from '../components/useAction';
import { formatCount } from '../lib/format';
import { splitColours } from '../lib/splitColours';
import { DatasetBrowser } from './DatasetBrowser';
import { ImportWizard } from './ImportWizard';
import { RecentImports } from './RecentImports';
import { TryDemo } from './TryDemo';

/** #/datasets (list), #/datasets/import (wizard), #/datasets/<id> (browser). */
export function DatasetsPage({ rest }: { rest: string[] }) {
  const [first] = rest;
  if (first === 'import') return <ImportWizard jobId={rest[1] ?? null} />;
  const id = Number(first);
  if (first && Number.isInteger(id) && id > 0) return <DatasetBrowser datasetId={id} />;
  return <DatasetList />;
}

function SplitBar({ counts, total }: { counts: DatasetSummary['splitCounts']; total: number }) {
  if (total <= 0) return <span className="muted">–</span>;
  return (
    <span className="split-bar" role="img" title={`train ${counts.train} · val ${counts.val} · test ${counts.test}`} aria-label={`train ${counts.train}, validation ${counts.val}, test ${counts.test}`}>
      {splitNames.map((s) => (
        <span key={s} style={{ width: `${(100 * counts[s]) / total}%`, background: splitColours[s] }} />
      ))}
    </span>
  );
}

function DatasetList() {
  const client = useClient();
  const list = useQuery('catalog/listDatasets', { includeDeleted: true });
  const action = useAction();
  const datasets = list.data?.filter((d) => !d.deletedAt) ?? [];
  const bin = list.data?.filter((d) => d.deletedAt) ?? [];

  const remove = (d: DatasetSummary) => action.run(async () => {
    await client.call('catalog/deleteDataset', { datasetId: d.id });
    list.reload();
  });
  const restore = (d: DatasetSummary) => action.run(async () => {
    await client.call('catalog/restoreDataset', { datasetId: d.id });
    list.reload();
  });

  return (
    <section className="page">
      <div className="page-head">
        <h1>Datasets</h1>
        <a className="button" href="#/datasets/import">
          Import dataset…
        </a>
      </div>
      <ErrorMessage error={list.error} title="The catalog could not be read" />
      <ErrorMessage error={action.error} />
      {list.loading && !list.data && <p className="muted">Loading…</p>}
      {list.data && datasets.length === 0 && (
        <div className="empty panel">
          <p>No datasets yet.</p>
          <p className="muted">Import a folder of labelled images: class folders, a CSV of labels, images with masks, COCO / VOC / YOLO boxes, DICOM, NIfTI, TIFF or MedMNIST.</p>
          <a className="button" href="#/datasets/import">
            Import a dataset
          </a>
          <TryDemo />
        </div>
      )}
      {datasets.length > 0 && (
        <table className="table datasets-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>Format</th>
              <th className="num">Images</th>
              <th className="num">Classes</th>
              <th>Splits</th>
              <th>State</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {datasets.map((d) => (
              <tr key={d.id}>
                <td>
                  <a href={`#/datasets/${d.id}`}>{d.name}</a>
                  <div className="muted small ellipsis" title={d.sourcePath}>
                    {d.sourcePath}
                  </div>
                </td>
                <td>{d.kind}{d.multiLabel ? ' (multi-label)' : ''}</td>
                <td>{d.format}</td>
                <td className="num">{formatCount(d.imageCount)}</td>
                <td className="num">{d.classCount}</td>
                <td>
                  <SplitBar counts={d.splitCounts} total={d.imageCount} />
                  <div className="muted small">{d.publisherSplit ? 'publisher split' : 'generated split'}</div>
                </td>
                <td>
                  <span className={`state state-${d.state}`}>{d.state}</span>
                </td>
                <td>
                  <button type="button" className="secondary small-button" onClick={() => remove(d)} aria-label={`Move ${d.name} to the bin`} disabled={action.busy}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {bin.length > 0 && (
        <>
          <h2>Bin</h2>
          <table className="table">
            <tbody>
              {bin.map((d) => (
                <tr key={d.id}>
                  <td>{d.name}</td>
                  <td className="muted">deleted {new Date(d.deletedAt!).toLocaleString()}</td>
                  <td>
                    <button type="button" className="secondary small-button" onClick={() => restore(d)} aria-label={`Restore ${d.name}`} disabled={action.busy}>
                      Restore
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <RecentImports />
    </section>
  );
}

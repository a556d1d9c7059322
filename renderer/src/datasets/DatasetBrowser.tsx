import { useMemo, useState } from 'react';
import type { ImageSummary, SplitName } from '../../../shared/api/catalog';
import { useClient, useQuery } from '../client/clientContext';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatCount } from '../lib/format';
import { DatasetStatistics } from './DatasetStatistics';
import { CatalogImagePanel } from './CatalogImagePanel';
import { ThumbnailGrid } from './ThumbnailGrid';
import { useImagePages, type ImageFilters } from './useImagePages';
import { ThumbnailCache } from './thumbnailCache';

/** One dataset: statistics, filters, the thumbnail grid and the selected image in the viewer. */
export function DatasetBrowser({ datasetId }: { datasetId: number }) {
  const dataset = useQuery('catalog/getDataset', { datasetId });
  const stats = useQuery('catalog/statistics', { datasetId });
  const [split, setSplit] = useState<SplitName | ''>('');
  const [classId, setClassId] = useState<number | ''>('');
  const [groupDraft, setGroupDraft] = useState('');
  const [group, setGroup] = useState('');
  const [showStats, setShowStats] = useState(true);
  const [selected, setSelected] = useState<ImageSummary | null>(null);
  const filters = useMemo<ImageFilters>(() => ({ ...(split ? { split } : {}), ...(classId !== '' ? { classId } : {}), ...(group ? { group } : {}) }), [split, classId, group]);
  const pages = useImagePages(datasetId, filters);
  const client = useClient();
  const thumbnails = useMemo(() => new ThumbnailCache((imageIds) => client.call('catalog/thumbnails', { imageIds, maxSide: 128 })), [client]);

  if (dataset.error) return (
    <section className="page">
      <h1>Dataset</h1>
      <ErrorMessage error={dataset.error} title="This dataset cannot be opened" />
      <a href="#/datasets">Back to datasets</a>
    </section>
  );
  const d = dataset.data;
  return (
    <section className="page dataset-browser">
      <div className="page-head">
        <h1>{d ? d.name : 'Dataset'}</h1>
        <span className="muted">
          {d && `${d.kind}${d.multiLabel ? ' (multi-label)' : ''} · ${d.format} · ${formatCount(d.imageCount)} images · ${d.classCount} classes`}
        </span>
        <div className="spacer" />
        <button type="button" className="secondary" onClick={() => setShowStats((s) => !s)} aria-expanded={showStats}>
          {showStats ? 'Hide statistics' : 'Show statistics'}
        </button>
        <a className="button secondary" href="#/datasets">
          All datasets
        </a>
      </div>
      {d && d.state !== 'ready' && <p className="warn">This dataset is {d.state}: {d.state === 'importing' ? 'its import is still running.' : 'its import was cancelled; import the same folder again to resume it.'}</p>}
      {showStats && (stats.data ? <DatasetStatistics stats={stats.data} detection={d?.kind === 'detection'} /> : <ErrorMessage error={stats.error} title="Statistics unavailable" />)}

      <div className="filters row" role="search" aria-label="Filter images">
        <label htmlFor="filter-split" className="small">
          Split
        </label>
        <select id="filter-split" className="compact" value={split} onChange={(e) => setSplit(e.target.value as SplitName | '')}>
          <option value="">All</option>
          <option value="train">train</option>
          <option value="val">validation</option>
          <option value="test">test</option>
        </select>
        <label htmlFor="filter-class" className="small">
          Class
        </label>
        <select id="filter-class" className="compact" value={classId} onChange={(e) => setClassId(e.target.value === '' ? '' : Number(e.target.value))} disabled={!d || d.classes.length === 0}>
          <option value="">All</option>
          {d?.classes.map((c) => (
            <option key={c.index} value={c.index}>
              {c.name}
            </option>
          ))}
        </select>
        <form
          className="row tight"
          onSubmit={(e) => {
            e.preventDefault();
            setGroup(groupDraft.trim());
          }}
        >
          <label htmlFor="filter-group" className="small">
            Group
          </label>
          <input id="filter-group" className="compact" value={groupDraft} onChange={(e) => setGroupDraft(e.target.value)} onBlur={() => setGroup(groupDraft.trim())} placeholder="patient / study id" />
        </form>
        <span className="muted small" data-testid="image-total">
          {pages.total === null ? 'loading…' : `${formatCount(pages.total)} images`}
        </span>
      </div>
      <ErrorMessage error={pages.error} title="Images could not be listed" />

      <div className={`browser-split${selected ? ' with-viewer' : ''}`}>
        <ThumbnailGrid pages={pages} thumbnails={thumbnails} selectedId={selected?.id ?? null} onSelect={setSelected} />
        {selected && d && <CatalogImagePanel key={selected.id} imageId={selected.id} classes={d.classes} onClose={() => setSelected(null)} />}
      </div>
    </section>
  );
}

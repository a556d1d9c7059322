import type { DatasetStatistics as Stats } from '../../../shared/api/catalog';
import { splitNames } from '../../../shared/vocabulary';
import { BarChart, Legend } from '../charts/BarChart';
import { formatCount } from '../lib/format';
import { splitColours, splitLabels } from '../lib/splitColours';

const splits = splitNames;
const maxClassRows = 30;

function total(c: Stats['classCounts'][number], detection: boolean): number {
  const counts = detection ? c.boxes : c.images;
  return counts.train + counts.val + counts.test;
}

/** Split sizes and class balance (images per class and split; boxes for detection). */
export function DatasetStatistics({ stats, detection }: { stats: Stats; detection: boolean }) {
  const splitRows = splits.map((s) => ({ label: splitLabels[s], segments: [{ name: s, value: stats.splitCounts[s], colour: splitColours[s] }] }));
  // the chart shows the largest classes; a dataset with hundreds of them lists the rest in a line
  const shownClasses = stats.classCounts.length > maxClassRows ? [...stats.classCounts].sort((a, b) => total(b, detection) - total(a, detection)).slice(0, maxClassRows) : stats.classCounts;
  const hiddenClasses = stats.classCounts.length - shownClasses.length;
  const classRows = shownClasses.map((c) => ({
    label: c.name,
    segments: splits.map((s) => ({ name: s, value: detection ? c.boxes[s] : c.images[s], colour: splitColours[s] })),
  }));
  return (
    <div className="stats-grid" data-testid="dataset-statistics">
      <div>
        <h3>Split sizes</h3>
        <BarChart title="Images per split" rows={splitRows} width={360} />
        <p className="muted small">
          {formatCount(stats.imageCount)} images · {formatCount(stats.groupCount)} groups
          {stats.instances ? ` · ${formatCount(stats.instances.train + stats.instances.val + stats.instances.test)} instances` : ''}
          {stats.sizeHistogram[0] ? ` · most common size ${stats.sizeHistogram[0].width}×${stats.sizeHistogram[0].height}` : ''}
        </p>
      </div>
      {classRows.length > 0 && (
        <div>
          <h3>Class balance ({detection ? 'boxes' : 'images'} per class)</h3>
          <BarChart title={`Class balance: ${detection ? 'boxes' : 'images'} per class and split`} rows={classRows} width={520} />
          <Legend items={splits.map((s) => ({ name: splitLabels[s], colour: splitColours[s] }))} />
          {hiddenClasses > 0 && <p className="muted small">The {maxClassRows} largest classes are shown; {hiddenClasses} smaller ones are not.</p>}
        </div>
      )}
    </div>
  );
}

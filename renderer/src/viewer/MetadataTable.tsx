import { imageFacts } from './imageFacts';
import type { ViewerImage } from './viewerImage';

export function MetadataTable({ image, extra }: { image: ViewerImage & { channels?: number; group?: string | null; split?: string; sourcePath?: string }; extra?: Record<string, unknown> }) {
  const facts = imageFacts(image, { ...image.metadata, ...extra });
  return (
    <dl className="facts">
      {facts.map((f, i) => (
        <div key={`${f.label}-${i}`}>
          <dt>{f.label}</dt>
          <dd title={f.value}>{f.value}</dd>
        </div>
      ))}
    </dl>
  );
}

import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { MaskCanvas, type ClassIdPixels } from './MaskCanvas';
import { classColour, cssColour, hiddenByDefault } from './maskColouring';
import { fitTransform, panBy, screenToImage, zoomAt, type ViewTransform } from './viewTransform';
import { dragWindow, isWindowable, presetsFor, type DisplayWindow } from './windowLevel';
import { MetadataTable } from './MetadataTable';
import type { ViewerImage } from './viewerImage';

export interface ViewerClass {
  index: number;
  name: string;
}

export interface ViewerBox {
  classId: number;
  x: number;
  y: number;
  w: number;
  h: number;
  score?: number;
}

export type ViewerLayer =
  | { id: string; label: string; kind: 'mask'; url?: string; pixels?: ClassIdPixels }
  | { id: string; label: string; kind: 'boxes'; boxes: ViewerBox[]; dashed?: boolean }
  /** a ready-made RGBA picture stretched over the image (e.g. the TP / FP / FN error view) */
  | { id: string; label: string; kind: 'image'; url: string };

export type { ViewerImage } from './viewerImage';

export interface ImageViewerProps {
  image: ViewerImage;
  layers: ViewerLayer[];
  classes: ViewerClass[];
  /** px; the viewer fills its parent's width */
  height?: number;
  /** extra read-outs under the toolbar (per-image metrics...) */
  children?: ReactNode;
  /** hide the metadata table (side-by-side views show it once) */
  showMetadata?: boolean;
  label?: string;
}

/**
 * The shared image viewer: wheel / buttons / keys zoom, drag pans, right-drag
 * (or shift-drag) sets window/level on 16-bit and DICOM images; class-id masks
 * as coloured overlays and boxes as SVG, with per-layer and per-class toggles.
 */
export function ImageViewer({ image, layers, classes, height = 520, children, showMetadata = true, label = 'Image viewer' }: ImageViewerProps) {
  const viewRef = useRef<HTMLDivElement>(null);
  const [viewSize, setViewSize] = useState({ w: 0, h: 0 });
  const [transform, setTransform] = useState<ViewTransform>({ scale: 1, x: 0, y: 0 });
  const [fitted, setFitted] = useState(false);
  const [opacity, setOpacity] = useState(0.5);
  const [hiddenLayers, setHiddenLayers] = useState<Set<string>>(new Set());
  const [hiddenClasses, setHiddenClasses] = useState<Set<number>>(() => new Set(classes.filter((c) => hiddenByDefault(c.index, c.name)).map((c) => c.index)));
  const [displayWindow, setDisplayWindow] = useState<DisplayWindow | null>(null);
  const [shownWindow, setShownWindow] = useState<DisplayWindow | null>(null);
  const [presetId, setPresetId] = useState('auto');
  const [cursor, setCursor] = useState<{ u: number; v: number } | null>(null);
  const [maskError, setMaskError] = useState<string | null>(null);
  const drag = useRef<{ mode: 'pan' | 'window'; x: number; y: number; start: DisplayWindow; t: ViewTransform } | null>(null);

  const windowable = isWindowable(image.bitDepth, image.modality);
  const presets = useMemo(() => presetsFor(image.modality, image.metadata), [image.modality, image.metadata]);
  const classNames = useMemo(() => new Map(classes.map((c) => [c.index, c.name])), [classes]);

  useEffect(() => {
    const el = viewRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setViewSize({ w: el.clientWidth, h: el.clientHeight }));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const fit = useCallback(() => setTransform(fitTransform(image.width, image.height, viewSize.w, viewSize.h)), [image.width, image.height, viewSize.w, viewSize.h]);
  // a new image (by size) is fitted again; a re-render with the same one keeps the user's zoom
  useEffect(() => {
    setFitted(false);
  }, [image.width, image.height]);
  useEffect(() => {
    if (!fitted && viewSize.w > 0) {
      fit();
      setFitted(true);
    }
  }, [fitted, fit, viewSize.w]);

  // A dragged window reloads the preview at most every 120 ms.
  useEffect(() => {
    const timer = setTimeout(() => setShownWindow(displayWindow), 120);
    return () => clearTimeout(timer);
  }, [displayWindow]);

  const src = image.src(shownWindow);

  const visible = useCallback((classId: number) => !hiddenClasses.has(classId), [hiddenClasses]);

  const onWheel = useCallback((e: WheelEvent) => {
    e.preventDefault();
    const rect = (e.currentTarget as HTMLElement).getBoundingClientRect();
    setTransform((t) => zoomAt(t, Math.exp(-e.deltaY * 0.0015), e.clientX - rect.left, e.clientY - rect.top));
  }, []);
  useEffect(() => {
    const el = viewRef.current;
    if (!el) return;
    // passive: false so the page does not scroll under the zoom
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [onWheel]);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    const mode = windowable && (e.button === 2 || e.shiftKey) ? 'window' : 'pan';
    if (e.button !== 0 && e.button !== 2) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { mode, x: e.clientX, y: e.clientY, start: displayWindow ?? presets.find((p) => p.window)?.window ?? defaultWindowFor(image.bitDepth), t: transform };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    setCursor(screenToImage(transform, e.clientX - rect.left, e.clientY - rect.top));
    const d = drag.current;
    if (!d) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (d.mode === 'pan') setTransform(panBy(d.t, dx, dy));
    else {
      setDisplayWindow(dragWindow(d.start, dx, dy));
      setPresetId('custom');
    }
  };
  const onPointerUp = () => {
    drag.current = null;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const cx = viewSize.w / 2;
    const cy = viewSize.h / 2;
    const step = 40;
    const actions: Record<string, () => void> = {
      '+': () => setTransform((t) => zoomAt(t, 1.25, cx, cy)),
      '=': () => setTransform((t) => zoomAt(t, 1.25, cx, cy)),
      '-': () => setTransform((t) => zoomAt(t, 0.8, cx, cy)),
      '0': fit,
      ArrowLeft: () => setTransform((t) => panBy(t, step, 0)),
      ArrowRight: () => setTransform((t) => panBy(t, -step, 0)),
      ArrowUp: () => setTransform((t) => panBy(t, 0, step)),
      ArrowDown: () => setTransform((t) => panBy(t, 0, -step)),
    };
    // 1-9 show / hide the overlay layers in the order of their checkboxes
    const layer = /^[1-9]$/.test(e.key) ? layers[Number(e.key) - 1] : undefined;
    const action = actions[e.key] ?? (layer ? () => toggleLayer(layer.id) : undefined);
    if (action) {
      e.preventDefault();
      action();
    }
  };

  const choosePreset = (id: string) => {
    setPresetId(id);
    const preset = presets.find((p) => p.id === id);
    setDisplayWindow(preset?.window ?? null);
    setShownWindow(preset?.window ?? null);
  };

  const toggleLayer = (id: string) =>
    setHiddenLayers((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const toggleClass = (id: number) =>
    setHiddenClasses((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const legendClasses = classes.length > 0 ? classes : [];
  const hasOverlays = layers.length > 0;
  const stageStyle = { width: image.width, height: image.height, transform: `translate(${transform.x}px, ${transform.y}px) scale(${transform.scale})` };

  return (
    <div className="viewer">
      <div className="viewer-toolbar" role="toolbar" aria-label={`${label} controls`}>
        <div className="row tight">
          <button type="button" className="secondary icon" onClick={() => setTransform((t) => zoomAt(t, 1.25, viewSize.w / 2, viewSize.h / 2))} aria-label="Zoom in" title="Zoom in (+)">
            +
          </button>
          <button type="button" className="secondary icon" onClick={() => setTransform((t) => zoomAt(t, 0.8, viewSize.w / 2, viewSize.h / 2))} aria-label="Zoom out" title="Zoom out (−)">
            −
          </button>
          <button type="button" className="secondary" onClick={fit} title="Fit to view (0)">
            Fit
          </button>
          <span className="muted small" role="status" aria-label="Zoom level">
            {Math.round(transform.scale * 100)}%
          </span>
        </div>
        {windowable && (
          <div className="row tight">
            <label className="small" htmlFor={`${label}-preset`}>
              Window
            </label>
            <select id={`${label}-preset`} className="compact" value={presetId} onChange={(e) => choosePreset(e.target.value)}>
              {presets.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
              {presetId === 'custom' && <option value="custom">Custom</option>}
            </select>
            <span className="muted small" data-testid="window-readout">
              {displayWindow ? `C ${Math.round(displayWindow.center)} / W ${Math.round(displayWindow.width)}` : 'auto'}
            </span>
          </div>
        )}
        {hasOverlays && (
          <div className="row tight">
            {layers.some((l) => l.kind === 'mask') && (
              <>
                <label className="small" htmlFor={`${label}-opacity`}>
                  Mask opacity
                </label>
                <input id={`${label}-opacity`} className="slider" type="range" min={0} max={1} step={0.05} value={opacity} onChange={(e) => setOpacity(Number(e.target.value))} />
              </>
            )}
            {layers.map((layer) => (
              <label key={layer.id} className="check small">
                <input type="checkbox" checked={!hiddenLayers.has(layer.id)} onChange={() => toggleLayer(layer.id)} />
                {layer.label}
              </label>
            ))}
          </div>
        )}
      </div>
      {hasOverlays && legendClasses.length > 0 && (
        <div className="viewer-classes" role="group" aria-label="Classes shown">
          {legendClasses.map((c) => (
            <label key={c.index} className="check small class-toggle">
              <input type="checkbox" checked={!hiddenClasses.has(c.index)} onChange={() => toggleClass(c.index)} />
              <span className="swatch" style={{ background: cssColour(classColour(c.index)) }} />
              {c.name}
            </label>
          ))}
        </div>
      )}
      {children}
      <div
        ref={viewRef}
        className="viewer-view"
        style={{ height }}
        tabIndex={0}
        role="img"
        aria-label={`${label}: ${image.width} × ${image.height}. Drag or arrow keys to pan, wheel or +/− to zoom, 0 to fit${layers.length ? `, 1${layers.length > 1 ? `–${Math.min(9, layers.length)}` : ''} to show or hide the overlays` : ''}${windowable ? ', right-drag or shift-drag for window/level' : ''}.`}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerLeave={() => setCursor(null)}
        onContextMenu={(e) => e.preventDefault()}
        onDoubleClick={fit}
        onKeyDown={onKeyDown}
      >
        <div className="viewer-stage" style={stageStyle}>
          <img className="viewer-layer viewer-image" src={src} alt="" draggable={false} />
          {layers.map((layer) =>
            hiddenLayers.has(layer.id) ? null : layer.kind === 'image' ? (
              <img key={layer.id} className="viewer-layer viewer-mask" src={layer.url} alt="" draggable={false} style={{ opacity }} data-testid="error-overlay" />
            ) : layer.kind === 'mask' ? (
              <div key={layer.id} className="viewer-layer" style={{ opacity }}>
                <MaskCanvas url={layer.url} pixels={layer.pixels} visible={visible} onError={setMaskError} />
              </div>
            ) : (
              <BoxOverlay key={layer.id} layer={layer} width={image.width} height={image.height} scale={transform.scale} classNames={classNames} visible={visible} />
            ),
          )}
        </div>
        {cursor && cursor.u >= 0 && cursor.v >= 0 && cursor.u < image.width && cursor.v < image.height && (
          <div className="viewer-cursor small">
            x {Math.floor(cursor.u)}, y {Math.floor(cursor.v)}
          </div>
        )}
      </div>
      {maskError && (
        <p className="error small" role="alert">
          {maskError}
        </p>
      )}
      {showMetadata && <MetadataTable image={image} />}
    </div>
  );
}

function defaultWindowFor(bitDepth: number): DisplayWindow {
  const max = 2 ** Math.min(bitDepth, 16) - 1;
  return { center: max / 2, width: max };
}

function BoxOverlay({ layer, width, height, scale, classNames, visible }: { layer: Extract<ViewerLayer, { kind: 'boxes' }>; width: number; height: number; scale: number; classNames: Map<number, string>; visible(id: number): boolean }) {
  const font = 12 / scale;
  return (
    <svg className="viewer-layer viewer-boxes" data-testid="box-overlay" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true">
      {layer.boxes
        .filter((b) => visible(b.classId))
        .map((b, i) => {
          const colour = cssColour(classColour(b.classId));
          const text = `${classNames.get(b.classId) ?? `class ${b.classId}`}${b.score !== undefined ? ` ${b.score.toFixed(2)}` : ''}`;
          return (
            <g key={i} data-testid="box">
              <rect x={b.x} y={b.y} width={b.w} height={b.h} fill="none" stroke={colour} strokeWidth={1.25} vectorEffect="non-scaling-stroke" strokeDasharray={layer.dashed ? '5 3' : undefined} />
              <rect x={b.x} y={b.y - font * 1.35} width={Math.max(b.w, text.length * font * 0.6 + font * 0.6)} height={font * 1.35} fill={colour} opacity={0.85} />
              <text x={b.x + font * 0.3} y={b.y - font * 0.35} fontSize={font} fill="#111">
                {text}
              </text>
            </g>
          );
        })}
    </svg>
  );
}

import { useEffect, useRef, useState } from 'react';
import { colouriseClassMask } from './maskColouring';

/**
 * A class-id mask PNG drawn as coloured regions. The PNG is decoded once;
 * toggling classes only re-colours the kept pixels.
 */
export interface ClassIdPixels {
  width: number;
  height: number;
  /** one class id per pixel */
  data: Uint8Array;
}

export function MaskCanvas({ url, pixels, visible, onCounts, onError }: { url?: string; pixels?: ClassIdPixels; visible: (classId: number) => boolean; onCounts?(counts: Map<number, number>): void; onError?(message: string): void }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [source, setSource] = useState<{ width: number; height: number; data: Uint8ClampedArray | Uint8Array; stride: number } | null>(pixels ? { ...pixels, stride: 1 } : null);

  useEffect(() => {
    if (pixels) {
      setSource({ ...pixels, stride: 1 });
      return;
    }
    if (!url) return;
    let live = true;
    setSource(null);
    const img = new Image();
    img.decoding = 'async';
    img.onload = () => {
      if (!live) return;
      const scratch = document.createElement('canvas');
      scratch.width = img.naturalWidth;
      scratch.height = img.naturalHeight;
      const ctx = scratch.getContext('2d', { willReadFrequently: true });
      if (!ctx) return;
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, scratch.width, scratch.height);
      setSource({ width: data.width, height: data.height, data: data.data, stride: 4 });
    };
    img.onerror = () => live && onError?.(`mask could not be loaded (${url})`);
    img.src = url;
    return () => {
      live = false;
    };
    // onError is a notification only: depending on its identity would refetch the mask
  }, [url, pixels]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !source) return;
    canvas.width = source.width;
    canvas.height = source.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const out = ctx.createImageData(source.width, source.height);
    const counts = colouriseClassMask(source.data, visible, out.data, source.stride);
    ctx.putImageData(out, 0, 0);
    onCounts?.(counts);
  }, [source, visible, onCounts]);

  return <canvas ref={canvasRef} className="viewer-layer viewer-mask" data-testid="mask-overlay" data-ready={source ? 'true' : 'false'} />;
}

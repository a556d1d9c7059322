/** The next run's backend for a page: looks at Chromium's adapter once, where the engine window would decide (nextRunBackend.ts). */
import { useEffect, useState } from 'react';
import type { SystemInfo } from '../../../shared/api';
import { lookUpChromiumAdapter, nextRunBackend, type ChromiumAdapterCheck, type GpuLike, type NextRunBackend } from './nextRunBackend';

export function useNextRunBackend(info: SystemInfo | null): NextRunBackend | null {
  const [chromium, setChromium] = useState<ChromiumAdapterCheck | null>(null);
  const needsChromium = info?.webgpuVia === 'engine-window';
  useEffect(() => {
    if (!needsChromium) return;
    let live = true;
    void lookUpChromiumAdapter((navigator as unknown as { gpu?: GpuLike }).gpu).then((found) => {
      if (live) setChromium(found);
    });
    return () => {
      live = false;
    };
  }, [needsChromium]);
  return info ? nextRunBackend(info, chromium) : null;
}

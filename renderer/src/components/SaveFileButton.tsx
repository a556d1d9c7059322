import { useState, type ReactNode } from 'react';
import { downloadBytes, saveOutcomeText, type SaveOutcome } from '../lib/download';

/**
 * A button that makes a file and hands it to the user through the one save
 * helper (lib/download: the save dialog in Electron, a download in the
 * browser), then says where it went when the user chose a place, or why not.
 */
export function SaveFileButton({ fileName, mime, make, className = 'secondary', children }: { fileName: string; mime: string; make: () => Uint8Array | string | Promise<Uint8Array | string>; className?: string; children: ReactNode }) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<SaveOutcome | null>(null);
  const onClick = async () => {
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome(await downloadBytes(fileName, await make(), mime));
    } catch (error) {
      setOutcome({ saved: false, reason: 'failed', message: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  };
  // a browser download shows in the browser's own bar; a chosen place, a cancel or a failure is said here
  const said = outcome && !(outcome.saved && outcome.path === null) ? saveOutcomeText(fileName, outcome) : null;
  return (
    <>
      <button type="button" className={className} onClick={() => void onClick()} disabled={busy}>
        {children}
      </button>
      {said && (
        <span className={`small ${outcome?.saved ? 'ok' : outcome && 'reason' in outcome && outcome.reason === 'failed' ? 'warn' : 'muted'}`} role="status" data-testid="save-outcome">
          {said}
        </span>
      )}
    </>
  );
}

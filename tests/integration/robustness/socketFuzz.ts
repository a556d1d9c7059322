import { closeCodeIn, openRawSocket, textMessagesIn } from './rawWebSocket';
import type { SocketFuzzCase } from './socketFuzzCases';

export type SocketCaseOutcome =
  | { kind: 'answer'; code: string }
  | { kind: 'close'; code: number | null }
  /** nothing came back before we hung up: the server waits for the rest of a frame (a partial frame) */
  | { kind: 'silent' };

/** Writes one case on its own authenticated raw socket and reports what the server did. */
export async function runSocketCase(port: number, token: string, fuzz: SocketFuzzCase, waitMs = 2000): Promise<SocketCaseOutcome> {
  const raw = await openRawSocket(port, token);
  const { socket } = raw;
  let closed = false;
  void raw.closed.then(() => (closed = true));
  socket.write(fuzz.bytes);
  const deadline = Date.now() + waitMs;
  try {
    for (;;) {
      const bytes = raw.received();
      const code = closeCodeIn(bytes);
      if (code !== null) return { kind: 'close', code };
      const answer = textMessagesIn(bytes).find((m): m is { type: string; ok: boolean; error: { code: string } } => typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'result');
      if (answer) return answer.ok ? { kind: 'answer', code: 'ok' } : { kind: 'answer', code: answer.error.code };
      if (closed) return { kind: 'close', code: null };
      if (Date.now() > deadline) return { kind: 'silent' };
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    socket.destroy();
  }
}

/** Whether an outcome is what the case calls a clear refusal. */
export function outcomeMatches(fuzz: SocketFuzzCase, outcome: SocketCaseOutcome): boolean {
  if (fuzz.expect.kind === 'answer') return outcome.kind === 'answer' && outcome.code !== 'ok' && outcome.code !== 'internal';
  if (!fuzz.expect.codes && outcome.kind === 'silent') return true;
  if (outcome.kind !== 'close') return false;
  return !fuzz.expect.codes || (outcome.code !== null && fuzz.expect.codes.includes(outcome.code));
}

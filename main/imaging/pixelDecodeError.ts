/**
 * One file could not be read as pixels. The message always names the file and
 * the problem, so an importer can report it per file and carry on.
 */
export class PixelDecodeError extends Error {
  readonly fileName: string;
  readonly problem: string;

  constructor(fileName: string, problem: string, options?: { cause?: unknown }) {
    super(`${fileName}: ${problem}`, options);
    this.name = 'PixelDecodeError';
    this.fileName = fileName;
    this.problem = problem;
  }
}

/** Text of whatever a codec threw (some throw strings or plain objects). */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'string') return thrown;
  if (thrown && typeof thrown === 'object') {
    const inner = (thrown as { exception?: unknown; message?: unknown }).exception ?? (thrown as { message?: unknown }).message;
    if (inner !== undefined) return describeThrown(inner);
  }
  return String(thrown);
}

/** Runs a codec call and turns anything it throws into a PixelDecodeError for this file. */
export function withFileErrors<T>(fileName: string, what: string, run: () => T): T {
  try {
    return run();
  } catch (thrown) {
    if (thrown instanceof PixelDecodeError) throw thrown;
    throw new PixelDecodeError(fileName, `${what}: ${describeThrown(thrown)}`, { cause: thrown });
  }
}

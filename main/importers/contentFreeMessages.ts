/**
 * Messages about a file's problems that name positions and fields, never the file's contents: an
 * importer pointed at any file (a remote caller's choice) must not read it back through its errors.
 * Library messages (JSON.parse, YAML, XML) quote the text they choke on, so they pass through here.
 */

/** "at line 3 column 7" (or "at position 41") from a JSON.parse error, or nothing: V8 quotes the text around it. */
export function jsonErrorPosition(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return ` at line ${lineColumn[1]} column ${lineColumn[2]}`;
  const position = /at position (\d+)/.exec(message);
  return position ? ` at character ${Number(position[1]) + 1}` : '';
}

/** "at line 3 column 7" from a yaml / fast-xml-parser error's own position fields, or nothing. */
export function linePosition(error: unknown): string {
  if (!error || typeof error !== 'object') return '';
  const e = error as { linePos?: Array<{ line?: number; col?: number }>; line?: unknown; col?: unknown };
  const at = e.linePos?.[0];
  if (at && typeof at.line === 'number') return ` at line ${at.line}${typeof at.col === 'number' ? ` column ${at.col}` : ''}`;
  if (typeof e.line === 'number') return ` at line ${e.line}${typeof e.col === 'number' ? ` column ${e.col}` : ''}`;
  return '';
}

/** An id from an annotation file as shown in a message: a number as itself, anything else by its index. */
export function idForMessage(value: unknown, index: number): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : `#${index + 1} (its id is not a number)`;
}

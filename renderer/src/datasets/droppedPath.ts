/**
 * A local path from something dropped on the page. Browsers hide the paths of
 * dropped files, but a file manager's drag also carries text/uri-list
 * ("file:///data/set") or plain text, which we can use.
 */
export function pathFromDropText(uriList: string, plain: string): string | null {
  const uri = uriList
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith('#'));
  if (uri?.startsWith('file://')) {
    const url = new URL(uri);
    const decoded = decodeURIComponent(url.pathname);
    // file:///C:/data -> C:/data on Windows
    return /^\/[A-Za-z]:\//.test(decoded) ? decoded.slice(1) : decoded;
  }
  const text = plain.trim();
  if (text.startsWith('file://')) return pathFromDropText(text, '');
  if (/^(\/|~\/|[A-Za-z]:[\\/]|\\\\)/.test(text) && !text.includes('\n')) return text;
  return null;
}

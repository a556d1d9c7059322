/**
 * The sites a link in the app may open in the system browser: the paper, the datasets' publishers, licences
 * and the project. Anything else a page asks for (a compromised dataset README rendered as a link, an injected
 * window.open) is refused, so the app cannot be used to launch arbitrary URLs or URL handlers.
 */
export const externalLinkHosts: readonly string[] = ['doi.org', 'nature.com', 'arxiv.org', 'github.com', 'medmnist.com', 'zenodo.org', 'creativecommons.org', 'apache.org'];

export function externalLinkAllowed(url: string, hosts: readonly string[] = externalLinkHosts): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return false;
  const host = parsed.hostname.toLowerCase();
  return hosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
}

import http from 'node:http';

export interface HttpAnswer {
  status: number;
  body: string;
  ms: number;
}

/** One HTTP request to the server; a connection reset or a timeout rejects (the suite counts them as failures). */
export function httpProbe(
  port: number,
  pathname: string,
  init: { method?: string; headers?: Record<string, string>; body?: Buffer | string; chunked?: boolean; timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (init.body !== undefined && !init.chunked) headers['Content-Length'] = String(Buffer.byteLength(init.body));
    const req = http.request({ host: '127.0.0.1', port, path: pathname, method: init.method ?? 'GET', headers, timeout: init.timeoutMs ?? 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: Date.now() - started }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${pathname} in ${init.timeoutMs ?? 30_000} ms`)));
    req.on('error', reject);
    if (init.body === undefined) return void req.end();
    if (!init.chunked) return void req.end(init.body);
    // chunked: the size is only known as it arrives
    const body = Buffer.from(init.body);
    let at = 0;
    const pump = () => {
      while (at < body.length) {
        const piece = body.subarray(at, at + 1024 * 1024);
        at += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

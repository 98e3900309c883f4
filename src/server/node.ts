import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/**
 * Adapts a Fetch-API handler to Node's `http` server (and Express, which uses the same
 * request/response objects): `http.createServer(toNodeListener(handler))`. The request's
 * `signal` aborts when the client goes away, which closes status streams.
 */
export function toNodeListener(handler: (request: Request) => Promise<Response>, options: { origin?: string } = {}) {
  return async (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): Promise<void> => {
    try {
      const request = toRequest(req, res, options.origin);
      const response = await handler(request);
      await writeResponse(response, res);
    } catch (error) {
      if (next) return next(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'server_error', message: 'Something went wrong on the server.' } }));
    }
  };
}

function toRequest(req: IncomingMessage, res: ServerResponse, origin?: string): Request {
  const controller = new AbortController();
  res.on('close', () => controller.abort());
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else headers.set(key, value);
  }
  const base = origin ?? `http://${req.headers.host ?? 'localhost'}`;
  // Express mounts change req.url; originalUrl keeps the full path
  const path = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(new URL(path, base), {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    signal: controller.signal,
    // required by Node's fetch for streamed bodies
    ...(hasBody ? { duplex: 'half' } : {}),
  } as RequestInit);
}

async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  res.on('close', () => void reader.cancel().catch(() => {}));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
  } catch {
    /* client went away */
  }
  res.end();
}

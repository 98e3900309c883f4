/**
 * The demo's merchant backend: one or more session endpoints wired to the Cryptopocket simulator
 * in-process, or to a real API origin when one is given. Used by `npm start` and by the browser tests.
 */
import { MemoryBus, MemoryStore, createSessionHandler, type SessionHandler, type SessionHandlerOptions, type SessionUser } from '../src/server/index.js';
import { createSimulator, type Simulator, type SimulatorOptions } from '../src/simulator/index.js';

export interface BackendOptions {
  /** The origin this backend is served at (used for the simulator's webhook URL). */
  publicOrigin: string;
  /** Session endpoints to mount: each has its own path and way to resolve the user. */
  sessions: {
    basePath: string;
    resolveUser: (request: Request) => SessionUser | null | Promise<SessionUser | null>;
    /** This endpoint's own options (amount limits, support contact…), over `handlerOptions`. */
    options?: Partial<SessionHandlerOptions>;
  }[];
  /** A real CryptopocketAPI origin; when absent the simulator answers. */
  apiOrigin?: string;
  apiKey?: string;
  /** With a real API: the secret exchanged with the key for a token (`POST /api/authenticate`). */
  apiSecret?: string;
  webhookSecret?: string;
  /** Serve the simulator's own pages (hosted checkout, KYC and onboarding forms) here, at this origin (default: links to demo.cryptopocket.io). */
  pagesUrl?: string;
  /** The simulator's clocks for verification and payments (`kycReviewMs`, `sendMs`). */
  simulatorClocks?: Pick<SimulatorOptions, 'kycReviewMs' | 'sendMs'>;
  /** Simulator clock: step open operations this often (ms); 0 = only when stepped. */
  autoAdvanceMs?: number;
  /** Passed to every session handler (rate limits, status polling…). */
  handlerOptions?: Partial<SessionHandlerOptions>;
  log?: (line: string) => void;
}

export interface Backend {
  handle(request: Request): Promise<Response>;
  simulator?: Simulator;
  close(): void;
}

export function createBackend(options: BackendOptions): Backend {
  const real = Boolean(options.apiOrigin);
  const apiKey = options.apiKey ?? 'sim-api-key';
  const webhookSecret = options.webhookSecret ?? 'sim-webhook-secret';
  const store = new MemoryStore();
  const bus = new MemoryBus();
  const first = options.sessions[0]!;
  let handlers: { basePath: string; handler: SessionHandler }[] = [];
  const route = (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    if (simulator && (pathname.startsWith('/_simulator/') || simulator.servesPage(pathname))) return simulator.handle(request);
    if (simulator && pathname === '/_backend/streams') {
      // the demo's own control: how many status streams are open on one operation (tests of the element's cleanup)
      const q = new URL(request.url).searchParams;
      return Promise.resolve(Response.json({ streams: bus.count(q.get('flow') ?? '', q.get('id') ?? '') }));
    }
    const match = handlers.find(({ basePath }) => pathname === basePath || pathname.startsWith(`${basePath}/`));
    return match ? match.handler(request) : Promise.resolve(new Response('Not found', { status: 404 }));
  };
  const simulator = real
    ? undefined
    : createSimulator({
        apiKey,
        webhookSecret,
        webhookUrl: `${options.publicOrigin}${first.basePath}/webhooks`,
        // deliver webhooks in-process, signed and raw, exactly as they would arrive over HTTP
        fetch: (input, init) => route(new Request(input, init)),
        autoAdvanceMs: options.autoAdvanceMs ?? 0,
        ...(options.pagesUrl ? { pagesUrl: options.pagesUrl } : {}),
        ...options.simulatorClocks,
      });
  handlers = options.sessions.map(({ basePath, resolveUser, options: own }) => ({
    basePath,
    handler: createSessionHandler({
      apiOrigin: options.apiOrigin ?? 'http://simulator.invalid',
      apiKey,
      ...(options.apiSecret ? { apiSecret: options.apiSecret } : {}),
      webhookSecret,
      basePath,
      resolveUser,
      store,
      bus,
      ...(simulator ? { fetch: simulator.fetch } : {}),
      ...(options.log ? { log: options.log } : {}),
      ...options.handlerOptions,
      ...own,
    }),
  }));
  return {
    handle: route,
    ...(simulator ? { simulator } : {}),
    close: () => {
      simulator?.close();
      for (const { handler } of handlers) handler.close();
    },
  };
}

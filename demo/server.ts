/**
 * `npm start`: one local server with the demo page, the session handler at /session and the
 * Cryptopocket simulator, wired together. Environment:
 *   PORT                          port (default 8080)
 *   CRYPTOPOCKET_API_URL          a real API origin instead of the simulator (with the two below)
 *   CRYPTOPOCKET_API_KEY          its key (sent upstream in the `auth` header, never to the browser)
 *   CRYPTOPOCKET_API_SECRET       optional: exchanged with the key for a token (POST /api/authenticate)
 *   CRYPTOPOCKET_WEBHOOK_SECRET   secret for webhook signatures
 *   DEMO_USER_ID, DEMO_REGION     the user the demo backend resolves (default: simulator user 106, EU)
 *   SIMULATOR_STEP_MS             simulator clock: advance open operations this often (default 0: by hand)
 *   DEMO_ALLOWED_ORIGINS          comma-separated origins whose pages may call /session (a page on another origin
 *                                 trying the endpoint, with `credentials="include"`)
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toNodeListener, type SessionUser } from '../src/server/index.js';
import { SIM_USERS } from '../src/simulator/index.js';
import { createBackend } from './backend.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env.PORT ?? 8080);
const apiOrigin = process.env.CRYPTOPOCKET_API_URL || undefined;
if (apiOrigin && !process.env.CRYPTOPOCKET_API_KEY) {
  console.error('CRYPTOPOCKET_API_URL is set: set CRYPTOPOCKET_API_KEY too.');
  process.exit(1);
}
const defaultUser: SessionUser = {
  id: process.env.DEMO_USER_ID ?? '106',
  region: process.env.DEMO_REGION === 'LATAM' ? 'LATAM' : 'EU',
  ...(process.env.DEMO_REGION === 'LATAM' ? { fiat: process.env.DEMO_FIAT ?? 'ARS' } : {}),
};

/**
 * The demo's "login": a `demo_user` cookie picks one of the simulator's users (the page's user
 * switch sets it). A real backend resolves the user from its own session instead.
 */
function resolveUser(request: Request): SessionUser | null {
  const cookie = /(?:^|;\s*)demo_user=([\w-]{1,40})/.exec(request.headers.get('cookie') ?? '')?.[1];
  // "New customer": a merchant user with no Cryptopocket account; the handler registers them and keeps the id
  const fresh = /^new-([0-9a-f]{1,8})$/.exec(cookie ?? '')?.[1];
  if (!apiOrigin && fresh) return { merchantUserId: `demo-${fresh}`, region: 'EU', name: 'Alex Newman', email: `alex.${fresh}@example.com` };
  const sim = !apiOrigin && cookie ? SIM_USERS.find((u) => String(u.id) === cookie) : undefined;
  const known = sim ?? (apiOrigin ? undefined : SIM_USERS.find((u) => String(u.id) === String(defaultUser.id)));
  // the simulator's KYC form is served here, so the link works offline
  if (known) return { id: known.id, region: known.region, fiat: known.fiat, kycUrl: `${origin}/kyc/${known.id}`, accountHolder: known.name };
  return defaultUser;
}

const origin = `http://localhost:${port}`;
const allowedOrigins = (process.env.DEMO_ALLOWED_ORIGINS ?? '')
  .split(',')
  .map((o) => o.trim())
  .filter(Boolean);
const backend = createBackend({
  publicOrigin: origin,
  ...(apiOrigin ? {} : { pagesUrl: origin }),
  sessions: [
    {
      basePath: '/session',
      resolveUser,
      // what a merchant would set: its amount limits and where its users get help
      options: {
        amountLimits: { onramp: { EUR: { min: '20', max: '5000' } }, offramp: { USDC: { max: '50000' }, USDT: { max: '50000' } } },
        support: { url: 'https://help.cryptopocket.io/', email: 'support@cryptopocket.io' },
        // new customers register in the widget; their name and email come from the shop and may be corrected
        registration: { editable: ['name', 'email'], termsUrl: 'https://cryptopocket.io/terms' },
        ...(allowedOrigins.length ? { allowedOrigins } : {}),
      },
    },
  ],
  apiOrigin,
  apiKey: process.env.CRYPTOPOCKET_API_KEY,
  apiSecret: process.env.CRYPTOPOCKET_API_SECRET,
  webhookSecret: process.env.CRYPTOPOCKET_WEBHOOK_SECRET,
  autoAdvanceMs: Number(process.env.SIMULATOR_STEP_MS ?? 0),
});
const api = toNodeListener(backend.handle);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

const server = createServer(async (req, res) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path.startsWith('/session') || path.startsWith('/_simulator/') || backend.simulator?.servesPage(path)) return api(req, res);
  if (path === '/demo-info') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ simulator: !apiOrigin, users: apiOrigin ? [] : SIM_USERS.map(({ id, name, region, kyc }) => ({ id, name, region, kyc })) }));
    return;
  }
  const file = path === '/' ? 'demo/index.html' : path.slice(1);
  const safe = normalize(file);
  if (safe.startsWith('..') || !(safe.startsWith('dist/') || safe.startsWith('demo/'))) {
    res.writeHead(404).end('Not found');
    return;
  }
  try {
    const body = await readFile(join(root, safe));
    res.writeHead(200, { 'content-type': TYPES[extname(safe)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(body);
  } catch {
    res.writeHead(404).end(safe.startsWith('dist/') ? 'Not found: run `npm run build` first (npm start does it).' : 'Not found');
  }
});

server.on('error', (error: NodeJS.ErrnoException) => {
  console.error(
    error.code === 'EADDRINUSE'
      ? `Port ${port} is in use: stop what runs there, or start with PORT=<another port> npm start.`
      : `The demo could not start: ${error.message}`,
  );
  process.exit(1);
});
server.listen(port, () => {
  console.log('cryptopocket-ramp demo (Ctrl-C to stop)');
  console.log(
    apiOrigin
      ? `  session endpoint → ${apiOrigin} (user ${defaultUser.id}, ${defaultUser.region})`
      : '  session endpoint → Cryptopocket simulator (in-process; its checkout and verification pages are served here too)',
  );
  if (allowedOrigins.length) console.log(`  other origins allowed to call /session: ${allowedOrigins.join(', ')}`);
  console.log(`  http://localhost:${port}/`);
});

function stop(): void {
  backend.close();
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

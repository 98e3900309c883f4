/**
 * The session endpoint as a Next.js route handler: every `/api/ramp-session/…` call goes to the handler, which decides
 * the user and forwards allowed calls with your API key. Without `CRYPTOPOCKET_API_KEY` it runs against the simulator.
 */
import { createSessionHandler, type SessionUser } from 'cryptopocket-ramp/server';
import { createSimulator } from 'cryptopocket-ramp/simulator';

const apiKey = process.env.CRYPTOPOCKET_API_KEY;
const simulator = apiKey ? undefined : createSimulator({ apiKey: 'dev-key', autoAdvanceMs: 10_000 });

/** Replace with your own session lookup (a cookie, your auth library…): who is signed in, and their Cryptopocket id. */
async function resolveUser(request: Request): Promise<SessionUser | null> {
  return request.headers.get('cookie') !== null || simulator ? { id: 106, region: 'EU' } : null;
}

const handler = createSessionHandler({
  apiKey: apiKey ?? 'dev-key',
  apiOrigin: process.env.CRYPTOPOCKET_API_URL ?? 'http://simulator.invalid',
  ...(simulator ? { fetch: simulator.fetch, pollMs: { first: 1_000, max: 5_000 } } : {}),
  basePath: '/api/ramp-session',
  resolveUser,
});

export const dynamic = 'force-dynamic';
export const GET = (request: Request) => handler(request);
export const POST = (request: Request) => handler(request);

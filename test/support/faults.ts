/**
 * The fault tests' setting (test/server/faults-*.node.test.ts), also used by the lib tests that need a handler:
 * session handlers on in-process simulators, closed after each test, and what the widget does when it presses Confirm.
 */
import { afterEach } from 'node:test';
import { createSessionHandler, type SessionHandler, type SessionHandlerOptions, type SessionUser } from '../../src/server/index.js';
import { createSimulator, type Simulator } from '../../src/simulator/index.js';

export const EU: SessionUser = { id: 106, region: 'EU' };
export const OTHER: SessionUser = { id: 110, region: 'EU' };
export const RAMPOFF = { amount: '25', symbol: 'USDC', chain: 'polygon', fiat: 'EUR', iban: 'ES9121000418450200051332' };
export const PAYMENT = {
  fiatAmount: '50',
  fiat: 'EUR',
  symbol: 'USDC',
  chain: 'polygon',
  wallet: '0xe0Cc5cC0e6B6d1B40bA4f6a0E3BB8F3b7c3a9e2a',
  method: 'card',
};
const open: SessionHandler[] = [];
const sims: Simulator[] = [];

afterEach(() => {
  for (const h of open.splice(0)) h.close();
  for (const s of sims.splice(0)) s.close();
});

/** A session handler on a test simulator (closed after each test); the rest of its options are the test's. */
export function instance(options: Partial<SessionHandlerOptions> & Pick<SessionHandlerOptions, 'fetch' | 'resolveUser'>): SessionHandler {
  const h = createSessionHandler({ apiOrigin: 'http://sim.test', apiKey: 'k', basePath: '/s', log: () => {}, ...options });
  open.push(h);
  return h;
}

/** A simulator closed after the test. */
export function simulator(options: Parameters<typeof createSimulator>[0]): Simulator {
  const sim = createSimulator(options);
  sims.push(sim);
  return sim;
}

export function setup(extra: Partial<SessionHandlerOptions> = {}, user: SessionUser = EU) {
  const sim = simulator({ apiKey: 'k', webhookSecret: 's' });
  const logs: string[] = [];
  const h = instance({ webhookSecret: 's', fetch: sim.fetch, resolveUser: () => user, timeout: 200, log: (l) => logs.push(l), ...extra });
  return { sim, h, logs };
}

export const call = (h: SessionHandler, path: string, init: RequestInit = {}) => h(new Request(`http://shop.test/s/${path}`, init));
export const post = (body: unknown, key: string, headers: Record<string, string> = {}) => ({
  method: 'POST',
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', 'idempotency-key': key, ...headers },
});
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the widget does: the same key on every try, again while the answer is "checking" or "in progress". */
export async function pressConfirm(
  h: SessionHandler,
  path: string,
  body: unknown,
  key: string,
): Promise<{ status: number; body: { id?: string; wallet?: string; error?: { code: string } }; tries: number }> {
  for (let tries = 1; ; tries++) {
    const res = await call(h, path, post(body, key));
    const json = await res.json();
    const again = res.status === 202 || (res.status === 409 && json.error?.code === 'request_in_progress') || res.status === 503;
    if (!again || tries >= 40) return { status: res.status, body: json, tries };
    await sleep(Number(res.headers.get('retry-after') ?? 1) * 50);
  }
}

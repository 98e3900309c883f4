/**
 * A small load run on loopback (bounded, stops by itself): the session handler over HTTP in front of the
 * simulator over HTTP. Asserts no errors and exactly one upstream create per Idempotency-Key; prints the
 * latency percentiles for the README's Reliability section (reported, not asserted).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createSessionHandler, toNodeListener } from '../../src/server/index.js';
import { createSimulator } from '../../src/simulator/index.js';

const sim = createSimulator({ apiKey: 'k' });
let simServer: Server;
let appServer: Server;
let base = '';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

before(async () => {
  simServer = createServer(toNodeListener(sim.handle));
  const simPort = await listen(simServer);
  const handler = createSessionHandler({
    apiOrigin: `http://127.0.0.1:${simPort}`,
    apiKey: 'k',
    basePath: '/s',
    resolveUser: () => ({ id: 106, region: 'EU' }),
    log: () => {},
    // one user stands in for many here: the run measures the handler, not the per-user limits
    limits: { quotesPerMinute: 100_000, createsPerMinute: 100_000 },
  });
  appServer = createServer(toNodeListener(handler));
  base = `http://127.0.0.1:${await listen(appServer)}/s`;
});

after(() => {
  for (const server of [simServer, appServer]) {
    server.closeAllConnections();
    server.close();
  }
});

function percentiles(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(1);
  return `p50 ${at(50)} ms, p95 ${at(95)} ms, p99 ${at(99)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`;
}

async function timed(url: string, init?: RequestInit): Promise<{ status: number; ms: number; body: string }> {
  const started = performance.now();
  const res = await fetch(url, init);
  const body = await res.text();
  return { status: res.status, ms: performance.now() - started, body };
}

describe('load on loopback', () => {
  it('1,000 concurrent quotes: all answered, none failed', async (t) => {
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => timed(`${base}/offramp/quote?amount=${10 + (i % 90)}&symbol=USDC&chain=polygon`)));
    const wall = performance.now() - started;
    assert.deepEqual([...new Set(results.map((r) => r.status))], [200]);
    t.diagnostic(
      `load: 1000 concurrent quotes in ${wall.toFixed(0)} ms (${((1000 / wall) * 1000).toFixed(0)} req/s); ${percentiles(results.map((r) => r.ms))}`,
    );
  });

  it('200 concurrent creates with 50 distinct keys: exactly 50 upstream creates, every caller gets its operation', async (t) => {
    const before = sim.rampoffs.size;
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        timed(`${base}/offramp/operations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `load-key-${i % 50}` },
          body: JSON.stringify({ amount: String(1 + (i % 50)), symbol: 'USDC', chain: 'polygon', fiat: 'EUR', iban: 'ES9121000418450200051332' }),
        }),
      ),
    );
    const wall = performance.now() - started;
    assert.deepEqual([...new Set(results.map((r) => r.status))], [201]);
    assert.equal(sim.rampoffs.size - before, 50);
    const idsByKey = new Map<number, Set<string>>();
    results.forEach((r, i) => {
      const set = idsByKey.get(i % 50) ?? new Set<string>();
      set.add(JSON.parse(r.body).id);
      idsByKey.set(i % 50, set);
    });
    assert.ok(
      [...idsByKey.values()].every((ids) => ids.size === 1),
      'every caller with a key got the same operation',
    );
    t.diagnostic(
      `load: 200 concurrent creates (50 keys) in ${wall.toFixed(0)} ms; ${percentiles(results.map((r) => r.ms))}; upstream creates: ${sim.rampoffs.size - before}`,
    );
  });
});

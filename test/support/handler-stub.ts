import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach } from 'node:test';
import { createSessionHandler, type SessionUser } from '../../src/server/index.js';

/**
 * The handler tests' setting (test/server/handler-*.node.test.ts): a second, independent stub of the documented CryptopocketAPI over real HTTP: it answers with the
 * docs' own examples and records what the handler sent, so these tests check the handler against
 * the docs rather than against our simulator.
 */
export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: string;
}

export const API_KEY = 'b87bsdf8hdsj9fh9sd78fubsdoiufbj';
export const SECRET = 'whsec-test';
let stub: Server;
export let origin = '';
export const recorded: Recorded[] = [];
/** Per path: the next answer (status, JSON text); a missing entry falls back to the docs' examples. */
export let overrides: Record<string, { status: number; body: string; delayMs?: number }> = {};

export const DOCS: Record<string, string> = {
  'GET /api/kyc/check': '{"status":"ok","data":{"kyc_status":"valid"}}',
  'POST /api/createRampoff':
    '{"status":"ok","data":{"rampoff":"payment created","wallet":"0xe0Cc5cC0e6B6d1B40bA4f6a0E3BB8F3b7c3a9e2a","id":"ExM63FJ9ZsAZF2VfTfU4rn7Sq"}}',
  'GET /api/getRampoff':
    '{"status":"ok","data":{"id":"ExM63FJ9ZsAZF2VfTfU4rn7Sq","status":"finished","blockchain":"bsc","crypto":"BUSD","amount":"20000000000000000000","decimals":18,"fiat_amount":"4800.24"}}',
  'POST /api/createPayment':
    '{"status":"sucess","message":"payment_created","data":{"payment_id":"9NM6ICl2KDaUiMtkDm4JSTqdQ","iban":"ES6800491500051234567892","bic":"PFSSESM1XXX","concept":120037,"destination_name":"Fintech Payments, S.L"}}',
  'GET /api/payment/9NM6ICl2KDaUiMtkDm4JSTqdQ':
    '{"status":"ok","data":{"id":"9NM6ICl2KDaUiMtkDm4JSTqdQ","external_id":"order-abc-001","user_id":"106","status":"started","fiat_amount":15050,"fiat_symbol":"EUR","coin_symbol":"USDC","coin_amount":148.32,"created_at":"2026-06-26T10:30:00.000000Z","holder":null}}',
};

before(async () => {
  stub = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      recorded.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body });
      const key = `${req.method} ${url.pathname}`;
      const override = overrides[url.pathname];
      const answer = () => {
        if (override) {
          res.writeHead(override.status, { 'content-type': 'application/json' });
          res.end(override.body);
        } else if (DOCS[key]) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(DOCS[key]);
        } else {
          res.writeHead(404, { 'content-type': 'text/html' });
          res.end('<h1>Not Found</h1>');
        }
      };
      if (override?.delayMs) setTimeout(answer, override.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
});

after(() => {
  stub.closeAllConnections();
  stub.close();
});

beforeEach(() => {
  recorded.length = 0;
  overrides = {};
});

export const EU: SessionUser = { id: 106, region: 'EU' };
export const logs: string[] = [];

export function handler(user: SessionUser | null = EU, extra: Partial<Parameters<typeof createSessionHandler>[0]> = {}) {
  return createSessionHandler({
    apiOrigin: origin,
    apiKey: API_KEY,
    webhookSecret: SECRET,
    basePath: '/ramp',
    resolveUser: () => user,
    timeout: 500,
    log: (line) => logs.push(line),
    ...extra,
  });
}

export function call(h: (r: Request) => Promise<Response>, path: string, init: RequestInit = {}) {
  return h(new Request(`http://shop.test/ramp/${path}`, init));
}

export function post(body: unknown, key = 'key-12345678', headers: Record<string, string> = {}) {
  return { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', 'idempotency-key': key, ...headers } };
}

export const RAMPOFF = { amount: '20', symbol: 'BUSD', chain: 'bsc', fiat: 'EUR', iban: 'es91 2100 0418 4502 0005 1332' };

/**
 * Registration of a merchant user who has no Cryptopocket account yet: the handler in front of the simulator
 * in-process. Identity comes from resolveUser only; one account per merchant user, whatever is pressed twice.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSessionHandler, MemoryStore, type SessionHandlerOptions, type SessionUser } from '../../src/server/index.js';
import { createSimulator } from '../../src/simulator/index.js';
import { RecordingStore } from '../support/recording-store.js';

/** The handler on a simulator; `extra` replaces any of its options (a store, the log, the registration settings). */
function setup(users: Record<string, SessionUser>, editable: ('name' | 'email')[] = [], now?: () => number, extra: Partial<SessionHandlerOptions> = {}) {
  const simulator = createSimulator({ apiKey: 'k', ...(now ? { now, kycReviewMs: 3000 } : {}) });
  const registered: { user: SessionUser; id: string; url: string | undefined }[] = [];
  const handler = createSessionHandler({
    apiOrigin: 'http://simulator.invalid',
    apiKey: 'k',
    basePath: '/s',
    fetch: simulator.fetch,
    log: () => {},
    resolveUser: (request) => users[request.headers.get('x-user') ?? ''] ?? null,
    registration: { editable, termsUrl: 'https://cryptopocket.io/terms', onUserRegistered: (user, id, url) => void registered.push({ user, id, url }) },
    ...extra,
  });
  const call = (who: string, path: string, body?: unknown, key = `key-${who}-00000`) =>
    handler(
      new Request(`http://shop.test/s/${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'x-user': who, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json', 'idempotency-key': key },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
  const registrations = () => simulator.requests.filter((r) => r.path === '/api/registerUser').length;
  return { simulator, handler, call, registered, registrations, close: () => (handler.close(), simulator.close()) };
}

describe('the in-memory store', () => {
  it('setIfAbsent is one winner among callers at the same moment (claims and locks rely on it)', async () => {
    const store = new MemoryStore();
    const wins = await Promise.all(Array.from({ length: 50 }, () => store.setIfAbsent('claim', 'x', 60_000)));
    assert.equal(wins.filter(Boolean).length, 1);
  });
});

describe('registration (a merchant user without a Cryptopocket account)', () => {
  it('config says account none with what registering needs; nothing else works before; register makes one account, handed to the merchant once', async () => {
    const t = setup({ nina: { merchantUserId: 'shop-42', region: 'EU', name: 'Nina Ros', email: 'nina@shop.test' } });
    const before = await (await t.call('nina', 'config')).json();
    assert.equal(before.account, 'none');
    assert.deepEqual(before.registration, { name: 'Nina Ros', email: 'nina@shop.test', editable: [], termsUrl: 'https://cryptopocket.io/terms' });
    const quote = await t.call('nina', 'onramp/quote?amount=50&symbol=USDC&chain=polygon');
    assert.equal(quote.status, 403);
    assert.equal((await quote.json()).error.code, 'account_required');
    // the body cannot change what the merchant did not make editable, nor say who registers
    const made = await t.call('nina', 'register', { email: 'someone-else@shop.test', user_id: 106, merchantUserId: 'shop-1' });
    assert.equal(made.status, 201);
    assert.deepEqual(await made.json(), { kycUrl: `https://demo.cryptopocket.io/kyc/${t.registered[0]!.id}` });
    assert.equal(t.registered.length, 1);
    assert.equal(t.registered[0]!.user.merchantUserId, 'shop-42');
    const sent = JSON.parse(t.simulator.requests.find((r) => r.path === '/api/registerUser')!.body);
    assert.deepEqual({ name: sent.name, email: sent.email }, { name: 'Nina Ros', email: 'nina@shop.test' });
    const after = await (await t.call('nina', 'config')).json();
    assert.equal(after.account, 'registered');
    assert.equal(after.kyc.status, 'pending');
    assert.equal(after.kyc.raw, 'unused');
    // again: the same answer, no second account
    assert.equal((await t.call('nina', 'register', {})).status, 200);
    assert.equal(t.registrations(), 1);
    t.close();
  });

  it('a double press makes one upstream registration', async () => {
    const t = setup({ omar: { merchantUserId: 'shop-43', region: 'EU', name: 'Omar Gil', email: 'omar@shop.test' } });
    const answers = await Promise.all([t.call('omar', 'register', {}), t.call('omar', 'register', {})]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409]);
    assert.equal(t.registrations(), 1);
    assert.equal(t.registered.length, 1);
    t.close();
  });

  it('an email that already has an account, or a throwaway one, gets its own clear answer', async () => {
    const t = setup(
      {
        a: { merchantUserId: 'shop-50', region: 'EU', name: 'Ana Uno', email: 'same@shop.test' },
        b: { merchantUserId: 'shop-51', region: 'EU', name: 'Ana Dos', email: 'same@shop.test' },
        c: { merchantUserId: 'shop-52', region: 'EU', name: 'Temp User' },
      },
      ['email'],
    );
    assert.equal((await t.call('a', 'register', {})).status, 201);
    const taken = await t.call('b', 'register', {});
    assert.equal(taken.status, 409);
    assert.deepEqual((await taken.json()).error, { code: 'user_already_exists', message: 'An account with this email already exists at Cryptopocket.' });
    const throwaway = await t.call('c', 'register', { email: 'temp@mailinator.com' });
    assert.equal(throwaway.status, 422);
    assert.equal((await throwaway.json()).error.code, 'email_not_allowed');
    assert.equal((await t.call('c', 'register', { email: 'not an email' })).status, 422);
    assert.equal(t.registered.length, 1);
    t.close();
  });
});

describe('registration: what is sent, and each refusal in words', () => {
  const sent = (t: ReturnType<typeof setup>) =>
    t.simulator.requests.filter((r) => r.path === '/api/registerUser').map((r) => JSON.parse(r.body) as Record<string, string>);
  const error = async (res: Response) => ({ status: res.status, ...((await res.json()) as { error: unknown }) });

  it('a merchant without registration (no merchantUserId) is told so, and nothing is sent', async () => {
    const t = setup({ anon: { region: 'EU', name: 'No Id', email: 'no@shop.test' } });
    assert.deepEqual(await error(await t.call('anon', 'register', {})), {
      status: 400,
      error: { code: 'registration_unavailable', message: 'This merchant does not register users here.' },
    });
    assert.equal(t.registrations(), 0);
    t.close();
  });

  it('names and emails are sent trimmed; a blank typed field keeps the merchant’s value', async () => {
    const t = setup({ eva: { merchantUserId: 'shop-60', region: 'EU', name: '  Eva Sol ', email: 'eva@shop.test' } }, ['name', 'email']);
    assert.equal((await t.call('eva', 'register', { name: '   ', email: '  eva.sol@shop.test  ' })).status, 201);
    assert.deepEqual(
      sent(t).map(({ name, email }) => ({ name, email })),
      [{ name: 'Eva Sol', email: 'eva.sol@shop.test' }],
    );
    t.close();
  });

  it('a name of 1 to 255 characters and a full email address; anything else is refused by name, before sending', async () => {
    const long = 'N'.repeat(255);
    const t = setup({
      long: { merchantUserId: 'shop-61', region: 'EU', name: long, email: 'long@shop.test' },
      longer: { merchantUserId: 'shop-62', region: 'EU', name: `${long}N`, email: 'longer@shop.test' },
      none: { merchantUserId: 'shop-63', region: 'EU', email: 'none@shop.test' },
      odd: { merchantUserId: 'shop-64', region: 'EU', name: 'Odd Mail', email: 'odd@shop.test>' },
      short: { merchantUserId: 'shop-65', region: 'EU', name: 'Short Tld', email: 'short@shop.t' },
      bracket: { merchantUserId: 'shop-73', region: 'EU', name: 'Bra Ket', email: '<bracket@shop.test' },
    });
    const name = { status: 422, error: { code: 'invalid_name', message: 'Enter your full name.' } };
    const email = { status: 422, error: { code: 'invalid_email', message: 'Enter a valid email address.' } };
    assert.deepEqual(await error(await t.call('longer', 'register', {})), name);
    assert.deepEqual(await error(await t.call('none', 'register', {})), name);
    assert.deepEqual(await error(await t.call('odd', 'register', {})), email);
    assert.deepEqual(await error(await t.call('short', 'register', {})), email);
    assert.deepEqual(await error(await t.call('bracket', 'register', {})), email);
    assert.equal(t.registrations(), 0);
    assert.equal((await t.call('long', 'register', {})).status, 201);
    t.close();
  });

  it('a user the merchant already knows the id of is answered 200 at once, with nothing sent', async () => {
    const t = setup({ known: { id: 106, merchantUserId: 'shop-66', region: 'EU', name: 'Known One', email: 'known@shop.test' } });
    const res = await t.call('known', 'register', {});
    assert.deepEqual([res.status, await res.json()], [200, {}]);
    assert.equal(t.registrations(), 0);
    t.close();
  });

  it('the second of a double press is told to wait, and may retry after a second', async () => {
    const t = setup({ ida: { merchantUserId: 'shop-67', region: 'EU', name: 'Ida Mar', email: 'ida@shop.test' } });
    const answers = await Promise.all([t.call('ida', 'register', {}), t.call('ida', 'register', {})]);
    const waiting = answers.find((a) => a.status === 409)!;
    assert.equal(waiting.headers.get('retry-after'), '1');
    assert.deepEqual((await waiting.json()).error, { code: 'request_in_progress', message: 'Your account is being created. Please wait a moment.' });
    t.close();
  });

  it('two users registering at the same moment are both registered: each waits only for their own', async () => {
    const t = setup({
      ria: { merchantUserId: 'shop-74', region: 'EU', name: 'Ria Sol', email: 'ria@shop.test' },
      sam: { merchantUserId: 'shop-75', region: 'EU', name: 'Sam Sol', email: 'sam@shop.test' },
    });
    const answers = await Promise.all([t.call('ria', 'register', {}), t.call('sam', 'register', {})]);
    assert.deepEqual(
      answers.map((a) => a.status),
      [201, 201],
    );
    t.close();
  });

  it('a body that is not a JSON object is refused in words', async () => {
    const t = setup({ tom: { merchantUserId: 'shop-76', region: 'EU', name: 'Tom Gil', email: 'tom@shop.test' } });
    assert.deepEqual(await error(await t.call('tom', 'register', [])), {
      status: 400,
      error: { code: 'invalid_request', message: 'The request body must be an object.' },
    });
    t.close();
  });

  it('a refused registration frees the user at once: corrected, it goes through', async () => {
    const t = setup({ ona: { merchantUserId: 'shop-68', region: 'EU', name: 'Ona Vila' } }, ['email']);
    assert.equal((await t.call('ona', 'register', { email: 'ona@mailinator.com' })).status, 422);
    assert.equal((await t.call('ona', 'register', { email: 'ona@shop.test' })).status, 201);
    assert.equal(t.registrations(), 2);
    t.close();
  });

  it('the page the user registers from is the callback, when it is an http(s) URL and the merchant set none', async () => {
    const t = setup({
      pia: { merchantUserId: 'shop-69', region: 'EU', name: 'Pia Roca', email: 'pia@shop.test' },
      leo: { merchantUserId: 'shop-70', region: 'EU', name: 'Leo Roca', email: 'leo@shop.test' },
    });
    const from = (who: string, referer: string) =>
      t.handler(
        new Request('http://shop.test/s/register', {
          method: 'POST',
          headers: { 'x-user': who, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json', referer },
          body: '{}',
        }),
      );
    assert.equal((await from('pia', 'https://shop.test/account')).status, 201);
    assert.equal((await from('leo', 'ftp://shop.test/account')).status, 201);
    assert.deepEqual(
      sent(t).map((body) => body.callback_url),
      ['https://shop.test/account', undefined],
    );
    t.close();
  });

  it('the new account and its KYC link are kept for ten years', async () => {
    const store = new RecordingStore();
    const t = setup({ uma: { merchantUserId: 'shop-72', region: 'EU', name: 'Uma Pla', email: 'uma@shop.test' } }, [], undefined, { store });
    assert.equal((await t.call('uma', 'register', {})).status, 201);
    const tenYears = 10 * 365 * 24 * 60 * 60 * 1000;
    const kept = store.writes.filter((w) => w.method === 'set').map((w) => [w.key.split(':')[0], w.ttlMs]);
    assert.deepEqual(kept.sort(), [
      ['account', tenYears],
      ['kycform', tenYears],
    ]);
    t.close();
  });

  it('a merchant hook that throws does not undo the account: 201, and the failure is logged', async () => {
    const logs: string[] = [];
    const t = setup({ teo: { merchantUserId: 'shop-71', region: 'EU', name: 'Teo Pons', email: 'teo@shop.test' } }, [], undefined, {
      log: (line) => logs.push(line),
      registration: {
        callbackUrl: 'https://shop.test/registered',
        onUserRegistered: () => {
          throw new RangeError('merchant database down');
        },
      },
    });
    assert.equal((await t.call('teo', 'register', {})).status, 201);
    assert.deepEqual(logs, ['onUserRegistered failed for a new account: RangeError']);
    assert.equal(sent(t)[0]!.callback_url, 'https://shop.test/registered');
    t.close();
  });
});

describe('verification pages and higher limits', () => {
  const WALLET = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
  const page = (t: ReturnType<typeof setup>, url: string, method = 'GET') => t.simulator.handle(new Request(url, { method }));

  it('a new customer submits the KYC form: processing, then valid on the simulator clock; the form escapes what it shows', async () => {
    let clock = 1_000_000;
    const t = setup({ lia: { merchantUserId: 'shop-60', region: 'EU', name: 'Lia <b>Sol</b>', email: 'lia@shop.test' } }, [], () => clock);
    const { kycUrl } = await (await t.call('lia', 'register', {})).json();
    const form = await (await page(t, kycUrl)).text();
    assert.match(form, /Lia &#60;b&#62;Sol&#60;\/b&#62;/);
    assert.match(form, /<form method="post">/);
    const kyc = async () => (await (await t.call('lia', 'config')).json()).kyc.raw;
    assert.equal(await kyc(), 'unused');
    assert.equal((await page(t, kycUrl, 'POST')).status, 200);
    assert.equal(await kyc(), 'processing');
    clock += 2999;
    assert.equal(await kyc(), 'processing');
    clock += 1;
    // the form itself knows the review is done, before any API call asks
    assert.match(await (await page(t, kycUrl)).text(), /Your identity is already verified\./);
    assert.equal(await kyc(), 'valid');
    t.close();
  });

  it('kyc_reinforced_required without a link: the handler asks for the enhanced verification link; after the form, the same purchase goes through once', async () => {
    const t = setup({ ana: { id: '106', region: 'EU' } });
    const buy = { fiatAmount: '4000', method: 'transfer', symbol: 'USDC', chain: 'polygon', wallet: WALLET };
    const refused = await t.call('ana', 'onramp/payments', buy, 'buy-4000-first');
    assert.equal(refused.status, 403);
    const { error } = await refused.json();
    assert.equal(error.code, 'kyc_reinforced_required');
    assert.equal(error.details.url, 'https://demo.cryptopocket.io/onboarding/106');
    const asked = t.simulator.requests.filter((r) => r.path === '/api/onboarding-form');
    assert.deepEqual(
      asked.map((r) => JSON.parse(r.body)),
      [{ user_id: 106 }],
    );
    assert.equal(t.simulator.payments.size, 0);
    assert.equal((await page(t, error.details.url, 'POST')).status, 200);
    const made = await t.call('ana', 'onramp/payments', buy, 'buy-4000-again');
    assert.equal(made.status, 201);
    assert.equal(t.simulator.payments.size, 1);
    t.close();
  });

  it('no link to be had (the onboarding form fails): the refusal stays as it was, and nothing is created', async () => {
    const t = setup({ ana: { id: '106', region: 'EU' } });
    t.simulator.fail('/api/onboarding-form', 500);
    const refused = await t.call('ana', 'onramp/payments', { fiatAmount: '4000', method: 'transfer', symbol: 'USDC', chain: 'polygon', wallet: WALLET });
    assert.equal(refused.status, 403);
    const { error } = await refused.json();
    assert.equal(error.code, 'kyc_reinforced_required');
    assert.equal(error.details, undefined);
    assert.equal(t.simulator.payments.size, 0);
    t.close();
  });
});

/**
 * The fault and bad-input suite, in the browser: each case asserts what the user sees and what was sent.
 * fetch is stubbed only where a network fault is the point (a boundary); everything else talks to the
 * session handler and the simulator.
 */
import { aTimeout, expect, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import type { CryptopocketRamp } from '../../src/cryptopocket-ramp.js';
import { CreateController } from '../../src/controllers/create-controller.js';
import { QuoteController } from '../../src/controllers/quote-controller.js';
import { RampError } from '../../src/lib/errors.js';
import { SessionClient } from '../../src/lib/session-client.js';
import { parseConfig, parseQuote } from '../../src/lib/protocol.js';
import { parseCreatedPayment, parseOperation } from '../../src/lib/protocol-operations.js';
import { button, byLabel, mount, queryByLabel, root, sellToReview, simState, text, type, waitForText } from '../support/dom.js';

async function ready(markup: string, label: string): Promise<CryptopocketRamp> {
  const el = mount<CryptopocketRamp>(markup);
  await waitUntil(() => queryByLabel(el, label), 'view did not load', { timeout: 4000 });
  return el;
}

/** A fetch that answers from a script of responses (or throws), recording every call. */
function scriptedFetch(steps: (() => Response | Promise<Response>)[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    calls.push({ url: String(input), init });
    const step = steps[Math.min(calls.length - 1, steps.length - 1)]!;
    return step();
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const parseAny = (b: unknown) => b;

describe('bad amounts: an inline message, no quote request, no crash', () => {
  const cases: [string, string, RegExp][] = [
    ['1e309', 'en', /Use digits only, with “\.” for decimals/],
    ['NaN', 'en', /Use digits only/],
    ['-5', 'en', /Use digits only/],
    ['0', 'en', /Enter an amount greater than zero/],
    ['1.1234567', 'en', /At most 6 decimal places/],
    ['1,5', 'en', /Use “\.” for decimals and “,” between thousands/],
    ['9'.repeat(100_000), 'en', /This amount is too large/],
    ['9'.repeat(16), 'en', /This amount is too large/],
  ];
  for (const [input, locale, message] of cases) {
    it(`"${input.length > 20 ? `${input.slice(0, 8)}… (${input.length} characters)` : input}" in ${locale}`, async () => {
      const el = await ready(`<cryptopocket-ramp session-url="/session/eu" mode="offramp" locale="${locale}"></cryptopocket-ramp>`, 'You sell');
      let quoted = 0;
      el.addEventListener('quote-updated', () => quoted++);
      const field = byLabel(el, 'You sell');
      field.value = input; // a paste: one input event
      field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
      await waitForText(el, message);
      expect(field.getAttribute('aria-invalid')).to.equal('true');
      expect(text(el)).not.to.match(/undefined|NaN €|Infinity/);
      await aTimeout(450);
      expect(quoted).to.equal(0);
    });
  }

  it('"1,5" is one and a half in Spanish, and full-width digits are read', async () => {
    const el = await ready('<cryptopocket-ramp session-url="/session/eu" mode="offramp" locale="es"></cryptopocket-ramp>', 'Token');
    await waitUntil(() => queryByLabel(el, 'Vendes'), 'Spanish texts did not load');
    const quoted = oneEvent(el, 'quote-updated');
    type(byLabel(el, 'Vendes'), '1,5');
    expect((await quoted).detail.tokenAmount).to.equal('1.5');
    const again = oneEvent(el, 'quote-updated');
    type(byLabel(el, 'Vendes'), '１２');
    expect((await again).detail.tokenAmount).to.equal('12');
  });

  it('a purchase amount in cents at most: "50.125" euros is refused with its reason, and no quote is asked', async () => {
    const el = await ready('<cryptopocket-ramp session-url="/session/eu" mode="onramp"></cryptopocket-ramp>', 'You pay');
    let quoted = 0;
    el.addEventListener('quote-updated', () => quoted++);
    const field = byLabel(el, 'You pay');
    type(field, '50.125');
    await waitForText(el, 'At most 2 decimal places');
    expect(field.getAttribute('aria-invalid')).to.equal('true');
    await aTimeout(450);
    expect(quoted).to.equal(0);
    type(field, '50.12');
    await waitUntil(() => quoted === 1, 'the corrected amount was not quoted');
  });
});

describe('bad IBANs and wallets', () => {
  async function toPayout(): Promise<CryptopocketRamp> {
    const el = await ready('<cryptopocket-ramp session-url="/session/eu-seller" mode="offramp" lock-mode></cryptopocket-ramp>', 'You sell');
    type(byLabel(el, 'You sell'), '5');
    button(el, 'Continue').click();
    await waitForText(el, 'Where should we pay you?');
    return el;
  }

  for (const [label, iban, message] of [
    ['checksum', 'ES91 2100 0418 4502 0005 1333', 'not valid: check it for typos'],
    ['length', 'ES91 2100 0418 4502 0005 13321', 'wrong length'],
    ['country', 'XX91 2100 0418 4502 0005 1332', 'country is not known'],
    ['characters', 'ES91 2100 0418 4502 0005 13$2', 'two letters, two digits'],
  ] as const) {
    it(`IBAN with a bad ${label} is refused before any request`, async () => {
      const el = await toPayout();
      type(byLabel(el, 'IBAN'), iban);
      button(el, 'Continue').click();
      await waitForText(el, message);
      expect(text(el)).not.to.include('Review your sale');
    });
  }

  it('an IBAN pasted with zero-width characters is cleaned, not refused', async () => {
    const el = await toPayout();
    type(byLabel(el, 'IBAN'), 'ES91\u200b2100\u200c0418\ufeff4502 0005 1332');
    button(el, 'Continue').click();
    await waitForText(el, 'IBAN ending ••••1332');
    const made = oneEvent(el, 'rampoff-created');
    button(el, 'Confirm and sell').click();
    const { detail } = await made;
    const sent = (await simState()).requests.find((r) => r.path === '/api/createRampoff' && r.body.includes('"amount":5,') && r.body.includes('"user_id":110'));
    expect(JSON.parse(sent!.body).iban).to.equal('ES9121000418450200051332');
    expect(detail.id).to.match(/^[A-Za-z0-9]{25}$/);
  });

  async function toWallet(): Promise<CryptopocketRamp> {
    const el = await ready('<cryptopocket-ramp session-url="/session/eu" mode="onramp" lock-mode></cryptopocket-ramp>', 'You pay');
    type(byLabel(el, 'You pay'), '50');
    button(el, 'Continue').click();
    await waitForText(el, 'Where should we send your tokens?');
    return el;
  }

  for (const [label, wallet, message] of [
    ['the zero address', `0x${'0'.repeat(40)}`, 'This is the zero address'],
    ['a bad checksum', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD', 'do not match its checksum'],
    ['another network’s address', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'This is not a Polygon address'],
    ['a short address', '0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea', 'This is not a Polygon address'],
  ] as const) {
    it(`a wallet that is ${label} is refused`, async () => {
      const el = await toWallet();
      type(byLabel(el, 'Your wallet address'), wallet);
      button(el, 'Continue').click();
      await waitForText(el, message);
      expect(text(el)).not.to.include('Review your purchase');
    });
  }
});

describe('hostile server data', () => {
  it('strings from the server are text, never HTML; javascript: URLs are dropped', async () => {
    const original = window.fetch;
    const evil = '<img src=x onerror="window.__pwned=1">';
    window.fetch = async (input, init) => {
      if (String(input).endsWith('/session/eu/config')) {
        return json({
          region: 'EU',
          fiats: ['EUR'],
          assets: [{ symbol: 'USDC', name: evil, decimals: 6, chains: ['polygon'] }],
          paymentMethods: ['card'],
          kyc: { status: 'pending', raw: 'unused', url: 'javascript:alert(1)' },
          accountHolder: evil,
          stream: false,
        });
      }
      return original(input, init);
    };
    try {
      const el = mount<CryptopocketRamp>('<cryptopocket-ramp session-url="/session/eu"></cryptopocket-ramp>');
      await waitForText(el, 'Verify your identity');
      expect(root(el).querySelector('img')).to.equal(null);
      expect(root(el).querySelector('a')).to.equal(null, 'no link for a javascript: URL');
      expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
    } finally {
      window.fetch = original;
    }
  });

  it('only https: payment URLs (and http: on localhost) are kept', () => {
    const url = (paymentUrl: string) => parseCreatedPayment({ id: 'p1', method: 'card', paymentUrl }).paymentUrl;
    expect(url('https://pay.example/x')).to.equal('https://pay.example/x');
    expect(url('http://localhost:8080/pay')).to.equal('http://localhost:8080/pay');
    for (const bad of ['http://pay.example/x', 'javascript:alert(1)', 'data:text/html,<b>x</b>', 'HTTPS//pay.example', '//pay.example/x'])
      expect(url(bad), bad).to.equal(undefined);
  });

  const shapes: [string, () => unknown][] = [
    ['a config without assets', () => parseConfig({ region: 'EU', fiats: ['EUR'], assets: [], kyc: { status: 'valid' } })],
    [
      'a config with an unknown region',
      () => parseConfig({ region: 'MARS', fiats: ['EUR'], assets: [{ symbol: 'USDC', decimals: 6 }], kyc: { status: 'valid' } }),
    ],
    ['a config with a __proto__ key', () => parseConfig(JSON.parse('{"__proto__": {"polluted": 1}, "region": "EU"}'))],
    [
      'an asset with decimals as a string',
      () => parseConfig({ region: 'EU', fiats: ['EUR'], assets: [{ symbol: 'USDC', decimals: '6' }], kyc: { status: 'valid' } }),
    ],
    ['a quote without its amount', () => parseQuote({ flow: 'offramp', symbol: 'USDC', fiat: 'EUR', tokenAmount: '1' })],
    ['a quote with a float amount', () => parseQuote({ flow: 'offramp', symbol: 'USDC', fiat: 'EUR', tokenAmount: '1', fiatAmount: 0.1 })],
    ['an operation of the other flow', () => parseOperation({ id: 'x', flow: 'onramp', status: 'created', raw: 'started' }, 'offramp')],
    ['a payment without an id', () => parseCreatedPayment({ method: 'card' })],
  ];
  for (const [label, parse] of shapes) {
    it(`${label} is a typed error`, () => {
      expect(parse).to.throw(Error).with.property('name', 'ShapeError');
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    });
  }

  it('an unknown upstream status shows as in progress, not as an error', () => {
    const op = parseOperation({ id: 'x', flow: 'offramp', status: 'weird', raw: 'rocket_launch' });
    expect(op.status).to.equal('processing');
  });

  it('a malformed config answer is a clear, retryable-by-hand message, never undefined on screen', async () => {
    const original = window.fetch;
    window.fetch = async (input, init) => (String(input).endsWith('/session/eu/config') ? json({ region: 'EU', fiats: 'EUR' }) : original(input, init));
    try {
      const el = mount<CryptopocketRamp>('<cryptopocket-ramp session-url="/session/eu"></cryptopocket-ramp>');
      const { detail } = await oneEvent(el, 'ramp-error');
      expect(detail.code).to.equal('bad_response');
      await waitForText(el, 'The service sent an answer we could not read.');
      expect(text(el)).not.to.match(/undefined|NaN/);
      await expect(el).to.be.accessible();
    } finally {
      window.fetch = original;
    }
  });
});

describe('network faults (session client)', () => {
  const client = (fetch: typeof globalThis.fetch, timeout = 2000) => new SessionClient({ url: '/session/eu', fetch, timeout, retries: 2 });

  it('a dropped connection on a GET is retried, then succeeds', async () => {
    const { fetch, calls } = scriptedFetch([() => Promise.reject(new TypeError('Failed to fetch')), () => json({ ok: 1 })]);
    expect(await client(fetch).get('config', parseAny)).to.deep.equal({ ok: 1 });
    expect(calls).to.have.length(2);
  });

  it('a timeout is a typed, retryable error', async () => {
    let calls = 0;
    const hanging = ((_u: RequestInfo | URL, init?: RequestInit) => {
      calls++;
      return new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason), { once: true }));
    }) as typeof globalThis.fetch;
    const error = (await new SessionClient({ url: '/session/eu', fetch: hanging, timeout: 50, retries: 1 })
      .get('config', parseAny)
      .catch((e: unknown) => e)) as RampError;
    expect(error).to.be.instanceOf(RampError);
    expect(error.code).to.equal('timeout');
    expect(error.retryable).to.be.true;
    expect(calls).to.equal(2, 'one retry');
  });

  for (const status of [500, 502, 503]) {
    it(`a ${status} on a GET is retried; the last answer wins`, async () => {
      const { fetch, calls } = scriptedFetch([() => json({ error: { code: 'upstream_unavailable', message: 'x' } }, status), () => json({ ok: 2 })]);
      expect(await client(fetch).get('config', parseAny)).to.deep.equal({ ok: 2 });
      expect(calls).to.have.length(2);
    });
  }

  it('a create keeps its key through 409 in progress and 202 checking, asking again until the answer', async () => {
    const { fetch, calls } = scriptedFetch([
      () => json({ error: { code: 'request_in_progress', message: 'still running' } }, 409, { 'retry-after': '0' }),
      () => json({ status: 'checking', message: 'Checking whether your sale was created…' }, 202, { 'retry-after': '0' }),
      () => json({ status: 'checking', message: 'Checking whether your sale was created…' }, 202, { 'retry-after': '0' }),
      () => json({ status: 'checking', message: 'Checking whether your sale was created…' }, 202, { 'retry-after': '0' }),
      () => json({ id: 'op-1', wallet: '0xabc' }, 201),
    ]);
    // the create controller: one key for the whole create, "Checking…" said while the endpoint finds out
    const seen: boolean[] = [];
    const host = { addController() {}, removeController() {}, requestUpdate: () => void seen.push(creator.checking), updateComplete: Promise.resolve(true) };
    const session = client(fetch);
    const parse = (body: unknown) => body as { id: string };
    const creator: CreateController<{ id: string }> = new CreateController(host, () => session, {
      flow: 'offramp',
      path: 'offramp/operations',
      parse,
      scope: () => undefined,
    });
    const created = await creator.create({ amount: '1' });
    expect(created).to.deep.equal({ id: 'op-1', wallet: '0xabc' });
    expect(seen, 'the create said "Checking…" while the endpoint found out, and stopped saying it').to.include(true);
    expect(seen.at(-1)).to.be.false;
    expect(calls).to.have.length(5, 'three "checking" answers do not use up the two retries');
    const keys = calls.map((c) => new Headers(c.init.headers).get('idempotency-key'));
    expect(new Set(keys).size, 'one key for every try').to.equal(1);
    expect(keys[0]).to.match(/^[0-9a-f]{32}$/);
  });

  it('"not created" after checking is final: not retried', async () => {
    const { fetch, calls } = scriptedFetch([
      () => json({ status: 'checking', message: '…' }, 202, { 'retry-after': '0' }),
      () => json({ error: { code: 'not_created', message: 'It was not created.' } }, 409),
    ]);
    const session = client(fetch);
    const host = { addController() {}, removeController() {}, requestUpdate() {}, updateComplete: Promise.resolve(true) };
    const parse = (body: unknown) => body as { id: string };
    const creator = new CreateController(host, () => session, { flow: 'offramp', path: 'offramp/operations', parse, scope: () => undefined });
    expect(await creator.create({})).to.equal(undefined);
    expect(creator.error?.code).to.equal('not_created');
    expect(creator.error?.retryable).to.be.false;
    expect(calls).to.have.length(2);
  });

  it('a 429 with Retry-After waits as told before retrying', async () => {
    const { fetch, calls } = scriptedFetch([
      () => json({ error: { code: 'rate_limited', message: 'slow down' } }, 429, { 'retry-after': '1' }),
      () => json({ ok: 3 }),
    ]);
    const started = performance.now();
    expect(await client(fetch).get('config', parseAny)).to.deep.equal({ ok: 3 });
    expect(calls).to.have.length(2);
    expect(performance.now() - started).to.be.at.least(950);
  });

  it('a create without a key is never retried; with a key it is retried with the same key', async () => {
    const fail = () => json({ error: { code: 'upstream_unavailable', message: 'x' } }, 502);
    const bare = scriptedFetch([fail, () => json({ id: 'a', wallet: 'w' }, 201)]);
    const refused = await client(bare.fetch)
      .post('offramp/operations', {}, parseAny)
      .then(
        () => 'sent',
        (error: RampError) => error.code,
      );
    expect(refused).to.equal('upstream_unavailable');
    expect(bare.calls).to.have.length(1);
    const keyed = scriptedFetch([fail, () => json({ id: 'a', wallet: 'w' }, 201)]);
    await client(keyed.fetch).post('offramp/operations', {}, parseAny, { idempotencyKey: 'same-key-123' });
    expect(keyed.calls.map((c) => new Headers(c.init.headers).get('idempotency-key'))).to.deep.equal(['same-key-123', 'same-key-123']);
  });

  it('401 is a session-expired error at once, not a retry loop', async () => {
    const { fetch, calls } = scriptedFetch([() => json({ error: { code: 'unauthenticated', message: 'sign in' } }, 401)]);
    const error = (await client(fetch)
      .get('config', parseAny)
      .catch((e: unknown) => e)) as RampError;
    expect(error.code).to.equal('session_expired');
    expect(calls).to.have.length(1);
  });

  it('a slow answer for an old amount never replaces a newer quote', async () => {
    const host = { addController() {}, removeController() {}, requestUpdate() {}, updateComplete: Promise.resolve(true) };
    const delays: Record<string, number> = { '1': 300, '12': 10 };
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const amount = new URL(String(input), location.href).searchParams.get('amount')!;
      await new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, delays[amount]);
        init?.signal?.addEventListener('abort', () => (clearTimeout(timer), reject(init.signal!.reason)));
      });
      return json({ flow: 'offramp', symbol: 'USDC', fiat: 'EUR', tokenAmount: amount, fiatAmount: amount });
    }) as typeof globalThis.fetch;
    const seen: string[] = [];
    const quotes = new QuoteController(
      host,
      () => new SessionClient({ url: '/session/eu', fetch }),
      { quoted: (q) => seen.push(q.tokenAmount), failed: () => {}, live: () => true },
      0,
    );
    quotes.update({ flow: 'offramp', amount: '1', symbol: 'USDC', fiat: 'EUR' });
    await aTimeout(20);
    quotes.update({ flow: 'offramp', amount: '12', symbol: 'USDC', fiat: 'EUR' });
    await aTimeout(400);
    expect(seen).to.deep.equal(['12']);
    expect(quotes.state.status === 'ready' && quotes.state.quote.tokenAmount).to.equal('12');
  });
});

describe('the same key on every press of the same request', () => {
  it('a create that failed retryably is sent again with its key when the user presses again', async () => {
    const original = window.fetch;
    const keys: string[] = [];
    let refuse = 3; // the first press and its two retries
    window.fetch = (input, init) => {
      if (String(input).includes('/offramp/operations') && init?.method === 'POST') {
        keys.push(new Headers(init.headers).get('idempotency-key') ?? '');
        if (refuse-- > 0) return Promise.resolve(json({ error: { code: 'store_unavailable', message: 'busy' } }, 503, { 'retry-after': '0' }));
      }
      return original(input, init);
    };
    try {
      const el = await ready('<cryptopocket-ramp session-url="/session/eu-seller" mode="offramp" lock-mode></cryptopocket-ramp>', 'You sell');
      await sellToReview(el, { amount: '5', iban: 'ES91 2100 0418 4502 0005 1332' });
      const failed = oneEvent(el, 'ramp-error');
      button(el, 'Confirm and sell').click();
      expect((await failed).detail).to.include({ code: 'store_unavailable', retryable: true });
      const made = oneEvent(el, 'rampoff-created');
      button(el, 'Confirm and sell').click();
      await made;
      expect(keys).to.have.length(4);
      expect(new Set(keys).size).to.equal(1, 'one key for one request, across presses');
    } finally {
      window.fetch = original;
    }
  });
});

describe('no estimate: the reason in the words of the flow', () => {
  for (const [name, fault, expected] of [
    ['offline, on a purchase', () => Promise.reject(new TypeError('Failed to fetch')), 'No connection, so no estimate right now.'],
    [
      'a quote the service cannot give, on a purchase',
      () => Promise.resolve(json({ error: { code: 'bad_request', message: 'no' } }, 422)),
      'The amount of tokens is fixed when your payment arrives.',
    ],
  ] as [string, () => Promise<Response>, string][]) {
    it(name, async () => {
      const original = window.fetch;
      window.fetch = (input, init) => (String(input).includes('/quote?') ? fault() : original(input, init));
      try {
        const el = await ready('<cryptopocket-ramp session-url="/session/eu" mode="onramp"></cryptopocket-ramp>', 'You pay');
        type(byLabel(el, 'You pay'), '100');
        await waitForText(el, expected, undefined, 8000);
        expect(text(el)).not.to.include('when your tokens arrive', 'a purchase has no tokens to wait for');
      } finally {
        window.fetch = original;
      }
    });
  }
});

describe('two widgets on one page', () => {
  it('each follows its own user and flow', async () => {
    const a = await ready('<cryptopocket-ramp session-url="/session/eu" mode="onramp"></cryptopocket-ramp>', 'You pay');
    const b = await ready('<cryptopocket-ramp session-url="/session/latam" mode="offramp"></cryptopocket-ramp>', 'You sell');
    expect(queryByLabel(a, 'Network')).to.exist;
    expect(queryByLabel(b, 'Network')).to.equal(null);
    const qa = oneEvent(a, 'quote-updated');
    const qb = oneEvent(b, 'quote-updated');
    type(byLabel(a, 'You pay'), '30');
    type(byLabel(b, 'You sell'), '2');
    expect((await qa).detail.fiat).to.equal('EUR');
    expect((await qb).detail.fiat).to.equal('ARS');
  });
});

describe('status tracking without a stream', () => {
  it('falls back to polling when the status stream fails, and still reaches the end', async function () {
    this.timeout(30_000);
    const original = window.fetch;
    let streams = 0;
    window.fetch = async (input, init) => {
      if (String(input).includes('/events?')) {
        streams++;
        return new Response('busy', { status: 503 });
      }
      return original(input, init);
    };
    try {
      const res = await original('/session/eu-seller/offramp/operations', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `poll-${Math.random().toString(36).slice(2)}` },
        body: JSON.stringify({ amount: '4', symbol: 'USDC', chain: 'polygon', fiat: 'EUR', iban: 'ES9121000418450200051332' }),
      });
      const { id } = await res.json();
      const el = mount<CryptopocketRamp>(`<cryptopocket-ramp session-url="/session/eu-seller" mode="offramp" operation-id="${id}"></cryptopocket-ramp>`);
      await waitForText(el, 'Send your tokens', undefined, 8000);
      expect(streams).to.equal(3, 'the first attempt and two retries, then polling');
      const { simAdvance } = await import('../support/dom.js');
      const completed = new Promise((resolve) => el.addEventListener('ramp-completed', resolve, { once: true }));
      await simAdvance(id);
      await simAdvance(id);
      await completed; // by polling alone (2 s growing ×1.6): the next poll may be a dozen seconds away
      await waitForText(el, 'Bank transfer sent');
    } finally {
      window.fetch = original;
    }
  });

  it('a stale answer never moves the status back: processing stays processing until the next real step', async () => {
    const { StatusController } = await import('../../src/controllers/status-controller.js');
    // a cache or a slower replica answers with an older status in between
    const answers = [
      ['processing', 'crypto_received'],
      ['created', 'pending'],
      ['processing', 'crypto_received'],
      ['completed', 'finished'],
    ] as const;
    let polls = 0;
    const fetch = (async () => {
      const [status, raw] = answers[Math.min(polls++, answers.length - 1)]!;
      return json({ id: 'op-stale', flow: 'offramp', status, raw });
    }) as typeof globalThis.fetch;
    const shown: (string | undefined)[] = [];
    const changes: [string | undefined, string][] = [];
    const host = { addController() {}, removeController() {}, requestUpdate: () => void shown.push(status.status), updateComplete: Promise.resolve(true) };
    const status: InstanceType<typeof StatusController> = new StatusController(
      host,
      () => new SessionClient({ url: '/session/eu', fetch }),
      { changed: (op, previous) => void changes.push([previous, op.status]), failed: () => {} },
      { stream: () => false, pollMs: 20, pollCapMs: 20 },
    );
    setVisibility('visible');
    status.hostConnected();
    status.track('offramp', 'op-stale');
    await waitUntil(() => status.status === 'completed', 'never completed', { timeout: 3000 });
    expect(polls).to.equal(4);
    expect(shown.filter((s, i) => s !== shown[i - 1])).to.deep.equal(['processing', 'completed']);
    expect(changes).to.deep.equal([
      [undefined, 'processing'],
      ['processing', 'completed'],
    ]);
  });
});

/** Pretends the tab is hidden (or visible again), as the browser does when the user switches tabs. */
function setVisibility(state: 'hidden' | 'visible'): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('timers and the hidden tab', () => {
  afterEach(() => {
    delete (document as unknown as Record<string, unknown>).visibilityState;
  });

  it('the token price refreshes on its interval, not while the tab is hidden, and on return', async () => {
    const { PriceController } = await import('../../src/controllers/price-controller.js');
    let calls = 0;
    const fetch = (async () => {
      calls++;
      return json({ symbol: 'USDC', fiat: 'EUR', price: '0.92' });
    }) as typeof globalThis.fetch;
    const host = { addController() {}, removeController() {}, requestUpdate() {}, updateComplete: Promise.resolve(true) };
    const price = new PriceController(host, () => new SessionClient({ url: '/session/eu', fetch }), { intervalMs: 100 });
    setVisibility('visible');
    price.hostConnected();
    price.watch('USDC', 'EUR');
    await aTimeout(350);
    const visibleCalls = calls;
    expect(visibleCalls).to.be.within(2, 5, 'about one per 100 ms interval');
    expect(price.price?.price).to.equal('0.92');
    setVisibility('hidden');
    await aTimeout(350);
    expect(calls - visibleCalls).to.be.at.most(1, 'at most the request already scheduled');
    const hiddenCalls = calls;
    setVisibility('visible');
    await aTimeout(30);
    expect(calls).to.be.greaterThan(hiddenCalls, 'refreshed on return');
    price.hostDisconnected();
    const stopped = calls;
    await aTimeout(250);
    expect(calls).to.equal(stopped, 'no request after disconnect');
  });

  it('polling slows while hidden and polls at once on return', async () => {
    const { StatusController } = await import('../../src/controllers/status-controller.js');
    let polls = 0;
    const fetch = (async () => {
      polls++;
      return json({ id: 'op1', flow: 'offramp', status: 'created', raw: 'pending' });
    }) as typeof globalThis.fetch;
    const host = { addController() {}, removeController() {}, requestUpdate() {}, updateComplete: Promise.resolve(true) };
    const status = new StatusController(
      host,
      () => new SessionClient({ url: '/session/eu', fetch }),
      { changed: () => {}, failed: () => {} },
      { stream: () => false, pollMs: 40, pollCapMs: 40 },
    );
    setVisibility('visible');
    status.hostConnected();
    status.track('offramp', 'op1');
    await aTimeout(250);
    const visiblePolls = polls;
    expect(visiblePolls).to.be.within(3, 8);
    setVisibility('hidden');
    const atHide = polls;
    await aTimeout(250);
    expect(polls - atHide).to.be.at.most(2, 'four times slower while hidden');
    const beforeReturn = polls;
    setVisibility('visible');
    await aTimeout(15);
    expect(polls).to.be.greaterThan(beforeReturn, 'polled on return');
    status.stop();
    const stopped = polls;
    await aTimeout(150);
    expect(polls).to.equal(stopped);
  });
});

describe('narrow column', () => {
  it('fits a 320 px column without horizontal overflow', async () => {
    const wrapper = mount<HTMLDivElement>('<div style="width: 320px"><cryptopocket-ramp session-url="/session/eu" mode="offramp"></cryptopocket-ramp></div>');
    const el = wrapper.querySelector('cryptopocket-ramp')!;
    await waitUntil(() => queryByLabel(el, 'You sell'), 'no view', { timeout: 4000 });
    const card = root(el).querySelector<HTMLElement>('[part="base"]')!;
    expect(card.scrollWidth).to.be.at.most(card.clientWidth + 1);
    expect(el.getBoundingClientRect().width).to.be.at.most(320);
    await expect(el).to.be.accessible();
  });
});

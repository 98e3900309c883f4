/**
 * Every shape the handler reads from the CryptopocketAPI where the docs are silent (src/server/upstream-map.ts): each
 * plausible spelling it accepts, what it makes of it, and what it refuses. The documented shapes are checked against
 * the docs' own examples in handler-api.node.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Json } from '../../src/lib/read.js';
import {
  matchesPayment,
  matchesRampoff,
  parseAssets,
  parseKyc,
  parseList,
  parsePayment,
  parsePaymentMethods,
  parsePrice,
  parseQuote,
  parseRampoff,
  PATHS,
  RECONCILE_SKEW_MS,
  upstreamUserId,
  WEBHOOK_EVENTS,
  type UpstreamOperation,
} from '../../src/server/upstream-map.js';

const shape = (message: string) => ({ name: 'ShapeError', message });

describe('reading what the API answers', () => {
  it('user ids: digits go as a number, anything else as text', () => {
    assert.deepEqual(['106', '007', '1'.repeat(15), '1'.repeat(16), 'u-106', ''].map(upstreamUserId), [106, 7, 111111111111111, '1'.repeat(16), 'u-106', '']);
    assert.equal(PATHS.payment('a/b c'), '/api/payment/a%2Fb%20c');
  });

  it('KYC: kyc_status or status, or the text itself; the form link under any of its names', () => {
    assert.deepEqual(parseKyc({ kyc_status: 'VALID' }), { status: 'valid', raw: 'VALID' });
    assert.deepEqual(parseKyc({ status: 'pending', kyc_form_url: 'https://kyc.example/1' }), {
      status: 'pending',
      raw: 'pending',
      url: 'https://kyc.example/1',
    });
    for (const key of ['url', 'link']) assert.equal(parseKyc({ kyc_status: 'x', [key]: 'https://k' }).url, 'https://k', key);
    assert.deepEqual(parseKyc('valid'), { status: 'valid', raw: 'valid' });
    for (const bad of [{}, { kyc_status: '' }, 5, null]) assert.throws(() => parseKyc(bad as Json), shape('kyc: missing kyc_status'));
  });

  it('assets: in a list under any of its names, with the symbol, networks, decimals and name under theirs; one entry per symbol', () => {
    for (const key of ['data', 'assets', 'coins'])
      assert.deepEqual(
        parseAssets({ [key]: [{ symbol: 'usdc', decimals: 6, chains: ['polygon'] }] }),
        [{ symbol: 'USDC', decimals: 6, chains: ['polygon'] }],
        key,
      );
    for (const key of ['coin_symbol', 'coin', 'token']) assert.equal(parseAssets([{ [key]: 'dai', chains: [] }])[0]!.symbol, 'DAI', key);
    for (const key of ['blockchains', 'networks']) assert.deepEqual(parseAssets([{ symbol: 'DAI', [key]: ['bsc'] }])[0]!.chains, ['bsc'], key);
    for (const key of ['chain', 'blockchain']) assert.deepEqual(parseAssets([{ symbol: 'DAI', [key]: 'bsc' }])[0]!.chains, ['bsc'], key);
    assert.deepEqual(parseAssets([{ symbol: 'DAI', chains: [{ chain: 'bsc' }, { name: 'polygon' }, { id: 'base' }, { other: 'x' }, 7] }])[0]!.chains, [
      'bsc',
      'polygon',
      'base',
    ]);
    assert.deepEqual(parseAssets([{ symbol: 'DAI' }]), [{ symbol: 'DAI', decimals: 18, chains: [] }], 'no networks, 18 decimals');
    assert.equal(parseAssets([{ symbol: 'DAI', decimals: 6.5 }])[0]!.decimals, 18);
    assert.equal(parseAssets([{ symbol: 'DAI', decimals: '8' }])[0]!.decimals, 8);
    assert.deepEqual(parseAssets([{ symbol: 'DAI', name: 'Dai' }])[0], { symbol: 'DAI', decimals: 18, chains: [], name: 'Dai' });
    assert.deepEqual(
      parseAssets([
        { symbol: 'USDC', decimals: 6, chains: ['polygon'] },
        { symbol: 'USDC', decimals: 6, chains: ['bsc', 'polygon'] },
        { name: 'no symbol' },
        'junk',
      ]),
      [{ symbol: 'USDC', decimals: 6, chains: ['polygon', 'bsc'] }],
    );
    assert.deepEqual(parseAssets({ usdc: ['polygon', 5, 'bsc'], note: 'x' }), [{ symbol: 'USDC', decimals: 18, chains: ['polygon', 'bsc'] }]);
    for (const bad of ['USDC', 5, null]) assert.throws(() => parseAssets(bad as Json), shape('available assets: unknown shape'));
  });

  it('payment methods: a list of codes, or of objects naming one', () => {
    assert.deepEqual(parsePaymentMethods(['card', 'psd2']), ['card', 'psd2']);
    for (const key of ['data', 'methods', 'payment_methods']) assert.deepEqual(parsePaymentMethods({ [key]: ['card'] }), ['card'], key);
    assert.deepEqual(parsePaymentMethods([{ code: 'card' }, { id: 'paypal' }, { payment_type: 'psd2' }, { name: 'transfer' }, { other: 1 }, 3, '']), [
      'card',
      'paypal',
      'psd2',
      'transfer',
    ]);
    for (const bad of [{}, 'card', null]) assert.throws(() => parsePaymentMethods(bad as Json), shape('payment methods: unknown shape'));
  });

  it('a price: a number, a decimal string, or under price, rate or the fiat’s own name', () => {
    assert.equal(parsePrice(0.93, 'EUR'), '0.93');
    assert.equal(parsePrice(' 0.93 ', 'EUR'), '0.93');
    for (const [obj, fiat] of [
      [{ price: '1.5' }, 'EUR'],
      [{ rate: 1.5 }, 'EUR'],
      [{ EUR: '1.5' }, 'EUR'],
      [{ eur: 1.5 }, 'EUR'],
    ] as const)
      assert.equal(parsePrice(obj as Json, fiat), '1.5', JSON.stringify(obj));
    assert.throws(() => parsePrice({ usd: 1 }, 'EUR'), shape('price: missing price'));
    for (const bad of [-1, '1e3', Number.POSITIVE_INFINITY, 'x']) assert.throws(() => parsePrice(bad as Json, 'EUR'), shape('price: not an amount'));
    assert.throws(() => parsePrice([], 'EUR'), shape('price: expected an object'));
  });

  it('a quote: each figure under any of its names; null is absent; anything else that is no amount is refused by name', () => {
    const names = {
      tokenAmount: ['coin_amount', 'crypto_amount', 'amount_out', 'tokens'],
      fiatAmount: ['fiat_amount', 'fiat', 'amount_fiat'],
      rate: ['rate', 'price', 'exchange_rate'],
      fee: ['fee', 'fees', 'total_fee'],
      networkFee: ['network_fee', 'gas_fee'],
    };
    for (const [field, keys] of Object.entries(names))
      for (const key of keys) assert.equal(parseQuote({ [key]: '12.5' })[field as keyof typeof names], '12.5', key);
    assert.deepEqual(parseQuote({ coin_amount: null, crypto_amount: 3 }).tokenAmount, '3');
    assert.deepEqual(parseQuote({}), { tokenAmount: undefined, fiatAmount: undefined, rate: undefined, fee: undefined, networkFee: undefined });
    assert.throws(() => parseQuote({ fee: '-1' }), shape('quote fee: not an amount'));
    assert.throws(() => parseQuote({ gas_fee: true }), shape('quote gas_fee: not an amount'));
  });
});

describe('operations as the API lists and shows them', () => {
  it('a payment: cents as a whole number or digits, the token amount, each field under its names; an id is required', () => {
    const base = { id: 'p1', status: 'started' };
    assert.deepEqual(parsePayment({ ...base, fiat_amount: 15050 }), { id: 'p1', flow: 'onramp', status: 'created', raw: 'started', fiatAmount: '150.5' });
    assert.equal(parsePayment({ ...base, fiat_amount: '0' }).fiatAmount, '0');
    assert.equal(parsePayment({ ...base, fiat_amount: '1'.repeat(18) }).fiatAmount, `${'1'.repeat(16)}.11`);
    for (const bad of [-1, 1.5, '1.5', '1'.repeat(19), 2 ** 53, true])
      assert.throws(() => parsePayment({ ...base, fiat_amount: bad } as Json), shape('payment fiat_amount: not an amount in cents'), String(bad));
    assert.equal(parsePayment({ ...base, fiat_amount: null }).fiatAmount, undefined);
    assert.equal(parsePayment({ ...base, coin_amount: 148.32 }).tokenAmount, '148.32');
    assert.throws(() => parsePayment({ ...base, coin_amount: 'lots' }), shape('payment coin_amount: not an amount'));
    assert.deepEqual(
      parsePayment({
        payment_id: 'p2',
        fiat_symbol: 'EUR',
        coin_symbol: 'USDC',
        coin_chain: 'polygon',
        txid: '0x1',
        created_at: 't',
        user_id: 106,
        external_id: 'k',
      }),
      {
        id: 'p2',
        flow: 'onramp',
        status: 'processing',
        raw: 'unknown',
        fiat: 'EUR',
        symbol: 'USDC',
        chain: 'polygon',
        txid: '0x1',
        createdAt: 't',
        userId: '106',
        externalId: 'k',
      },
    );
    assert.deepEqual(parsePayment({ id: 'p', symbol: 'DAI', chain: 'bsc', tx_id: '0x2' }), {
      id: 'p',
      flow: 'onramp',
      status: 'processing',
      raw: 'unknown',
      symbol: 'DAI',
      chain: 'bsc',
      txid: '0x2',
    });
    assert.equal(parsePayment({ id: 'p', hash: '0x3' }).txid, '0x3');
    assert.throws(() => parsePayment({ status: 'started' }), shape('payment: missing id'));
  });

  it('a rampoff: base units with their decimals (0 to 36), or a decimal amount; each field under its names', () => {
    const base = { id: 'r1', status: 'pending' };
    assert.equal(parseRampoff({ ...base, amount: '20000000000000000000', decimals: 18 }).tokenAmount, '20');
    assert.equal(parseRampoff({ ...base, amount: '5', decimals: 0 }).tokenAmount, '5');
    assert.equal(parseRampoff({ ...base, amount: '1', decimals: 36 }).tokenAmount, `0.${'0'.repeat(35)}1`);
    assert.equal(parseRampoff({ ...base, amount: '20.5' }).tokenAmount, '20.5', 'no decimals: a decimal amount');
    assert.equal(parseRampoff({ ...base, amount: '2050', decimals: 37 }).tokenAmount, '2050', 'decimals out of range: read as written');
    assert.equal(parseRampoff({ ...base, amount: '2050', decimals: -1 }).tokenAmount, '2050');
    assert.equal(parseRampoff({ ...base, amount: '2050', decimals: 1.5 }).tokenAmount, '2050');
    assert.equal(parseRampoff({ ...base, amount: '2e3' }).tokenAmount, undefined);
    assert.equal(parseRampoff({ ...base, fiat_amount: '4800.24' }).fiatAmount, '4800.24');
    assert.throws(() => parseRampoff({ ...base, fiat_amount: 'x' }), shape('rampoff fiat_amount: not an amount'));
    assert.deepEqual(
      parseRampoff({ id: 'r2', status: 'finished', crypto: 'BUSD', blockchain: 'bsc', fiat_symbol: 'EUR', wallet: '0xabc', created_at: 't', user_id: '106' }),
      {
        id: 'r2',
        flow: 'offramp',
        status: 'completed',
        raw: 'finished',
        symbol: 'BUSD',
        chain: 'bsc',
        fiat: 'EUR',
        wallet: '0xabc',
        createdAt: 't',
        userId: '106',
      },
    );
    assert.deepEqual(parseRampoff({ id: 'r3', symbol: 'USDC', chain: 'polygon', fiat: 'EUR' }), {
      id: 'r3',
      flow: 'offramp',
      status: 'processing',
      raw: 'unknown',
      symbol: 'USDC',
      chain: 'polygon',
      fiat: 'EUR',
    });
    assert.throws(() => parseRampoff({ rampoff_id: 'r4' }), shape('rampoff: missing id'));
  });

  it('lists: a bare list or one under any of its names, the next page under any of its; a bad row hides no other', () => {
    const rows: Json[] = [{ id: 'p1' }, { no: 'id' }, { id: 'p2' }];
    for (const key of ['data', 'items', 'payments', 'rampoffs', 'operations'])
      assert.deepEqual(
        parseList({ [key]: rows }, 'onramp').items.map((r) => r.id),
        ['p1', 'p2'],
        key,
      );
    assert.deepEqual(
      parseList(rows, 'offramp').items.map((r) => r.flow),
      ['offramp', 'offramp'],
    );
    for (const key of ['next_page', 'next', 'next_cursor']) assert.equal(parseList({ data: [], [key]: 'c2' }, 'onramp').next, 'c2', key);
    assert.deepEqual(parseList({ data: [] }, 'onramp'), { items: [] });
    for (const bad of [{ data: 'x' }, 'x', null]) assert.throws(() => parseList(bad as Json, 'onramp'), shape('list: unknown shape'));
  });

  it('webhook types name their flow and the status they mean', () => {
    assert.deepEqual(WEBHOOK_EVENTS, {
      PAY_IN: { flow: 'onramp', raw: 'payment_received' },
      COINS_SENT: { flow: 'onramp', raw: 'coins_sent' },
      CRYPTO_RECEIVED: { flow: 'offramp', raw: 'crypto_received' },
      TRANSFER_RAMPOFF_FINISHED: { flow: 'offramp', raw: 'finished' },
      RAMPOFF_FINISHED: { flow: 'offramp', raw: 'finished' },
    });
  });
});

describe('finding a create whose answer was lost (reconciliation)', () => {
  it('a payment: the same user and our reference, nothing less', () => {
    const row = { id: 'p1', flow: 'onramp', status: 'created', raw: 'started', userId: '106', externalId: 'key-1' } as UpstreamOperation;
    assert.equal(matchesPayment(row, 'key-1', '106'), true);
    assert.equal(matchesPayment(row, 'key-2', '106'), false);
    assert.equal(matchesPayment(row, 'key-1', '107'), false);
    assert.equal(matchesPayment({ ...row, userId: undefined }, 'key-1', '106'), false);
  });

  it('a rampoff: same user, symbol and network in any case, the same amount, created from a minute before to the end of the window', () => {
    const at = Date.parse('2026-12-01T10:00:00Z');
    const attempt = { symbol: 'usdc', chain: 'Polygon', amount: '25.0', at };
    const row = (extra: Partial<UpstreamOperation> = {}) =>
      ({
        id: 'r1',
        flow: 'offramp',
        status: 'created',
        raw: 'pending',
        userId: '106',
        symbol: 'USDC',
        chain: 'polygon',
        tokenAmount: '25',
        createdAt: new Date(at).toISOString(),
        ...extra,
      }) as UpstreamOperation;
    const window = 60_000;
    assert.equal(matchesRampoff(row(), attempt, '106', window), true);
    assert.equal(matchesRampoff(row({ userId: undefined }), attempt, '106', window), true, 'a row that names no user');
    assert.equal(matchesRampoff(row({ chain: undefined }), attempt, '106', window), true, 'a row that names no network');
    assert.equal(matchesRampoff(row(), { ...attempt, chain: undefined }, '106', window), true);
    assert.equal(matchesRampoff(row({ createdAt: new Date(at - RECONCILE_SKEW_MS).toISOString() }), attempt, '106', window), true);
    assert.equal(matchesRampoff(row({ createdAt: new Date(at + window).toISOString() }), attempt, '106', window), true);
    for (const [what, extra] of [
      ['another user', { userId: '107' }],
      ['another token', { symbol: 'USDT' }],
      ['no token', { symbol: undefined }],
      ['another network', { chain: 'bsc' }],
      ['another amount', { tokenAmount: '25.01' }],
      ['no amount', { tokenAmount: undefined }],
      ['an amount that is no decimal', { tokenAmount: '25e0' }],
      ['no date', { createdAt: undefined }],
      ['a date that is none', { createdAt: 'yesterday' }],
      ['too early', { createdAt: new Date(at - RECONCILE_SKEW_MS - 1).toISOString() }],
      ['too late', { createdAt: new Date(at + window + 1).toISOString() }],
    ] as const)
      assert.equal(matchesRampoff(row(extra as Partial<UpstreamOperation>), attempt, '106', window), false, what);
  });
});

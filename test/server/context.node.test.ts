/**
 * What every route shares (src/server/context.ts), checked on its own: the input checks that run before anything goes
 * upstream, the start-up checks of the options, and the ownership rules that decide whose an operation is.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assetFor,
  bodyString,
  checkAmount,
  checkedAmountLimits,
  checkedSupport,
  checkedTerms,
  checkRange,
  fiatFor,
  isCallbackUrl,
  newestFirst,
  owns,
  present,
  requiredParam,
  type Context,
  type OwnerRecord,
} from '../../src/server/context.js';
import { HttpError } from '../../src/server/http.js';
import type { UpstreamOperation } from '../../src/server/upstream-map.js';
import type { Asset, Operation } from '../../src/types.js';

const refused = (status: number, code: string, message: string, details?: Record<string, string>) => (error: unknown) => {
  assert.ok(error instanceof HttpError, String(error));
  assert.deepEqual([error.status, error.code, error.message, error.details], [status, code, message, details]);
  return true;
};

describe('amounts, before anything goes upstream', () => {
  it('a positive decimal with at most the unit’s decimals, written once', () => {
    assert.equal(checkAmount('0012.50', 2), '12.5');
    assert.equal(checkAmount('1', 0), '1');
    assert.equal(checkAmount('999999999999999.99', 2), '999999999999999.99', '15 integer digits');
    assert.equal(checkAmount('0.000000000000000001', 18), '0.000000000000000001');
    const zero = refused(400, 'invalid_amount', 'Enter an amount greater than zero.');
    for (const bad of ['0', '0.00', '', ' 1', '1e3', '-1', '.5', 5, null, undefined]) assert.throws(() => checkAmount(bad, 2), zero, String(bad));
    assert.throws(() => checkAmount('1000000000000000', 2), refused(400, 'invalid_amount', 'This amount is too large.'));
    assert.throws(() => checkAmount('1.123', 2), refused(400, 'invalid_amount', 'At most 2 decimal places.', { decimals: '2' }));
    assert.throws(() => checkAmount('1.5', 0), refused(400, 'invalid_amount', 'At most 0 decimal places.', { decimals: '0' }));
    // longer than 15 digits, a point and the decimals can never be valid: refused before it is read
    assert.throws(() => checkAmount(`${'0'.repeat(17)}1.5`, 2), zero);
    assert.equal(checkAmount(`${'0'.repeat(2)}1.50`, 2), '1.5');
  });

  it('within the merchant’s limits for the flow and its unit, the limits named in the refusal', () => {
    const ctx = { amountLimits: { onramp: { EUR: { min: '20', max: '1000' } }, offramp: { USDC: { max: '500.5' } } } } as unknown as Context;
    checkRange(ctx, 'onramp', 'EUR', '20');
    checkRange(ctx, 'onramp', 'EUR', '1000.00');
    assert.throws(
      () => checkRange(ctx, 'onramp', 'EUR', '19.99'),
      refused(422, 'amount_below_minimum', 'The minimum is 20 EUR.', { minimum: '20', unit: 'EUR' }),
    );
    assert.throws(
      () => checkRange(ctx, 'onramp', 'EUR', '1000.01'),
      refused(422, 'amount_above_maximum', 'The maximum is 1000 EUR.', { maximum: '1000', unit: 'EUR' }),
    );
    checkRange(ctx, 'offramp', 'USDC', '0.0001');
    assert.throws(
      () => checkRange(ctx, 'offramp', 'USDC', '500.51'),
      refused(422, 'amount_above_maximum', 'The maximum is 500.5 USDC.', { maximum: '500.5', unit: 'USDC' }),
    );
    checkRange(ctx, 'offramp', 'BUSD', '1000000');
    checkRange(ctx, 'onramp', 'ARS', '1');
  });
});

describe('options, checked once at start-up', () => {
  it('amount limits are decimal strings, with the minimum at most the maximum', () => {
    const limits = { onramp: { EUR: { min: '10', max: '10' } }, offramp: { USDC: { min: '1' } } };
    assert.equal(checkedAmountLimits(limits), limits);
    assert.deepEqual(checkedAmountLimits(), {});
    assert.throws(() => checkedAmountLimits({ onramp: { EUR: { min: '1e2' } } }), {
      name: 'TypeError',
      message: 'amountLimits.onramp.EUR: "1e2" is not a decimal string',
    });
    assert.throws(() => checkedAmountLimits({ offramp: { USDC: { max: '-5' } } }), {
      name: 'TypeError',
      message: 'amountLimits.offramp.USDC: "-5" is not a decimal string',
    });
    assert.throws(() => checkedAmountLimits({ offramp: { USDC: { min: '10.5', max: '10' } } }), {
      name: 'TypeError',
      message: 'amountLimits.offramp.USDC: min is above max',
    });
  });

  it('terms, privacy and support pages are https; the support address is an email address', () => {
    assert.deepEqual(checkedTerms({ url: 'https://shop.example/terms' }), { url: 'https://shop.example/terms' });
    assert.throws(() => checkedTerms({ url: 'http://shop.example/terms' }), { message: 'terms.url must be an https: URL' });
    assert.throws(() => checkedTerms({ url: 'https://shop.example/terms', privacyUrl: 'javascript:alert(1)' }), {
      message: 'terms.privacyUrl must be an https: URL',
    });
    assert.throws(() => checkedTerms({ url: 'https://shop.example/my terms' }), { message: 'terms.url must be an https: URL' });
    assert.deepEqual(checkedSupport({ email: 'help@shop.example' }), { email: 'help@shop.example' });
    assert.throws(() => checkedSupport({ url: 'ftp://shop.example' }), { message: 'support.url must be an https: URL' });
    for (const email of ['help', 'help@shop', '@shop.example', 'a b@shop.example', '<a@shop.example>', 'help@shop.example '])
      assert.throws(() => checkedSupport({ email }), { name: 'TypeError', message: 'support.email is not an email address' }, email);
  });

  it('a callback URL is http(s), parses, and is at most about 2000 characters', () => {
    for (const url of ['https://shop.example/back', 'http://localhost:3000/x?y=1']) assert.equal(isCallbackUrl(url), true, url);
    for (const url of ['javascript:alert(1)', 'https://', 'https://shop.example/a b', `https://${'a'.repeat(2001)}`, ' https://shop.example', 'https://[x'])
      assert.equal(isCallbackUrl(url), false, url);
  });
});

describe('request fields', () => {
  it('a required query parameter is there and short; a body string is there, trimmed and not too long', () => {
    const q = new URLSearchParams({ symbol: 'USDC', empty: '', long: 'x'.repeat(65), max: 'x'.repeat(64) });
    assert.equal(requiredParam(q, 'symbol'), 'USDC');
    assert.equal(requiredParam(q, 'max'), 'x'.repeat(64));
    for (const key of ['missing', 'empty', 'long']) assert.throws(() => requiredParam(q, key), refused(400, 'invalid_request', `${key} is required.`));
    assert.equal(bodyString({ name: '  Ada  ' }, 'name'), 'Ada');
    assert.equal(bodyString({ name: 'x'.repeat(256) }, 'name'), 'x'.repeat(256));
    assert.equal(bodyString({ name: 'x'.repeat(10) }, 'name', 10), 'x'.repeat(10));
    for (const name of ['   ', '', 7, undefined, 'x'.repeat(257)])
      assert.throws(() => bodyString({ name }, 'name'), refused(400, 'invalid_request', 'name is required.'), String(name));
    assert.throws(() => bodyString({ name: 'x'.repeat(11) }, 'name', 10), HttpError);
  });

  it('the fiat of the user’s region: EUR in the EU; the user’s own, or ARS, in LATAM; another one is refused by name', () => {
    assert.equal(fiatFor({ region: 'EU' }), 'EUR');
    assert.equal(fiatFor({ region: 'EU', fiat: 'USD' }, 'eur'), 'EUR');
    assert.equal(fiatFor({ region: 'LATAM' }), 'ARS');
    assert.equal(fiatFor({ region: 'LATAM', fiat: 'mxn' }, 'MXN'), 'MXN');
    assert.equal(fiatFor({ region: 'LATAM', fiat: 'mxn' }, null), 'MXN');
    assert.throws(() => fiatFor({ region: 'EU' }, 'USD'), refused(422, 'fiat_not_supported', 'Only EUR is available.'));
    assert.throws(() => fiatFor({ region: 'LATAM', fiat: 'COP' }, 'ARS'), refused(422, 'fiat_not_supported', 'Only COP is available.'));
  });

  it('the asset and network: what the API offers, in any case; only shapes while it cannot say; no network in LATAM', async () => {
    const offered: Asset[] = [{ symbol: 'USDC', decimals: 6, chains: ['polygon', 'ethereum'] }];
    const ctx = (assets: Asset[] | undefined) => ({ assets: async () => assets }) as unknown as Context;
    const eu = { region: 'EU' as const };
    assert.deepEqual(await assetFor(ctx(offered), eu, 'usdc', 'Polygon'), { symbol: 'USDC', chain: 'polygon', decimals: 6 });
    assert.deepEqual(await assetFor(ctx(offered), { region: 'LATAM' }, 'USDC', 'polygon'), { symbol: 'USDC', decimals: 6 });
    assert.deepEqual(await assetFor(ctx(undefined), eu, 'DAI', 'bsc'), { symbol: 'DAI', chain: 'bsc', decimals: 18 });
    assert.deepEqual(await assetFor(ctx(undefined), { region: 'LATAM' }, 'DAI', undefined), { symbol: 'DAI', decimals: 18 });
    const unknown = refused(400, 'unknown_asset', 'This token is not available.');
    await assert.rejects(assetFor(ctx(offered), eu, 'BUSD', 'polygon'), unknown);
    for (const symbol of ['', 'US DC', 'x'.repeat(17), 7]) await assert.rejects(assetFor(ctx(undefined), eu, symbol, 'polygon'), unknown, String(symbol));
    assert.deepEqual(await assetFor(ctx(undefined), eu, 'X'.repeat(16), 'bsc'), { symbol: 'X'.repeat(16), chain: 'bsc', decimals: 18 });
    await assert.rejects(assetFor(ctx(offered), eu, 'USDC', 'bsc'), refused(400, 'unknown_chain', 'This token is not available on this network.'));
    const network = refused(400, 'invalid_request', 'A network is required.');
    for (const chain of [undefined, '', 'p0lygon!', 'x'.repeat(33), 5]) await assert.rejects(assetFor(ctx(offered), eu, 'USDC', chain), network, String(chain));
    assert.deepEqual(await assetFor(ctx(undefined), eu, 'USDC', 'arbitrum_one-2'), { symbol: 'USDC', chain: 'arbitrum_one-2', decimals: 18 });
  });
});

describe('whose an operation is, and what the browser sees of it', () => {
  const op = (extra: Partial<UpstreamOperation> = {}): UpstreamOperation => ({ id: 'op-1', flow: 'offramp', status: 'created', raw: 'pending', ...extra });
  const record = (extra: Partial<OwnerRecord> = {}): OwnerRecord => ({ userId: '106', ...extra });

  it('the upstream’s user where it names one, else our record; a record of another user always wins; nobody’s is nobody’s', () => {
    assert.equal(owns('106', op({ userId: '106' }), undefined), true);
    assert.equal(owns('106', op({ userId: '107' }), undefined), false);
    assert.equal(owns('106', op(), record()), true);
    assert.equal(owns('106', op(), undefined), false);
    assert.equal(owns('106', op({ userId: '106' }), record({ userId: '107' })), false);
    assert.equal(owns('106', op({ userId: '107' }), record()), false);
  });

  it('our record fills what the upstream leaves out, never what it says; no owner or reference goes to the browser', () => {
    const bank = { iban: 'ES68', bic: 'B', beneficiary: 'F', reference: 'R' };
    const full = record({
      symbol: 'USDC',
      chain: 'polygon',
      fiat: 'EUR',
      wallet: '0xabc',
      ibanMasked: '••••1332',
      method: 'transfer',
      paymentUrl: 'https://pay.example/1',
      amount: '25',
      bankTransfer: bank,
    });
    const seen = present(op({ userId: '106', externalId: 'order-1', symbol: 'USDT' }), full);
    assert.deepEqual(seen, {
      id: 'op-1',
      flow: 'offramp',
      status: 'created',
      raw: 'pending',
      symbol: 'USDT',
      chain: 'polygon',
      fiat: 'EUR',
      wallet: '0xabc',
      ibanMasked: '••••1332',
      method: 'transfer',
      paymentUrl: 'https://pay.example/1',
      bankTransfer: bank,
      tokenAmount: '25',
    } satisfies Operation);
    assert.deepEqual(present(op({ userId: '106', externalId: 'x' }), undefined), { id: 'op-1', flow: 'offramp', status: 'created', raw: 'pending' });
    assert.equal(present(op({ status: 'payment_pending' }), full).bankTransfer, bank);
    assert.equal(present(op({ status: 'completed' }), full).bankTransfer, undefined, 'no bank details once it is paid');
    assert.equal(present(op({ tokenAmount: '24.9' }), full).tokenAmount, '24.9');
    assert.equal(present(op({ flow: 'onramp' }), full).tokenAmount, undefined, 'a purchase’s amount is fiat');
  });

  it('newest first; an operation without a date last', () => {
    const ops = [{ createdAt: '2026-01-02' }, {}, { createdAt: '2026-03-01' }, { createdAt: '2025-12-31' }] as Operation[];
    assert.deepEqual(
      [...ops].sort(newestFirst).map((o) => o.createdAt),
      ['2026-03-01', '2026-01-02', '2025-12-31', undefined],
    );
  });
});

/**
 * The first screen's readers of the session protocol (configuration, price, quote), in Node: what the real handler
 * answers reads back whole, and every wrong shape is a ShapeError, never a value with holes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isQuoteValidFor, parseConfig, parsePrice, parseQuote } from '../../src/lib/protocol.js';
import { FLOW_ROUTES, matchRoute, routePath, ROUTES, type RouteName } from '../../src/lib/routes.js';
import { asArray, asObject, asStringArray, isObject, optionalDecimal, pickString, requireDecimal, requireString, ShapeError } from '../../src/lib/read.js';
import { instance, simulator } from '../support/faults.js';

const config = {
  region: 'EU',
  fiats: ['EUR'],
  assets: [{ symbol: 'USDC', decimals: 6, chains: ['polygon'], name: 'USD Coin' }],
  kyc: { status: 'valid' },
};
const quote = { flow: 'offramp', symbol: 'USDC', fiat: 'EUR', fiatAmount: '22.77', tokenAmount: '25' };

describe('configuration', () => {
  it('what the handler answers reads back whole', async () => {
    const sim = simulator({ apiKey: 'k' });
    const handler = instance({
      fetch: sim.fetch,
      resolveUser: () => ({ id: 106, region: 'EU' }),
      terms: { url: 'https://shop.test/terms', privacyUrl: 'https://shop.test/privacy' },
      support: { url: 'https://shop.test/help', email: 'help@shop.test' },
    });
    const answer = await (await handler(new Request('http://shop.test/s/config'))).json();
    const read = parseConfig(answer);
    assert.equal(read.region, 'EU');
    assert.deepEqual(read.fiats, answer.fiats);
    assert.deepEqual(
      read.assets.map((a) => a.symbol),
      answer.assets.map((a: { symbol: string }) => a.symbol),
    );
    assert.deepEqual(read.kyc, { status: 'valid', raw: answer.kyc.raw });
    assert.deepEqual(read.terms, { url: 'https://shop.test/terms', privacyUrl: 'https://shop.test/privacy' });
    assert.deepEqual(read.support, { url: 'https://shop.test/help', email: 'help@shop.test' });
    assert.equal(read.stream, answer.stream === true);
    const q = parseQuote(await (await handler(new Request('http://shop.test/s/offramp/quote?amount=25&symbol=USDC&chain=polygon&fiat=EUR'))).json());
    assert.deepEqual([q.flow, q.symbol, q.fiat, q.tokenAmount, q.source, q.chain, q.validFor], ['offramp', 'USDC', 'EUR', '25', 'quote', 'polygon', 30]);
    assert.match(q.fiatAmount, /^\d+\.\d{2}$/);
    const p = parsePrice(await (await handler(new Request('http://shop.test/s/price?symbol=USDC&fiat=EUR'))).json());
    assert.deepEqual([p.symbol, p.fiat], ['USDC', 'EUR']);
    assert.match(p.price, /^\d+(\.\d+)?$/);
  });

  it('the smallest valid answer: no optional parts, the KYC raw status as its status', () => {
    assert.deepEqual(parseConfig(config), {
      region: 'EU',
      fiats: ['EUR'],
      assets: [{ symbol: 'USDC', decimals: 6, chains: ['polygon'], name: 'USD Coin' }],
      paymentMethods: [],
      kyc: { status: 'valid', raw: 'valid' },
      stream: false,
    });
    assert.deepEqual(parseConfig({ ...config, region: 'LATAM', assets: [{ symbol: 'BTC', decimals: 0 }] }).assets, [
      { symbol: 'BTC', decimals: 0, chains: [] },
    ]);
    assert.equal(parseConfig({ ...config, stream: 'yes' }).stream, false);
    assert.equal(parseConfig({ ...config, stream: true }).stream, true);
  });

  it('KYC: its link only when https, its raw status kept', () => {
    assert.deepEqual(parseConfig({ ...config, kyc: { status: 'pending', raw: 'processing', url: 'https://kyc.example/1' } }).kyc, {
      status: 'pending',
      raw: 'processing',
      url: 'https://kyc.example/1',
    });
    assert.deepEqual(parseConfig({ ...config, kyc: { status: 'failed', url: 'javascript:alert(1)' } }).kyc, { status: 'failed', raw: 'failed' });
  });

  it('limits per flow and unit; a range that is no object is skipped, a limit that is no decimal refused', () => {
    const read = parseConfig({
      ...config,
      limits: { onramp: { EUR: { min: '20', max: '5000' }, USD: 'none', GBP: {} }, offramp: { USDC: { max: '10000' } } },
    });
    assert.deepEqual(read.limits, { onramp: { EUR: { min: '20', max: '5000' } }, offramp: { USDC: { max: '10000' } } });
    assert.equal(parseConfig({ ...config, limits: { onramp: 'x' } }).limits, undefined);
    assert.throws(() => parseConfig({ ...config, limits: { onramp: { EUR: { min: 20 } } } }), ShapeError);
  });

  it('support and terms: https links and a plain e-mail address only; terms only with a page to read', () => {
    const read = parseConfig({
      ...config,
      accountHolder: 'Ada Lovelace',
      paymentMethods: ['card', 'transfer'],
      support: { url: 'http://evil.example', email: 'help@shop.test' },
      terms: { url: 'https://shop.test/terms', privacyUrl: 'javascript:x' },
    });
    assert.equal(read.accountHolder, 'Ada Lovelace');
    assert.deepEqual(read.paymentMethods, ['card', 'transfer']);
    assert.deepEqual(read.support, { email: 'help@shop.test' });
    assert.deepEqual(read.terms, { url: 'https://shop.test/terms' });
    const none = parseConfig({ ...config, support: { email: '<b>@x' }, terms: { privacyUrl: 'https://shop.test/privacy' } });
    assert.equal(none.support, undefined);
    assert.equal(none.terms, undefined);
    assert.equal(parseConfig({ ...config, support: { email: 'a b@shop.test' } }).support, undefined);
  });

  it('a wrong shape is a ShapeError that names what is wrong', () => {
    for (const [bad, message] of [
      [null, /config/],
      [{ ...config, region: 'MARS' }, /region/],
      [{ ...config, fiats: [] }, /no fiat/],
      [{ ...config, fiats: 'EUR' }, /fiats/],
      [{ ...config, assets: [] }, /no assets/],
      [{ ...config, assets: [{ symbol: 'USDC', decimals: '6' }] }, /decimals/],
      [{ ...config, assets: [{ symbol: 'USDC', decimals: 1.5 }] }, /decimals/],
      [{ ...config, assets: [{ symbol: 'USDC', decimals: -1 }] }, /decimals/],
      [{ ...config, assets: [{ symbol: 'USDC', decimals: 37 }] }, /decimals/],
      [{ ...config, assets: [{ decimals: 6 }] }, /symbol/],
      [{ ...config, assets: [{ symbol: 'USDC', decimals: 6, chains: 'polygon' }] }, /chains/],
      [{ ...config, kyc: undefined }, /kyc/],
      [{ ...config, kyc: { status: 'approved' } }, /kyc status/],
      [{ ...config, paymentMethods: 'card' }, /paymentMethods/],
    ] as const) {
      assert.throws(
        () => parseConfig(bad),
        (error: Error) => error instanceof ShapeError && message.test(error.message),
        JSON.stringify(bad),
      );
    }
    assert.deepEqual(parseConfig({ ...config, assets: [{ symbol: 'X', decimals: 36 }] }).assets[0]!.decimals, 36);
  });
});

describe('quotes and prices', () => {
  it('a quote: amounts as exact decimals, the optional parts only when given', () => {
    assert.deepEqual(parseQuote(quote), { ...quote, source: 'quote' });
    assert.deepEqual(parseQuote({ ...quote, source: 'price', chain: 'polygon', rate: '0.9108', fee: '0.5', networkFee: '1.5', validFor: 30 }), {
      ...quote,
      source: 'price',
      chain: 'polygon',
      rate: '0.9108',
      fee: '0.5',
      networkFee: '1.5',
      validFor: 30,
    });
    assert.equal(parseQuote({ ...quote, source: 'guess' }).source, 'quote');
  });

  it('a countdown only for a validity the widget can keep: whole seconds from 5 to 3600', () => {
    for (const [value, kept] of [
      [5, true],
      [3600, true],
      [4, false],
      [3601, false],
      [30.5, false],
      ['30', false],
      [undefined, false],
    ] as const) {
      assert.equal(isQuoteValidFor(value), kept, String(value));
      assert.equal(parseQuote({ ...quote, validFor: value }).validFor, kept ? value : undefined, String(value));
    }
  });

  it('a wrong quote or price is a ShapeError', () => {
    for (const bad of [
      { ...quote, flow: 'both' },
      { ...quote, fiatAmount: 22.77 },
      { ...quote, tokenAmount: undefined },
      { ...quote, symbol: undefined },
      { ...quote, rate: 0.9 },
      { ...quote, networkFee: '-1' },
    ])
      assert.throws(() => parseQuote(bad), ShapeError, JSON.stringify(bad));
    assert.deepEqual(parsePrice({ symbol: 'USDC', fiat: 'EUR', price: '0.92', extra: 1 }), { symbol: 'USDC', fiat: 'EUR', price: '0.92' });
    for (const bad of [{ symbol: 'USDC', fiat: 'EUR', price: 0.92 }, { symbol: 'USDC', price: '0.92' }, { fiat: 'EUR', price: '0.92' }, 'price'])
      assert.throws(() => parsePrice(bad), ShapeError, JSON.stringify(bad));
  });
});

describe('the readers every answer goes through', () => {
  const shape = (message: string) => ({ name: 'ShapeError', message });

  it('objects: plain ones only, and none that could reach a prototype', () => {
    assert.deepEqual([{}, [], null, 'x', 1].map(isObject), [true, false, false, false, false]);
    assert.deepEqual(asObject({ a: 1 }, 'quote'), { a: 1 });
    for (const bad of [[], null, 'x']) assert.throws(() => asObject(bad, 'quote'), shape('quote: expected an object'));
    for (const key of ['__proto__', 'constructor', 'prototype'])
      assert.throws(() => asObject(JSON.parse(`{"a":1,"${key}":{}}`), 'quote'), shape(`quote: forbidden key ${key}`));
  });

  it('strings: the first of the names given that holds text or a finite number', () => {
    assert.equal(pickString({ a: '', b: 'x', c: 'y' }, 'a', 'b', 'c'), 'x');
    assert.equal(pickString({ a: null, b: 12.5 }, 'a', 'b'), '12.5');
    assert.equal(pickString({ a: true, b: ['x'], c: {} }, 'a', 'b', 'c'), undefined);
    assert.equal(pickString({ b: 'x' }, 'a'), undefined);
    assert.equal(requireString({ id: 7 }, 'payment', 'payment_id', 'id'), '7');
    assert.throws(() => requireString({ id: '' }, 'payment', 'payment_id', 'id'), shape('payment: missing payment_id / id'));
  });

  it('lists, and lists of strings with nothing empty', () => {
    assert.deepEqual(asArray([1, 'a'], 'assets'), [1, 'a']);
    assert.throws(() => asArray({ 0: 'a' }, 'assets'), shape('assets: expected a list'));
    assert.deepEqual(asStringArray(['bsc', 'polygon'], 'chains'), ['bsc', 'polygon']);
    for (const bad of [['bsc', ''], ['bsc', 1], [null]]) assert.throws(() => asStringArray(bad, 'chains'), shape('chains: expected strings'));
    assert.throws(() => asStringArray('bsc', 'chains'), shape('chains: expected a list'));
  });

  it('decimals: absent is absent, and anything but a plain decimal string is named', () => {
    assert.equal(optionalDecimal({ fee: '0.50' }, 'quote', 'fee'), '0.50');
    assert.equal(optionalDecimal({ fee: null }, 'quote', 'fee'), undefined);
    assert.equal(optionalDecimal({}, 'quote', 'fee'), undefined);
    for (const bad of [0.5, '1e3', '.5', '5.', '-1', ' 1', '1 ', 'x1', '1x', ''])
      assert.throws(() => optionalDecimal({ fee: bad }, 'quote', 'fee'), shape('quote: fee is not a decimal'), String(bad));
    assert.equal(requireDecimal({ amount: '12' }, 'quote', 'amount'), '12');
    assert.throws(() => requireDecimal({ amount: null }, 'quote', 'amount'), shape('quote: missing amount'));
  });
});

describe('the protocol routes, one table for both ends', () => {
  const params = { id: 'op_1-A', key: 'key.12:34-5678' };

  it('every route: the path the browser builds is the one the server matches, with its parameters back', () => {
    const expected: Record<RouteName, string> = {
      config: 'GET config',
      price: 'GET price',
      onrampQuote: 'GET onramp/quote',
      offrampQuote: 'GET offramp/quote',
      createPayment: 'POST onramp/payments',
      createRampoff: 'POST offramp/operations',
      payments: 'GET onramp/payments',
      rampoffs: 'GET offramp/operations',
      paymentByKey: 'GET onramp/payments/by-key/key.12:34-5678',
      rampoffByKey: 'GET offramp/operations/by-key/key.12:34-5678',
      payment: 'GET onramp/payments/op_1-A',
      rampoff: 'GET offramp/operations/op_1-A',
      activity: 'GET activity',
      events: 'GET events',
      webhooks: 'POST webhooks',
      register: 'POST register',
    };
    for (const name of Object.keys(ROUTES) as RouteName[]) {
      const path = routePath(name, params);
      assert.equal(`${ROUTES[name].method} ${path}`, expected[name], name);
      const match = matchRoute(ROUTES[name].method, path);
      assert.equal(match.name, name, path);
      const wanted = Object.fromEntries(Object.entries(params).filter(([key]) => ROUTES[name].path.includes(`:${key}`)));
      assert.deepEqual(match.name ? match.params : undefined, wanted, path);
    }
    assert.deepEqual(FLOW_ROUTES, {
      onramp: { quote: 'onrampQuote', create: 'createPayment', list: 'payments', one: 'payment', byKey: 'paymentByKey' },
      offramp: { quote: 'offrampQuote', create: 'createRampoff', list: 'rampoffs', one: 'rampoff', byKey: 'rampoffByKey' },
    });
  });

  it('parameters are encoded, and a missing one is named', () => {
    assert.equal(routePath('payment', { id: 'a/b c' }), 'onramp/payments/a%2Fb%20c');
    assert.throws(() => routePath('rampoffByKey', { id: 'x' }), { name: 'TypeError', message: 'rampoffByKey: missing key' });
    assert.throws(() => routePath('payment'), { name: 'TypeError', message: 'payment: missing id' });
  });

  it('ids and keys only in their own alphabet and length; a wrong method is told which ones the path allows', () => {
    for (const id of ['a', 'x'.repeat(64)]) assert.equal(matchRoute('GET', `onramp/payments/${id}`).name, 'payment', id);
    for (const id of ['x'.repeat(65), 'a.b', 'a%2Fb', '']) assert.equal(matchRoute('GET', `offramp/operations/${id}`).name, undefined, id);
    for (const key of ['k'.repeat(8), 'k'.repeat(128)]) assert.equal(matchRoute('GET', `onramp/payments/by-key/${key}`).name, 'paymentByKey');
    for (const key of ['k'.repeat(7), 'k'.repeat(129), 'key 12345678']) assert.equal(matchRoute('GET', `onramp/payments/by-key/${key}`).name, undefined, key);
    assert.equal(matchRoute('GET', 'xconfig').name, undefined);
    assert.equal(matchRoute('GET', 'configx').name, undefined);
    assert.deepEqual(matchRoute('DELETE', 'onramp/payments'), { allowed: ['POST', 'GET'] });
    assert.deepEqual(matchRoute('POST', 'config'), { allowed: ['GET'] });
    assert.deepEqual(matchRoute('GET', 'nowhere'), { allowed: [] });
  });
});

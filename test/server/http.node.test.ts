/**
 * The one mapping from a failure to what the user reads (src/server/http.ts): every upstream code the docs name, the
 * details a screen may show, what reaches the log, and the bounds on a request body.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ShapeError } from '../../src/lib/read.js';
import { describe as describeError, describeFailure, errorResponse, HttpError, json, parseObject, readBody, sanitize } from '../../src/server/http.js';
import { StoreUnavailableError } from '../../src/server/store.js';
import { UpstreamError } from '../../src/server/upstream.js';

const upstream = (code: string, data?: string | number | Record<string, string>, message = code) => new UpstreamError(code, message, 200, data);

describe('what the user reads for each failure', () => {
  it('every upstream code the docs name has its own status and words; no answer passes through verbatim', () => {
    const expected: Record<string, [number, string]> = {
      authorization_incorrect: [502, 'The payment service rejected the merchant credentials.'],
      fail_mandatory_field: [400, 'A required field is missing.'],
      user_not_found: [403, 'Your account is not registered with the payment service.'],
      user_banned: [403, 'Your account cannot trade. Please contact support.'],
      require_kyc: [403, 'Please verify your identity first.'],
      kyc_reinforced_required: [403, 'Please complete the additional verification to raise your limits.'],
      limit_exceded: [422, 'This amount is over your limit.'],
      coin_not_supported: [422, 'This token is not available on this network.'],
      min_purchase: [422, 'The amount is below the minimum.'],
      method_not_allowed: [422, 'This payment method is not available.'],
      error_payment_creation: [502, 'The payment provider failed. Please try again.'],
      fiat_not_supported: [422, 'This currency is not available.'],
      invalid_request: [422, 'The payment service rejected the request.'],
      not_found: [404, 'No such operation.'],
      rate_limited: [429, 'Too many requests. Please wait a moment.'],
      upstream_timeout: [504, 'The payment service did not answer in time.'],
      upstream_unavailable: [502, 'The payment service is unavailable. Please try again.'],
      bad_response: [502, 'The payment service sent an unexpected answer.'],
      upstream_error: [502, 'The payment service refused the request.'],
      user_already_exists: [409, 'An account with this email already exists at Cryptopocket.'],
      email_not_allowed: [422, 'This email address cannot be used for an account. Please use another one.'],
    };
    for (const [code, [status, message]] of Object.entries(expected)) {
      const failure = describeFailure(upstream(code, undefined, 'the upstream’s own words'));
      assert.equal(failure.status, status, code);
      assert.deepEqual(failure.body, { error: { code, message } }, code);
    }
    for (const code of ['toString', 'constructor', '__proto__', 'something_new'])
      assert.deepEqual(describeFailure(upstream(code)).body, { error: { code: 'upstream_error', message: 'The payment service refused the request.' } });
  });

  it('logs server-side failures and unknown codes, with the code made safe; a refusal the user can act on is not logged', () => {
    assert.equal(describeFailure(upstream('limit_exceded')).log, undefined);
    assert.equal(describeFailure(upstream('error_payment_creation')).log, 'upstream error_payment_creation (200)');
    assert.equal(describeFailure(upstream('new<script>code')).log, 'upstream upstream_error (200, unknown code new?script?code)');
    const lines: string[] = [];
    const res = errorResponse(upstream('error_payment_creation'), (line) => lines.push(line), '/ramp/onramp/payments');
    assert.equal(res.status, 502);
    assert.deepEqual(lines, ['/ramp/onramp/payments: upstream error_payment_creation (200)']);
    errorResponse(upstream('limit_exceded'), (line) => lines.push(line), '/x');
    assert.equal(lines.length, 1);
  });

  it('the minimum of min_purchase, from its data or its message', () => {
    assert.deepEqual(describeFailure(upstream('min_purchase', '25.50')).body.error.details, { minimum: '25.50' });
    assert.deepEqual(describeFailure(upstream('min_purchase', 30)).body.error.details, { minimum: '30' });
    assert.deepEqual(describeFailure(upstream('min_purchase', undefined, 'min purchase is 15 EUR')).body.error.details, { minimum: '15' });
    assert.equal(describeFailure(upstream('min_purchase', undefined, 'too little')).body.error.details, undefined);
  });

  it('the verification link of require_kyc and kyc_reinforced_required, https only, from any of its documented places', () => {
    const url = 'https://kyc.example/form/1';
    for (const code of ['require_kyc', 'kyc_reinforced_required']) {
      assert.deepEqual(describeFailure(upstream(code, url)).body.error.details, { url }, code);
      for (const key of ['url', 'kyc_form_url', 'link'])
        assert.deepEqual(describeFailure(upstream(code, { [key]: url })).body.error.details, { url }, `${code} ${key}`);
      assert.equal(describeFailure(upstream(code, 'javascript:alert(1)')).body.error.details, undefined);
      assert.equal(describeFailure(upstream(code, { other: url })).body.error.details, undefined);
    }
    assert.equal(describeFailure(upstream('user_banned', url)).body.error.details, undefined, 'only these codes carry a link');
  });

  it('our own failures: a store that is down asks for a retry in 2 s; a strange answer and a bug are told apart', () => {
    const store = describeFailure(new StoreUnavailableError('redis timeout'));
    assert.deepEqual(store, {
      status: 503,
      body: { error: { code: 'store_unavailable', message: 'The service is briefly unavailable. Please try again.' } },
      headers: { 'retry-after': '2' },
      log: 'store unavailable: redis timeout',
    });
    assert.deepEqual(describeFailure(new ShapeError('getRampoff: no <id>')), {
      status: 502,
      body: { error: { code: 'bad_response', message: 'The payment service sent an unexpected answer.' } },
      log: 'getRampoff: no ?id?',
    });
    assert.deepEqual(describeFailure(new TypeError('x is undefined')), {
      status: 500,
      body: { error: { code: 'server_error', message: 'Something went wrong on the server.' } },
      log: 'TypeError: x is undefined',
    });
    assert.equal(describeFailure('thrown text').log, 'unknown error');
    const http = describeFailure(new HttpError(405, 'method_not_allowed', 'Method not allowed.', { field: 'x' }, { allow: 'GET' }));
    assert.deepEqual(http, {
      status: 405,
      body: { error: { code: 'method_not_allowed', message: 'Method not allowed.', details: { field: 'x' } } },
      headers: { allow: 'GET' },
    });
    assert.deepEqual(describeFailure(new HttpError(404, 'not_found', 'Not found.')), {
      status: 404,
      body: { error: { code: 'not_found', message: 'Not found.' } },
    });
  });

  it('log lines keep letters, digits and a few marks, 64 characters at most', () => {
    assert.equal(sanitize('ok_code 1.2:3-4'), 'ok_code 1.2:3-4');
    assert.equal(sanitize('a\nb<c>"d'), 'a?b?c??d');
    assert.equal(sanitize('x'.repeat(80)), 'x'.repeat(64));
    assert.equal(describeError(new UpstreamError('rate_limited', 'slow down', 429)), 'rate_limited (429)');
    assert.equal(describeError(new RangeError('bad\nvalue')), 'RangeError: bad?value');
    assert.equal(describeError(42), 'unknown error');
  });

  it('answers JSON that no cache keeps', async () => {
    const res = json({ a: 1 }, 201, { 'retry-after': '3' });
    assert.equal(res.status, 201);
    assert.deepEqual(Object.fromEntries(res.headers), { 'content-type': 'application/json', 'cache-control': 'no-store', 'retry-after': '3' });
    assert.deepEqual(await res.json(), { a: 1 });
    assert.equal(json(null).status, 200);
  });
});

describe('request bodies', () => {
  it('an object from JSON, or a 400 that says which of the two is wrong', () => {
    assert.deepEqual(parseObject('{"a":1}', 'quote request'), { a: 1 });
    assert.throws(() => parseObject('{', 'quote request'), { status: 400, code: 'invalid_json', message: 'The quote request is not JSON.' });
    for (const text of ['[1]', '"text"', 'null', '3'])
      assert.throws(() => parseObject(text, 'body'), { status: 400, code: 'invalid_request', message: 'The body must be an object.' });
  });

  it('reads up to the limit; one byte more, declared or streamed, is a 413', async () => {
    const tooLarge = { status: 413, code: 'payload_too_large', message: 'The request body is too large.' };
    const post = (body: BodyInit, headers: Record<string, string> = {}) =>
      new Request('http://shop.test/ramp/x', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
    assert.equal(await readBody(post('ä'.repeat(5)), 10), 'ä'.repeat(5));
    await assert.rejects(readBody(post('a'.repeat(11)), 10), tooLarge);
    await assert.rejects(readBody(post('a', { 'content-length': '11' }), 10), tooLarge);
    const stream = (chunks: string[]) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
          controller.close();
        },
      });
    assert.equal(await readBody(post(stream(['abcde', 'fghij'])), 10), 'abcdefghij');
    await assert.rejects(readBody(post(stream(['abcde', 'fghij', 'k'])), 10), tooLarge);
    assert.equal(await readBody(new Request('http://shop.test/ramp/x'), 10), '');
  });
});

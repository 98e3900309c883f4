/**
 * `GET activity` over a scripted API whose list pages the test writes: which rows a user sees, in which order,
 * where "Load more" continues, and how many upstream pages one answer may read.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EU, instance, call } from '../support/faults.js';

interface Page {
  items: object[];
  next_page?: string;
}

/** An API with only the two list endpoints: `pages[flow][page ?? '']`; every read is counted. */
function scripted(pages: { onramp: Record<string, Page>; offramp: Record<string, Page> }) {
  const reads: string[] = [];
  const fetch = async (input: RequestInfo | URL) => {
    const url = new URL(String(input));
    const flow = url.pathname === '/api/payments' ? 'onramp' : url.pathname === '/api/rampoffs' ? 'offramp' : undefined;
    if (!flow) return new Response('{"status":"error","error":"not_found"}', { status: 404 });
    const page = url.searchParams.get('page') ?? '';
    reads.push(`${flow}:${page}`);
    const answer = pages[flow][page] ?? { items: [] };
    return Response.json({ status: 'ok', data: answer });
  };
  const h = instance({ fetch, resolveUser: () => EU });
  const list = async (cursor?: string) => {
    const res = await call(h, `activity${cursor === undefined ? '' : `?cursor=${encodeURIComponent(cursor)}`}`);
    return { status: res.status, body: (await res.json()) as { items: Array<{ id: string; flow: string }>; next?: string; error?: unknown } };
  };
  return { h, reads, list };
}

const at = (minute: number) => `2026-12-01T10:${String(minute).padStart(2, '0')}:00.000000Z`;
const buy = (id: string, minute: number, user = '106') => ({
  id,
  user_id: user,
  status: 'started',
  fiat_amount: 50,
  fiat_symbol: 'EUR',
  created_at: at(minute),
});
const sell = (id: string, minute: number, user = '106') => ({
  id,
  user_id: user,
  status: 'pending',
  crypto: 'USDC',
  amount: '25000000',
  decimals: 6,
  created_at: at(minute),
});

describe('activity: the merged list of buys and sells', () => {
  it('a buy and a sale made at the same moment: the buy first, on every answer', async () => {
    const { list } = scripted({ onramp: { '': { items: [buy('b1', 5)] } }, offramp: { '': { items: [sell('s1', 5)] } } });
    assert.deepEqual(
      (await list()).body.items.map((o) => o.id),
      ['b1', 's1'],
    );
  });

  it('ten rows fill an answer; with nothing left there is no "Load more"', async () => {
    const ten = Array.from({ length: 10 }, (_, i) => buy(`b${i}`, 50 - i));
    const { list } = scripted({ onramp: { '': { items: ten } }, offramp: { '': { items: [] } } });
    const answer = (await list()).body;
    assert.equal(answer.items.length, 10);
    assert.equal('next' in answer, false);
  });

  it('an eleventh row is behind "Load more", which reads only the page it needs', async () => {
    const ten = Array.from({ length: 10 }, (_, i) => buy(`b${i}`, 50 - i));
    const { list, reads } = scripted({ onramp: { '': { items: ten, next_page: 'p2' }, p2: { items: [buy('b10', 30)] } }, offramp: { '': { items: [] } } });
    const first = (await list()).body;
    assert.equal(first.items.length, 10);
    assert.ok(first.next);
    reads.length = 0;
    const second = (await list(first.next)).body;
    assert.deepEqual(
      second.items.map((o) => o.id),
      ['b10'],
    );
    assert.equal('next' in second, false);
    assert.deepEqual(reads, ['onramp:p2'], 'the used-up first page is not read again, nor the finished sales');
  });

  it('a row left on the page continues from the same page', async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => buy(`b${i}`, 50 - i));
    const { list } = scripted({ onramp: { '': { items: eleven } }, offramp: { '': { items: [] } } });
    const first = (await list()).body;
    const second = (await list(first.next)).body;
    assert.deepEqual(
      second.items.map((o) => o.id),
      ['b10'],
    );
    assert.equal('next' in second, false);
  });

  it('one answer reads at most eight upstream pages, however many rows of other users the API returns', async () => {
    const others: Record<string, Page> = {};
    for (let n = 0; n < 20; n++) others[n ? `p${n}` : ''] = { items: [buy(`x${n}`, 59 - n, '110')], next_page: `p${n + 1}` };
    const { list, reads } = scripted({ onramp: others, offramp: { '': { items: [] } } });
    const answer = (await list()).body;
    assert.deepEqual(answer.items, []);
    assert.equal(reads.length, 8);
    assert.ok(answer.next, 'the user can ask for more');
  });

  it('a page token the cursor cannot carry ends that list', async () => {
    for (const token of ['../2', 'p2/..']) {
      const { list, reads } = scripted({ onramp: { '': { items: [buy('b1', 5)], next_page: token } }, offramp: { '': { items: [] } } });
      const answer = (await list()).body;
      assert.deepEqual(
        answer.items.map((o) => o.id),
        ['b1'],
      );
      assert.equal('next' in answer, false, token);
      assert.equal(reads.includes(`onramp:${token}`), false);
    }
  });

  it('continues from a cursor naming a page and an offset; a finished list is "~"', async () => {
    const { list, reads } = scripted({
      onramp: { p2: { items: [buy('b1', 9), buy('b2', 8), buy('b3', 7)] } },
      offramp: { '': { items: [sell('s1', 1)] } },
    });
    assert.deepEqual(
      (await list('p2.12_~')).body.items.map((o) => o.id),
      [],
      'offset 12 is past this page',
    );
    assert.deepEqual(
      (await list('p2.1_~')).body.items.map((o) => o.id),
      ['b2', 'b3'],
    );
    assert.equal(
      reads.some((r) => r.startsWith('offramp')),
      false,
      'a finished list is not read',
    );
    assert.deepEqual(
      (await list('~_.0')).body.items.map((o) => o.id),
      ['s1'],
    );
    assert.deepEqual((await list('~_.12')).body.items, [], 'an offset of two digits on the second list too');
  });

  it('refuses a cursor of another shape (400 "Bad cursor.")', async () => {
    const { list, reads } = scripted({ onramp: {}, offramp: {} });
    for (const cursor of ['3', '!.0_.0', '.0_.0!', '.1234_.0', 'p/2.0_~', '']) {
      assert.deepEqual(await list(cursor), { status: 400, body: { error: { code: 'invalid_request', message: 'Bad cursor.' } } }, cursor);
    }
    assert.deepEqual(reads, []);
  });
});

describe('the per-flow lists and the create envelope', () => {
  it('a list cursor of another shape is refused before anything is read', async () => {
    const { h, reads } = scripted({ onramp: { p2: { items: [buy('b1', 9)] } }, offramp: {} });
    for (const cursor of ['!p2', 'p2!', 'x'.repeat(65)]) {
      const res = await call(h, `onramp/payments?cursor=${cursor}`);
      assert.deepEqual([res.status, await res.json()], [400, { error: { code: 'invalid_request', message: 'Bad cursor.' } }], cursor);
    }
    assert.deepEqual(reads, []);
    const res = await call(h, 'onramp/payments?cursor=p2');
    assert.deepEqual(
      ((await res.json()) as { items: Array<{ id: string }> }).items.map((o) => o.id),
      ['b1'],
    );
    assert.deepEqual(reads, ['onramp:p2']);
  });

  it('a page of one flow lists the user’s own rows newest first, whatever order the API gives', async () => {
    const { h } = scripted({ onramp: { '': { items: [buy('old', 1), buy('theirs', 5, '110'), buy('new', 9), buy('mid', 4)] } }, offramp: {} });
    const res = await call(h, 'onramp/payments');
    assert.deepEqual(
      ((await res.json()) as { items: Array<{ id: string }> }).items.map((o) => o.id),
      ['new', 'mid', 'old'],
    );
  });

  it('a create needs an Idempotency-Key of 8 to 128 key characters, and says so', async () => {
    const { h } = scripted({ onramp: {}, offramp: {} });
    for (const key of [undefined, 'short', '!key-12345678', 'key-12345678!', 'k'.repeat(129)]) {
      const res = await call(h, 'offramp/operations', {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }) },
      });
      assert.deepEqual(
        [res.status, await res.json()],
        [400, { error: { code: 'idempotency_key_required', message: 'An Idempotency-Key header (8–128 characters) is required.' } }],
        String(key),
      );
    }
  });
});

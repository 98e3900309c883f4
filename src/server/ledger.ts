/**
 * The operation ledger: each create is a small state machine keyed by (flow, user, Idempotency-Key), so one user
 * action makes at most one upstream operation whatever fails.
 *
 *   pending ──► created(answer)        the API answered with the operation
 *      │    ──► rejected(answer)       a definitive refusal (a business or validation error): replayed as it was
 *      │    ──► released               certainly never reached the API (connection refused, 429): the same key may retry
 *      └────► unknown ──► created      the request may have reached the API (timeout, reset, 5xx after sending, an
 *                    └──► rejected     unreadable answer, or the process died): never sent again; reconciliation looks
 *                                      for it, and only a bounded window that finds nothing makes it `not_created`
 *
 * While a create is unknown the answer is `202 { status: "checking" }` with `Retry-After`; the widget asks again
 * with the same key. A pending create older than `pendingMs` is treated as unknown (its process may have died).
 */
import type { Flow } from '../types.js';
import { describeFailure, HttpError } from './http.js';
import type { KeyValueStore } from './store.js';
import { StoreUnavailableError } from './store.js';
import { UpstreamError } from './upstream.js';

const DAY = 24 * 60 * 60 * 1000;

/** What a create stores of its request (never an IBAN or other personal data beyond what the status needs). */
export type Attempt = Record<string, string>;

type LedgerRecord =
  | { state: 'pending'; hash: string; at: number; attempt: Attempt }
  | {
      state: 'unknown';
      hash: string;
      at: number;
      attempt: Attempt;
      found?: unknown;
      /** `found` is the API's own answer to this create (not a reconciliation match). */ sent?: boolean;
    }
  | { state: 'created'; hash: string; body: unknown }
  | { state: 'rejected'; hash: string; status: number; body: unknown };

/** What a flow tells the ledger: how to find a lost create again, and how to record a found or created one. */
export interface CreateAdapter<R> {
  /** Reconciliation: the operation this attempt created, if the upstream shows it. */
  find(attempt: Attempt, scope: LedgerScope, at: number): Promise<R | undefined>;
  /**
   * Records ownership (and claims the operation); returns the create's answer. Throws `ClaimConflict` when another
   * create holds the operation (`sent`: the API answered this create with it, rather than reconciliation matching it),
   * any other error when the store fails.
   */
  record(result: R, attempt: Attempt, scope: LedgerScope, sent: boolean): Promise<{ id: string; body: unknown }>;
}

export interface LedgerScope {
  flow: Flow;
  userId: string;
  key: string;
}

export interface LedgerAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** The operation the answer names, once created. */
  created?: { flow: Flow; id: string; userId: string };
}

export interface LedgerOptions {
  now: () => number;
  /** A pending create older than this is treated as unknown. */
  pendingMs: number;
  /** How long reconciliation looks for an unknown create before it says it was not created. */
  windowMs: number;
  log: (line: string) => void;
}

/** The operation is claimed by another create (see `CreateAdapter.record`). */
export class ClaimConflict extends Error {
  override name = 'ClaimConflict';
}

const CHECKING = (flow: Flow) => ({
  status: 'checking',
  message: flow === 'offramp' ? 'Checking whether your sale was created…' : 'Checking whether your purchase was created…',
});

export class Ledger {
  /** One ledger step per key at a time in this process (a double click waits for the first). */
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly adapters: { [F in Flow]: CreateAdapter<unknown> },
    private readonly options: LedgerOptions,
  ) {}

  /** Runs a create once per key: `send` is called at most once for the key, across retries and instances. */
  create<R>(scope: LedgerScope, hash: string, attempt: Attempt, send: () => Promise<R>): Promise<LedgerAnswer> {
    return this.serial(scope, async () => {
      const id = storeKey(scope);
      let stored = await this.store.get(id);
      if (!stored) {
        const at = this.options.now();
        if (await this.store.setIfAbsent(id, JSON.stringify({ state: 'pending', hash, at, attempt } satisfies LedgerRecord), DAY))
          return this.send(scope, hash, at, attempt, send);
        stored = await this.store.get(id);
        if (!stored) throw new StoreUnavailableError('the ledger record vanished');
      }
      const record = JSON.parse(stored) as LedgerRecord;
      if (record.hash !== hash) throw new HttpError(422, 'idempotency_mismatch', 'This Idempotency-Key was used with a different request.');
      return this.resume(scope, record, true);
    });
  }

  /** What a create with this key came to (a reloaded page asks): the created answer, in progress, or not found. */
  lookup(scope: LedgerScope): Promise<LedgerAnswer> {
    return this.serial(scope, async () => {
      const stored = await this.store.get(storeKey(scope));
      if (!stored) throw new HttpError(404, 'not_found', 'Nothing was created with this key.');
      const answer = await this.resume(scope, JSON.parse(stored) as LedgerRecord, false);
      if (answer.status === 201) return { ...answer, status: 200 };
      if (answer.status === 202) throw new HttpError(409, 'request_in_progress', 'The request is still being processed.', undefined, { 'retry-after': '2' });
      throw new HttpError(404, 'not_found', 'Nothing was created with this key.');
    });
  }

  private async resume(scope: LedgerScope, record: LedgerRecord, replay: boolean): Promise<LedgerAnswer> {
    switch (record.state) {
      case 'created':
        return { status: 201, body: record.body, ...(replay ? { headers: { 'idempotent-replayed': 'true' } } : {}) };
      case 'rejected':
        return { status: record.status, body: record.body, ...(replay ? { headers: { 'idempotent-replayed': 'true' } } : {}) };
      case 'pending':
        if (this.options.now() - record.at < this.options.pendingMs) {
          throw new HttpError(409, 'request_in_progress', 'The same request is still being processed. Please retry shortly.', undefined, {
            'retry-after': '1',
          });
        }
        return this.reconcile(scope, { ...record, state: 'unknown' });
      case 'unknown':
        return this.reconcile(scope, record);
    }
  }

  private async send<R>(scope: LedgerScope, hash: string, at: number, attempt: Attempt, send: () => Promise<R>): Promise<LedgerAnswer> {
    let result: R;
    try {
      result = await send();
    } catch (error) {
      const id = storeKey(scope);
      if (outcomeUnknown(error)) {
        this.options.log(
          `${scope.flow} create: outcome unknown (${error instanceof Error ? error.name : 'error'}${error instanceof UpstreamError ? ` ${error.code} ${error.status}` : ''}); reconciling`,
        );
        const record: LedgerRecord = { state: 'unknown', hash, at, attempt };
        await this.store.set(id, JSON.stringify(record), DAY);
        return this.reconcile(scope, record);
      }
      if (released(error)) await this.store.delete(id);
      else {
        const failure = describeFailure(error);
        await this.store.set(id, JSON.stringify({ state: 'rejected', hash, status: failure.status, body: failure.body } satisfies LedgerRecord), DAY);
      }
      throw error;
    }
    return this.settle(scope, { state: 'unknown', hash, at, attempt }, result, true);
  }

  /**
   * Records a created (or found) operation; a failing store leaves the create unknown, carrying what was learnt. A
   * match that another create claimed meanwhile is dropped and looked for again; the API's own answer claimed by
   * another user's create means the upstream is inconsistent: refused once, loudly, never looped on.
   */
  private async settle(scope: LedgerScope, record: Extract<LedgerRecord, { state: 'unknown' }>, result: unknown, sent: boolean): Promise<LedgerAnswer> {
    const id = storeKey(scope);
    const { hash } = record;
    let answer: { id: string; body: unknown };
    try {
      answer = await this.adapters[scope.flow].record(result, record.attempt, scope, sent);
    } catch (error) {
      if (error instanceof ClaimConflict && !sent) {
        await this.store.set(id, JSON.stringify({ state: 'unknown', hash, at: record.at, attempt: record.attempt } satisfies LedgerRecord), DAY);
        return { status: 202, body: CHECKING(scope.flow), headers: { 'retry-after': '1' } };
      }
      if (error instanceof ClaimConflict) {
        this.options.log(`${scope.flow} create: the API answered with an operation another user's create holds; refused`);
        const refusal = new HttpError(502, 'bad_response', 'The payment service sent an unexpected answer.');
        const failure = describeFailure(refusal);
        await this.store.set(id, JSON.stringify({ state: 'rejected', hash, status: failure.status, body: failure.body } satisfies LedgerRecord), DAY);
        throw refusal;
      }
      this.options.log(`${scope.flow} create: created upstream but not recorded (${error instanceof Error ? error.message : 'error'}); will reconcile`);
      await this.store
        .set(id, JSON.stringify({ state: 'unknown', hash, at: record.at, attempt: record.attempt, found: result, sent } satisfies LedgerRecord), DAY)
        .catch(() => {});
      return { status: 202, body: CHECKING(scope.flow), headers: { 'retry-after': '1' } };
    }
    try {
      await this.store.set(id, JSON.stringify({ state: 'created', hash, body: answer.body } satisfies LedgerRecord), DAY);
    } catch {
      // the ownership record names this key: a retry reconciles to the same operation
      this.options.log(`${scope.flow} create: created and owned, ledger write failed`);
    }
    return { status: 201, body: answer.body, created: { flow: scope.flow, id: answer.id, userId: scope.userId } };
  }

  private async reconcile(scope: LedgerScope, record: Extract<LedgerRecord, { state: 'unknown' }>): Promise<LedgerAnswer> {
    if (record.found !== undefined) return this.settle(scope, record, record.found, record.sent ?? false);
    let found: unknown;
    try {
      found = await this.adapters[scope.flow].find(record.attempt, scope, record.at);
    } catch (error) {
      this.options.log(`${scope.flow} reconcile: lookup failed (${error instanceof Error ? error.name : 'error'})`);
    }
    if (found !== undefined) return this.settle(scope, record, found, false);
    if (this.options.now() - record.at <= this.options.windowMs) return { status: 202, body: CHECKING(scope.flow), headers: { 'retry-after': '2' } };
    const what = scope.flow === 'offramp' ? 'sale' : 'purchase';
    const refusal = new HttpError(409, 'not_created', `Your ${what} was not created, and nothing was charged. You can start it again.`);
    const failure = describeFailure(refusal);
    await this.store.set(
      storeKey(scope),
      JSON.stringify({ state: 'rejected', hash: record.hash, status: failure.status, body: failure.body } satisfies LedgerRecord),
      DAY,
    );
    this.options.log(`${scope.flow} reconcile: not found within ${this.options.windowMs} ms; not created`);
    throw refusal;
  }

  private async serial<T>(scope: LedgerScope, work: () => Promise<T>): Promise<T> {
    const id = storeKey(scope);
    for (let running = this.running.get(id); running; running = this.running.get(id)) await running.catch(() => {});
    const run = work();
    this.running.set(id, run);
    try {
      return await run;
    } finally {
      if (this.running.get(id) === run) this.running.delete(id);
    }
  }
}

function storeKey(scope: LedgerScope): string {
  return `idem:${scope.flow}:${scope.userId}:${scope.key}`;
}

/**
 * Whether a failed create may have reached the API: a timeout, a reset, a 5xx, an answer we could not read, or any
 * failure we did not expect. A structured refusal (a business code, a 4xx) or a connection never made is definitive.
 */
export function outcomeUnknown(error: unknown): boolean {
  if (error instanceof HttpError) return false;
  // any other failure is unknown (a 2xx answer we could not read, a ShapeError, may well have been created), except
  // the store's own
  if (!(error instanceof UpstreamError)) return !(error instanceof StoreUnavailableError);
  if (!error.mayHaveReached) return false;
  if (error.status === 0 || error.status >= 500 || error.status === 408) return true;
  if (error.status >= 400) return false;
  return ['bad_response', 'upstream_error', 'upstream_unavailable', 'upstream_timeout'].includes(error.code);
}

/**
 * A definitive failure after which the same key may simply be sent again: nothing was done, and the answer says to
 * retry (a 5xx refusal such as `error_payment_creation`, a 429, a connection never made). Only a 4xx refusal is kept
 * and replayed: the widget starts a corrected request with a new key.
 */
function released(error: unknown): boolean {
  if (!(error instanceof UpstreamError) || !error.mayHaveReached) return true;
  const { status } = describeFailure(error);
  return status >= 500 || status === 429;
}

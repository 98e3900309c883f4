import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { RampError } from '../lib/errors.js';
import { clearOpen, saveOpen } from '../lib/resume.js';
import type { SessionClient } from '../lib/session-client.js';
import type { Flow } from '../types.js';

/** A random key for `Idempotency-Key` (works on plain-http pages too, where `randomUUID` is missing). */
export function newIdempotencyKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** How long a create keeps asking while the endpoint answers "checking" (the endpoint decides well before). */
const CHECKING_MS = 120_000;

export interface CreateOptions<T> {
  flow: Flow;
  /** Protocol path of the create, e.g. `offramp/operations`. */
  path: string;
  parse: (body: unknown) => T;
  /** The `sessionStorage` scope (the session endpoint), so a reload finds the request by its key. */
  scope: () => string | undefined;
}

/**
 * Creates an operation exactly once: one request at a time (a double click does nothing), the same
 * Idempotency-Key on every retry of the same request (so the session endpoint replays instead of
 * creating twice), a new key only when the request changed, and the key kept in `sessionStorage`
 * while in flight so a reload can ask what it created.
 */
export class CreateController<T extends { id: string }> implements ReactiveController {
  creating = false;
  /** The endpoint is finding out whether a create whose answer was lost went through ("Checking whether your sale was created…"). */
  checking = false;
  error?: RampError;
  private pending?: { key: string; body: string };

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly client: () => SessionClient | undefined,
    private readonly options: CreateOptions<T>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Sends the create; resolves to the created resource, or `undefined` when it failed (see `error`) or is already running. */
  async create(body: object): Promise<T | undefined> {
    const client = this.client();
    if (this.creating || !client) return undefined;
    const text = JSON.stringify(body);
    if (this.pending?.body !== text) this.pending = { key: newIdempotencyKey(), body: text };
    const { key } = this.pending;
    const scope = this.options.scope();
    this.creating = true;
    this.error = undefined;
    this.host.requestUpdate();
    if (scope) saveOpen(scope, { flow: this.options.flow, phase: 'creating', key, at: Date.now() });
    try {
      const created = await this.ask(client, body, key);
      this.pending = undefined;
      if (scope) saveOpen(scope, { flow: this.options.flow, phase: 'tracking', id: created.id });
      return created;
    } catch (error) {
      this.error = RampError.from(error);
      if (!this.error.retryable) {
        // refused: nothing was created; a corrected request gets a new key
        this.pending = undefined;
        if (scope) clearOpen(scope);
      }
      return undefined;
    } finally {
      this.creating = false;
      this.checking = false;
      this.host.requestUpdate();
    }
  }

  /**
   * Sends the create with its key; while the endpoint answers `202 checking` (it is finding out whether an earlier try
   * went through), asks again with the same key, as often as it says, saying "Checking…" meanwhile.
   */
  private async ask(client: SessionClient, body: object, key: string): Promise<T> {
    const until = Date.now() + CHECKING_MS;
    for (;;) {
      try {
        return await client.post(this.options.path, body, this.options.parse, { idempotencyKey: key });
      } catch (error) {
        if (!(error instanceof RampError && error.code === 'checking' && Date.now() < until)) throw error;
        if (!this.checking) {
          this.checking = true;
          this.host.requestUpdate();
        }
        await new Promise((resolve) => setTimeout(resolve, Number(error.details.retryAfterMs ?? 1000)));
      }
    }
  }

  /** Forgets the error and the pending key (a new operation starts). */
  reset(): void {
    this.pending = undefined;
    this.error = undefined;
    this.host.requestUpdate();
  }
}

import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { FLOW_ROUTES, routePath } from '../lib/routes.js';
import type { RampError } from '../lib/errors.js';
import { Latest } from './latest.js';
import { parseQuote } from '../lib/protocol.js';
import type { SessionClient } from '../lib/session-client.js';
import type { Flow, Quote } from '../types.js';

export interface QuoteRequest {
  flow: Flow;
  amount: string;
  symbol: string;
  chain?: string;
  fiat: string;
  method?: string;
}

export type QuoteState =
  | { status: 'empty' }
  | { status: 'loading'; request: QuoteRequest }
  /** `expiresAt` (ms): when the quote gives way to a fresh one, if it says how long it holds; `refreshing` meanwhile. */
  | { status: 'ready'; request: QuoteRequest; quote: Quote; expiresAt?: number; refreshing?: boolean }
  | { status: 'unavailable'; request: QuoteRequest; error: RampError };

/**
 * Live quote: debounced while the user types; a newer request aborts the older one, so a slow answer for an old value
 * never overwrites a newer one. A quote that says how long it holds (`validFor`) counts down once a second and is
 * replaced by a fresh one when it runs out, while `live()` says it is on screen and the tab is visible; hidden or off
 * screen, it waits and refreshes on return.
 */
export class QuoteController implements ReactiveController {
  state: QuoteState = { status: 'empty' };
  private timer?: ReturnType<typeof setTimeout>;
  readonly #latest = new Latest();
  private key = '';
  /** The shown quote ran out while nobody could see it: refreshed when it is seen again. */
  private stale = false;
  private readonly onVisibility = () => this.stale && this.tick();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly client: () => SessionClient | undefined,
    private readonly callbacks: { quoted(quote: Quote): void; failed(error: RampError): void; live(): boolean },
    private readonly debounceMs = 350,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.cancel();
    this.key = '';
  }

  /** Whole seconds left before the shown quote is refreshed, if it says how long it holds. */
  get secondsLeft(): number | undefined {
    const { state } = this;
    return state.status === 'ready' && state.expiresAt ? Math.max(0, Math.ceil((state.expiresAt - Date.now()) / 1000)) : undefined;
  }

  /** Asks for a quote for `request` (or clears it with `undefined`), after the debounce. */
  update(request: QuoteRequest | undefined): void {
    const key = request ? JSON.stringify(request) : '';
    if (key === this.key) {
      if (this.stale) this.tick();
      return;
    }
    this.key = key;
    this.cancel();
    if (!request) {
      this.set({ status: 'empty' });
      return;
    }
    this.set({ status: 'loading', request });
    this.timer = setTimeout(() => void this.fetch(request), this.debounceMs);
  }

  private async fetch(request: QuoteRequest): Promise<void> {
    const client = this.client();
    if (!client) return;
    const { flow, amount, symbol, chain, fiat, method } = request;
    const query = { amount, symbol, chain, fiat, method };
    const outcome = await this.#latest.run((signal) => client.get(routePath(FLOW_ROUTES[flow].quote), parseQuote, { signal, query }));
    if (!outcome) return;
    if (outcome.ok) {
      const quote = outcome.value;
      this.set({ status: 'ready', request, quote, ...(quote.validFor ? { expiresAt: Date.now() + quote.validFor * 1000 } : {}) });
      this.callbacks.quoted(quote);
      this.tick();
    } else {
      this.set({ status: 'unavailable', request, error: outcome.error });
      this.callbacks.failed(outcome.error);
    }
  }

  /** One second of the countdown: shown, and at zero the same request asked again (the old figures stay until then). */
  private tick(): void {
    clearTimeout(this.timer);
    const { state } = this;
    if (state.status !== 'ready' || !state.expiresAt) return;
    this.stale = document.visibilityState === 'hidden' || !this.callbacks.live();
    if (this.stale) return;
    const left = state.expiresAt - Date.now();
    if (left <= 0) {
      this.set({ ...state, refreshing: true });
      void this.fetch(state.request);
    } else {
      this.host.requestUpdate();
      this.timer = setTimeout(() => this.tick(), left % 1000 || 1000);
    }
  }

  private cancel(): void {
    clearTimeout(this.timer);
    this.stale = false;
    this.#latest.cancel();
  }

  private set(state: QuoteState): void {
    this.state = state;
    this.host.requestUpdate();
  }
}

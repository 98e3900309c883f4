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
  | { status: 'ready'; request: QuoteRequest; quote: Quote }
  | { status: 'unavailable'; request: QuoteRequest; error: RampError };

/**
 * Live quote: debounced while the user types; a newer request aborts the older one, so a slow
 * answer for an old value never overwrites a newer one.
 */
export class QuoteController implements ReactiveController {
  state: QuoteState = { status: 'empty' };
  private timer?: ReturnType<typeof setTimeout>;
  readonly #latest = new Latest();
  private key = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly client: () => SessionClient | undefined,
    private readonly callbacks: { quoted(quote: Quote): void; failed(error: RampError): void },
    private readonly debounceMs = 350,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.cancel();
    this.key = '';
  }

  /** Asks for a quote for `request` (or clears it with `undefined`), after the debounce. */
  update(request: QuoteRequest | undefined): void {
    const key = request ? JSON.stringify(request) : '';
    if (key === this.key) return;
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
      this.set({ status: 'ready', request, quote: outcome.value });
      this.callbacks.quoted(outcome.value);
    } else {
      this.set({ status: 'unavailable', request, error: outcome.error });
      this.callbacks.failed(outcome.error);
    }
  }

  private cancel(): void {
    clearTimeout(this.timer);
    this.#latest.cancel();
  }

  private set(state: QuoteState): void {
    this.state = state;
    this.host.requestUpdate();
  }
}

import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { routePath } from '../lib/routes.js';
import { parsePrice } from '../lib/protocol.js';
import type { SessionClient } from '../lib/session-client.js';
import { nextTask } from '../lib/tasks.js';
import { Latest } from './latest.js';
import type { PriceQuote } from '../types.js';
import type { Translate } from '../i18n/localize.js';
import { formatFiat } from '../lib/money.js';

/**
 * The token price shown next to the amount: fetched when the token or fiat changes, refreshed no
 * more often than every 30 s, and not while the tab is hidden (refreshed on return when stale).
 * A failed price shows nothing: it is a hint, not a step.
 */
export class PriceController implements ReactiveController {
  price?: PriceQuote;
  private key = '';
  private fetchedAt = 0;
  private timer?: ReturnType<typeof setTimeout>;
  readonly #latest = new Latest();
  private readonly intervalMs: number;
  private readonly prepare: () => Promise<void> | void;
  private readonly onVisibility = () => {
    if (document.visibilityState === 'visible' && this.key) this.schedule(Math.max(0, this.fetchedAt + this.intervalMs - Date.now()));
    else clearTimeout(this.timer);
  };

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly client: () => SessionClient | undefined,
    options: {
      /** Refresh interval (ms). */
      intervalMs?: number;
      /** Readies what formatting a price needs (see `startNumberFormat`), in tasks before the one that renders it. */
      prepare?: () => Promise<void> | void;
    } = {},
  ) {
    this.intervalMs = options.intervalMs ?? 30_000;
    this.prepare = options.prepare ?? (() => {});
    host.addController(this);
  }

  /** The price as the line under the amount ("1 USDC ≈ €0.92"), once known for the token and currency watched. */
  line(t: Translate, locale: string): string | undefined {
    const { price } = this;
    return price && t('price.line', { symbol: price.symbol, price: formatFiat(price.price, price.fiat, locale) });
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.onVisibility);
    if (this.key) this.schedule(Math.max(0, this.fetchedAt + this.intervalMs - Date.now()));
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.onVisibility);
    clearTimeout(this.timer);
    this.#latest.cancel();
  }

  /** Follows the price of `symbol` in `fiat` (or nothing). */
  watch(symbol: string | undefined, fiat: string | undefined): void {
    const key = symbol && fiat ? `${symbol}|${fiat}` : '';
    if (key === this.key) return;
    this.key = key;
    this.price = undefined;
    this.fetchedAt = 0;
    clearTimeout(this.timer);
    this.#latest.cancel();
    if (key) this.schedule(0);
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    if (document.visibilityState === 'hidden' && delay > 0) return;
    this.timer = setTimeout(() => void this.fetch(), delay);
  }

  private async fetch(): Promise<void> {
    const client = this.client();
    const key = this.key;
    const [symbol, fiat] = key.split('|');
    if (!client || !symbol || !fiat) return;
    const outcome = await this.#latest.run(async (signal) => {
      const price = await client.get(routePath('price'), parsePrice, { signal, query: { symbol, fiat } });
      // the page's first price may start ICU: that start-up and the render that shows the price are separate tasks
      await this.prepare();
      await nextTask();
      return price;
    });
    if (!outcome) return; // superseded: another token or currency, or the element left
    if (outcome.ok && `${outcome.value.symbol}|${outcome.value.fiat}` === key) {
      this.price = outcome.value;
      this.host.requestUpdate();
    }
    this.fetchedAt = Date.now();
    if (document.visibilityState === 'visible') this.schedule(this.intervalMs);
  }
}

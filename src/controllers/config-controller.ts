import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { routePath } from '../lib/routes.js';
import { RampError } from '../lib/errors.js';
import { Latest } from './latest.js';
import { parseConfig } from '../lib/protocol.js';
import type { SessionClient } from '../lib/session-client.js';
import type { RampConfig } from '../types.js';

export type LoadState = { status: 'idle' } | { status: 'loading' } | { status: 'ready'; config: RampConfig } | { status: 'error'; error: RampError };

/** Loads the configuration from the session endpoint; aborts on disconnect. */
export class ConfigController implements ReactiveController {
  state: LoadState = { status: 'idle' };
  /** Settles when the current load has (or any load in flight: once it is ready, failed or aborted). */
  settled: Promise<void> = Promise.resolve();
  readonly #latest = new Latest();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly client: () => SessionClient | undefined,
    private readonly callbacks: { ready(config: RampConfig): void; failed(error: RampError): void },
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (this.state.status !== 'ready') void this.load();
  }

  hostDisconnected(): void {
    this.#latest.cancel();
    if (this.state.status === 'loading') this.state = { status: 'idle' };
  }

  async load(): Promise<void> {
    const client = this.client();
    if (!client) {
      this.#latest.cancel();
      this.fail(new RampError('config_missing', 'The session-url attribute is missing.', false));
      return;
    }
    this.state = { status: 'loading' };
    this.host.requestUpdate();
    // settles once this load has landed or was superseded (the client's fetch and backoff both observe the abort)
    const run = this.#latest.run((signal) => client.get(routePath('config'), parseConfig, { signal }));
    this.settled = run.then(() => {});
    const outcome = await run;
    if (!outcome) return;
    if (!outcome.ok) return this.fail(outcome.error);
    this.state = { status: 'ready', config: outcome.value };
    this.host.requestUpdate();
    this.callbacks.ready(outcome.value);
  }

  private fail(error: RampError): void {
    this.state = { status: 'error', error };
    this.host.requestUpdate();
    this.callbacks.failed(error);
  }
}

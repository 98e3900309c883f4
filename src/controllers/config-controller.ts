import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { routePath } from '../lib/routes.js';
import { RampError } from '../lib/errors.js';
import { parseConfig } from '../lib/protocol.js';
import type { SessionClient } from '../lib/session-client.js';
import type { RampConfig } from '../types.js';

export type LoadState = { status: 'idle' } | { status: 'loading' } | { status: 'ready'; config: RampConfig } | { status: 'error'; error: RampError };

/** Loads the configuration from the session endpoint; aborts on disconnect. */
export class ConfigController implements ReactiveController {
  state: LoadState = { status: 'idle' };
  /** Settles when the current load has (or any load in flight: once it is ready, failed or aborted). */
  settled: Promise<void> = Promise.resolve();
  private abort?: AbortController;

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
    this.abort?.abort();
    if (this.state.status === 'loading') this.state = { status: 'idle' };
  }

  async load(): Promise<void> {
    this.abort?.abort();
    const client = this.client();
    if (!client) {
      this.fail(new RampError('config_missing', 'The session-url attribute is missing.', false));
      return;
    }
    const abort = (this.abort = new AbortController());
    this.state = { status: 'loading' };
    this.host.requestUpdate();
    // settles in `finally`: an abort rejects the request (the client's fetch and backoff both observe the signal)
    let settle = () => {};
    this.settled = new Promise((resolve) => (settle = resolve));
    try {
      const config = await client.get(routePath('config'), parseConfig, { signal: abort.signal });
      if (abort.signal.aborted) return;
      this.state = { status: 'ready', config };
      this.host.requestUpdate();
      this.callbacks.ready(config);
    } catch (error) {
      if (abort.signal.aborted) return;
      this.fail(RampError.from(error));
    } finally {
      settle();
    }
  }

  private fail(error: RampError): void {
    this.state = { status: 'error', error };
    this.host.requestUpdate();
    this.callbacks.failed(error);
  }
}

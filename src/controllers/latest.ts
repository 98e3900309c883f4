/**
 * The one async pattern the controllers share (in the spirit of `@lit/task`): one run at a time, a new run aborts the
 * one before, and only the newest run's outcome lands — never `loading` left behind by an abort, never an old answer
 * over a newer one. Each controller keeps its own state shape; this keeps the abort bookkeeping in one place.
 */
import { RampError } from '../lib/errors.js';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: RampError };

export class Latest {
  #abort?: AbortController;

  /** Runs `job` with a fresh signal, aborting the run before; resolves to its outcome, or `undefined` once it was superseded or cancelled. */
  async run<T>(job: (signal: AbortSignal) => Promise<T>): Promise<Outcome<T> | undefined> {
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    try {
      const value = await job(abort.signal);
      return abort.signal.aborted ? undefined : { ok: true, value };
    } catch (error) {
      return abort.signal.aborted ? undefined : { ok: false, error: RampError.from(error) };
    }
  }

  /** Aborts the run in flight, if any (its outcome will not land). */
  cancel(): void {
    this.#abort?.abort();
  }
}

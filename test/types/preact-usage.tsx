/** @jsxImportSource preact */
// Type-checked by `npm run typecheck` (never run): the Preact typings accept real usage and reject mistakes.
import type {} from '../../src/preact.js';

export const Sell = () => <cryptopocket-ramp session-url="/api/ramp-session" mode="offramp" onrampoff-created={(event) => console.log(event.detail.wallet)} />;

export const Mistakes = () => (
  <>
    {/* @ts-expect-error: mode is onramp or offramp */}
    <cryptopocket-ramp session-url="/s" mode="swap" />
    {/* @ts-expect-error: session-url is required */}
    <cryptopocket-ramp mode="onramp" />
  </>
);

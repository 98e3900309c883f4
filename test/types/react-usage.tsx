// Type-checked by `npm run typecheck` (never run): the React 19 typings accept real usage and reject mistakes.
import type {} from '../../src/react.js';

export function Checkout() {
  return (
    <cryptopocket-ramp
      session-url="/api/ramp-session"
      mode="offramp"
      theme="auto"
      onrampoff-created={(event) => console.log(event.detail.wallet, event.detail.amount)}
      onstatus-changed={(event) => console.log(event.detail.status, event.detail.previousStatus)}
      onramp-error={(event) => console.log(event.detail.code, event.detail.retryable)}
    />
  );
}

export function Mistakes() {
  return (
    <>
      {/* @ts-expect-error: mode is onramp or offramp */}
      <cryptopocket-ramp session-url="/s" mode="swap" />
      {/* @ts-expect-error: session-url is required */}
      <cryptopocket-ramp mode="onramp" />
      {/* @ts-expect-error: the detail of rampoff-created has no paymentUrl */}
      <cryptopocket-ramp session-url="/s" onrampoff-created={(event) => event.detail.paymentUrl} />
    </>
  );
}

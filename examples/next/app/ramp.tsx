'use client';
import { useState } from 'react';
import { CryptopocketRamp } from 'cryptopocket-ramp/react';
import type { Flow, RampConfig } from 'cryptopocket-ramp';

/**
 * The widget in a client component. It is server rendered and hydrated; the wrapper attaches the listeners in an
 * effect and replays a `ramp-ready` that fired before hydration, so none of these callbacks misses its event.
 */
export function Ramp() {
  const [config, setConfig] = useState<RampConfig>();
  const [mode, setMode] = useState<Flow>('onramp');
  const [status, setStatus] = useState('');
  return (
    <>
      <CryptopocketRamp
        sessionUrl="/api/ramp-session"
        mode={mode}
        onRampReady={(e) => setConfig(e.detail)}
        onModeChanged={(e) => setMode(e.detail.mode)}
        onStatusChanged={(e) => setStatus(`${e.detail.id}: ${e.detail.status}`)}
      />
      <p role="status">
        {config ? `Ready (${config.region})` : 'Loading…'} {status}
      </p>
    </>
  );
}

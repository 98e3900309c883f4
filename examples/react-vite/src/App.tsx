import { useRef, useState } from 'react';
import { CryptopocketRamp } from 'cryptopocket-ramp/react';
import type { CryptopocketRamp as RampElement, Flow, RampStatus } from 'cryptopocket-ramp';

/** A page with the widget: the app mirrors the mode the user picks, the operation and its status. */
export function App({ token }: { token?: string }) {
  const ramp = useRef<RampElement>(null);
  const [mode, setMode] = useState<Flow>('onramp');
  const [operation, setOperation] = useState<{ id: string; status?: RampStatus }>();
  const [problem, setProblem] = useState('');

  return (
    <main>
      <h1>Buy and sell crypto</h1>
      <CryptopocketRamp
        ref={ramp}
        sessionUrl="/api/ramp-session"
        mode={mode}
        token={token}
        strings={{ 'title.onramp': 'Top up your wallet' }}
        onModeChanged={(e) => setMode(e.detail.mode)}
        onRamponCreated={(e) => setOperation({ id: e.detail.id })}
        onRampoffCreated={(e) => setOperation({ id: e.detail.id })}
        onStatusChanged={(e) => setOperation({ id: e.detail.id, status: e.detail.status })}
        onRampError={(e) => setProblem(e.detail.message)}
      />
      <p role="status">
        {mode === 'onramp' ? 'Buying' : 'Selling'}
        {operation ? ` · ${operation.id}: ${operation.status ?? 'created'}` : ''}
      </p>
      {problem && <p role="alert">{problem}</p>}
      <button type="button" onClick={() => void ramp.current?.reload()}>
        Reload the widget
      </button>
    </main>
  );
}

/**
 * `import type {} from 'cryptopocket-ramp/react'` (React 19 with its types): types `<cryptopocket-ramp>` in TSX,
 * attributes and `on`-event props included (`onrampoff-created={(e) => e.detail.wallet}`).
 */
import type * as React from 'react';
import type { CryptopocketRamp } from './cryptopocket-ramp.js';
import type { CryptopocketRampProps } from './jsx.js';

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- JSX's element types live in this namespace; augmenting it needs one
  namespace JSX {
    interface IntrinsicElements {
      'cryptopocket-ramp': CryptopocketRampProps &
        Omit<React.HTMLAttributes<HTMLElement>, keyof CryptopocketRampProps> & { ref?: React.Ref<CryptopocketRamp>; class?: string };
    }
  }
}

export type { CryptopocketRampProps };

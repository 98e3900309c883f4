/**
 * `import type {} from 'cryptopocket-ramp/preact'`: types `<cryptopocket-ramp>` in Preact's JSX, attributes and
 * `on`-event props included (Preact, like React 19, listens to `on` + event name on custom elements).
 */
import type { JSX } from 'preact';
import type { CryptopocketRampProps } from './jsx.js';

declare module 'preact' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- JSX's element types live in this namespace; augmenting it needs one
  namespace JSX {
    interface IntrinsicElements {
      'cryptopocket-ramp': CryptopocketRampProps & Omit<JSX.HTMLAttributes<HTMLElement>, keyof CryptopocketRampProps>;
    }
  }
}

export type { CryptopocketRampProps, JSX };

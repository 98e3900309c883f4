/**
 * `import type {} from 'cryptopocket-ramp/svelte'` (e.g. in `src/app.d.ts`): types `<cryptopocket-ramp>` in Svelte 5
 * markup, attributes and `on` + event name attributes included (`onrampoff-created={…}`).
 */
import type { HTMLAttributes } from 'svelte/elements';
import type { CryptopocketRampProps } from './jsx.js';

declare module 'svelte/elements' {
  export interface SvelteHTMLElements {
    'cryptopocket-ramp': CryptopocketRampProps & Omit<HTMLAttributes<HTMLElement>, keyof CryptopocketRampProps>;
  }
}

export {};

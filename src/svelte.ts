/**
 * `import type {} from 'cryptopocket-ramp/svelte'` (e.g. in `src/app.d.ts`): types `<cryptopocket-ramp>` in Svelte 5
 * markup, attributes and `on` + event name attributes included (`onrampoff-created={…}`), and the property-only
 * `token` and `strings` (Svelte sets a name the element has as a property: `{token}`).
 */
import type { HTMLAttributes } from 'svelte/elements';
import type { Strings } from './i18n/en.js';
import type { CryptopocketRampProps } from './jsx.js';

type SvelteRampProps = CryptopocketRampProps & { token?: string | undefined; strings?: Partial<Strings> | undefined };

declare module 'svelte/elements' {
  export interface SvelteHTMLElements {
    'cryptopocket-ramp': SvelteRampProps & Omit<HTMLAttributes<HTMLElement>, keyof SvelteRampProps>;
  }
}

export {};

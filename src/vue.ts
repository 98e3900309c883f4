/**
 * `import type {} from 'cryptopocket-ramp/vue'`: types `<cryptopocket-ramp>` in Vue templates (vue-tsc / Volar),
 * attributes as props and each event as its `@event-name` listener. Tell Vue's compiler it is a custom element:
 * `compilerOptions.isCustomElement: (tag) => tag === 'cryptopocket-ramp'`.
 */
import type { DefineComponent } from 'vue';
import type { RampEventMap } from './events.js';
import type { CryptopocketRampAttributes } from './jsx.js';

/** `rampoff-created` → `RampoffCreated` */
type Pascal<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Capitalize<Head>}${Pascal<Tail>}` : Capitalize<S>;

/** Listeners as Vue types them: `@rampoff-created` is the `onRampoffCreated` prop. */
export type CryptopocketRampVueListeners = { [K in keyof RampEventMap as `on${Pascal<K>}`]?: (event: RampEventMap[K]) => void };

declare module 'vue' {
  interface GlobalComponents {
    'cryptopocket-ramp': DefineComponent<CryptopocketRampAttributes & CryptopocketRampVueListeners>;
  }
}

export {};

/**
 * `import type {} from 'cryptopocket-ramp/vue'`: types `<cryptopocket-ramp>` in Vue templates (vue-tsc / Volar),
 * attributes as props and each event as its `@event-name` listener. Tell Vue's compiler it is a custom element:
 * `compilerOptions.isCustomElement: (tag) => tag === 'cryptopocket-ramp'`.
 */
import type { DefineComponent } from 'vue';
import type { RampEventMap } from './events.js';
import type { Strings } from './i18n/en.js';
import type { CryptopocketRampAttributes, Pascal } from './jsx.js';

/** `session-url` → `sessionUrl` */
type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Pascal<Tail>}` : S;

/**
 * The attributes as Vue types a template's props: camelCased (`session-url="…"` is checked as `sessionUrl`), plus
 * the property-only `token` and `strings` (`:token="…"` sets the property).
 */
export type CryptopocketRampVueProps = { [K in keyof CryptopocketRampAttributes as Camel<K>]: CryptopocketRampAttributes[K] } & {
  token?: string;
  strings?: Partial<Strings>;
};

/** Listeners as Vue types them: `@rampoff-created` is the `onRampoffCreated` prop. */
export type CryptopocketRampVueListeners = { [K in keyof RampEventMap as `on${Pascal<K>}`]?: (event: RampEventMap[K]) => void };

declare module 'vue' {
  interface GlobalComponents {
    'cryptopocket-ramp': DefineComponent<CryptopocketRampVueProps & CryptopocketRampVueListeners>;
  }
}

export {};

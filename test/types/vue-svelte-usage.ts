// Type-checked by `npm run typecheck` (never run): the Vue and Svelte typings hold the element's props and events.
import type { GlobalComponents } from 'vue';
import type { SvelteHTMLElements } from 'svelte/elements';
import type {} from '../../src/vue.js';
import type {} from '../../src/svelte.js';

type VueProps = InstanceType<GlobalComponents['cryptopocket-ramp']>['$props'];
export const vueOk: VueProps = { sessionUrl: '/s', mode: 'offramp', token: 't', onRampoffCreated: (event) => console.log(event.detail.wallet) };
// @ts-expect-error: mode is onramp or offramp
export const vueBad: VueProps = { sessionUrl: '/s', mode: 'swap' };

type SvelteProps = SvelteHTMLElements['cryptopocket-ramp'];
export const svelteOk: SvelteProps = { 'session-url': '/s', theme: 'dark', 'onstatus-changed': (event) => console.log(event.detail.status) };
// @ts-expect-error: theme is light, dark or auto
export const svelteBad: SvelteProps = { 'session-url': '/s', theme: 'sepia' };

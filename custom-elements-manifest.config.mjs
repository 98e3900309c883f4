// Custom Elements Manifest: written to custom-elements.json by `npm run build` (cem analyze).
/**
 * Keeps the manifest to the public API: the attributes' properties and the documented methods and properties.
 * (Members the lazily loaded steps share with the element are public in TypeScript but not API.)
 */
import { readFileSync } from 'node:fs';

const PUBLIC_METHODS = ['reload', 'track', 'reset', 'depositSent', 'open'];
/** The attributes the class JSDoc documents with `@attr`: internal reactive state is not an attribute. */
const ATTRIBUTES = new Set([...readFileSync(new URL('./src/cryptopocket-ramp.ts', import.meta.url), 'utf8').matchAll(/@attr ([a-z-]+)/g)].map((m) => m[1]));
const PUBLIC_PROPERTIES = ['token', 'strings'];

function publicApiOnly() {
  return {
    name: 'public-api-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const decl of mod.declarations ?? []) {
          if (!decl.customElement) continue;
          decl.attributes = (decl.attributes ?? []).filter((a) => ATTRIBUTES.has(a.name));
          const fields = new Set([...decl.attributes.map((a) => a.fieldName), ...PUBLIC_PROPERTIES]);
          decl.events = (decl.events ?? []).filter((e) => /^[a-z]+(-[a-z]+)+$/.test(e.name ?? ''));
          decl.members = (decl.members ?? []).filter((m) => !m.static && (m.kind === 'method' ? PUBLIC_METHODS.includes(m.name) : fields.has(m.name)));
        }
      }
    },
  };
}

export default {
  globs: ['src/cryptopocket-ramp.ts', 'src/events.ts', 'src/index.ts', 'src/define.ts'],
  outdir: '.',
  litelement: true,
  plugins: [publicApiOnly()],
};

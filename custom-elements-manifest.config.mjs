// Custom Elements Manifest: written to custom-elements.json by `npm run build` (cem analyze).
/**
 * Keeps the manifest to the public API. The element's internals are private (`#name` or `private`), so the rule is
 * TypeScript's own: private, protected and static members are not API, nor is Lit's internal reactive state.
 */
function publicApiOnly() {
  return {
    name: 'public-api-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const decl of mod.declarations ?? []) {
          if (!decl.customElement) continue;
          const hidden = (m) => m.static || m.privacy === 'private' || m.privacy === 'protected' || m.name?.startsWith('#');
          decl.members = (decl.members ?? []).filter((m) => !hidden(m));
          const fields = new Set(decl.members.map((m) => m.name));
          decl.attributes = (decl.attributes ?? []).filter((a) => !a.fieldName || fields.has(a.fieldName));
          decl.events = (decl.events ?? []).filter((e) => /^[a-z]+(-[a-z]+)+$/.test(e.name ?? ''));
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

// Custom Elements Manifest: written to custom-elements.json by `npm run build` (cem analyze).
/** Keeps the manifest to the public API: internal reactive state is not an attribute, dispatches of variables are not events. */
function publicApiOnly() {
  return {
    name: 'public-api-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const decl of mod.declarations ?? []) {
          if (!decl.customElement) continue;
          const privateNames = new Set((decl.members ?? []).filter((m) => m.privacy === 'private' || m.privacy === 'protected').map((m) => m.name));
          decl.attributes = (decl.attributes ?? []).filter((a) => !privateNames.has(a.fieldName ?? a.name) && /^[a-z]+(-[a-z]+)*$/.test(a.name));
          decl.events = (decl.events ?? []).filter((e) => /^[a-z]+(-[a-z]+)+$/.test(e.name ?? ''));
          decl.members = (decl.members ?? []).filter((m) => m.privacy !== 'private' && m.privacy !== 'protected' && !m.static);
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

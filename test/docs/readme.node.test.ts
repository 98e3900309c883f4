import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';

/** The README's API tables and the Custom Elements Manifest (built by `npm run build`) must not drift apart. */
interface Declaration {
  customElement?: boolean;
  attributes?: { name: string }[];
  events?: { name: string }[];
  members?: { name: string; kind: string }[];
  cssParts?: { name: string }[];
  cssProperties?: { name: string }[];
}

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const manifestUrl = new URL('../../custom-elements.json', import.meta.url);

function section(title: string): string {
  const start = readme.indexOf(`### ${title}`);
  assert.ok(start >= 0, `README has no "### ${title}" section`);
  const end = readme.indexOf('\n#', start + 4);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The first-column `code` names of a README table. */
function tableNames(text: string): string[] {
  return [...text.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]!);
}

describe('README ↔ custom-elements.json', () => {
  assert.ok(existsSync(manifestUrl), 'run npm run build first: custom-elements.json is missing');
  const manifest = JSON.parse(readFileSync(manifestUrl, 'utf8')) as { modules: { declarations?: Declaration[] }[] };
  const element = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.customElement)!;

  it('documents every attribute, and no attribute that does not exist', () => {
    assert.deepEqual(
      tableNames(section('Attributes'))
        .filter((n) => !n.includes('('))
        .sort(),
      element.attributes!.map((a) => a.name).sort(),
    );
  });
  it('documents every event', () => {
    assert.deepEqual(tableNames(section('Events')).sort(), element.events!.map((e) => e.name).sort());
  });
  it('documents every CSS part and custom property', () => {
    const styling = section('Styling');
    for (const part of element.cssParts!) assert.ok(styling.includes(`\`${part.name}\``), `part ${part.name}`);
    for (const prop of element.cssProperties!) assert.ok(styling.includes(`\`${prop.name}\``), `custom property ${prop.name}`);
  });
  it('documents every public method and property that is no attribute', () => {
    const methods = section('Methods');
    for (const m of element.members!.filter((x) => x.kind === 'method')) assert.ok(methods.includes(`\`${m.name}(`), `method ${m.name}`);
    const attributes = new Set(element.attributes!.map((a) => (a as { fieldName?: string }).fieldName));
    for (const m of element.members!.filter((x) => x.kind === 'field' && !attributes.has(x.name))) {
      assert.ok(methods.includes(`\`${m.name}\``) || section('Attributes').includes(`\`${m.name}\``), `property ${m.name}`);
    }
  });
});

describe('README figures', () => {
  it('the sizes in Figures are this build’s, as scripts/figures.mjs measures them', async () => {
    // @ts-expect-error -- a plain script without types
    const { figuresTable } = (await import('../../scripts/figures.mjs')) as { figuresTable(): string };
    const block = /<!-- figures:start[^>]*-->\n([^]*?)\n<!-- figures:end -->/.exec(readme);
    assert.ok(block, 'README has no figures block');
    assert.equal(block[1], figuresTable(), 'run npm run figures');
  });
});

describe('README examples', () => {
  it('the one-file dev backend runs as written: the config answers and a sale is created', async () => {
    const start = readme.indexOf('<!-- readme:dev-backend');
    assert.ok(start >= 0, 'the dev backend example is marked');
    const code = /```js\n([^]*?)```/.exec(readme.slice(start))![1]!;
    // written inside the package, so `cryptopocket-ramp/server` resolves to the build as it would in an app
    const file = new URL('../../dist/readme-dev-backend.mjs', import.meta.url);
    writeFileSync(file, code);
    process.env.PORT = '0';
    const { handler, server, simulator } = (await import(file.href)) as {
      handler: (r: Request) => Promise<Response>;
      server: import('node:http').Server;
      simulator: { close(): void };
    };
    try {
      const config = await handler(new Request('http://localhost/api/ramp-session/config'));
      assert.equal(config.status, 200);
      assert.equal((await config.json()).kyc.status, 'valid');
      const created = await handler(
        new Request('http://localhost/api/ramp-session/offramp/operations', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': 'readme-dev-1' },
          body: JSON.stringify({ amount: '10', symbol: 'USDC', chain: 'polygon', fiat: 'EUR', iban: 'ES9121000418450200051332' }),
        }),
      );
      assert.equal(created.status, 201);
    } finally {
      (handler as unknown as { close(): void }).close();
      simulator.close();
      server.close();
      rmSync(file, { force: true });
    }
  });
});

describe('the installed package', () => {
  it('has a cryptopocket-ramp-simulator bin that serves the simulator (the built file, as npm links it)', async () => {
    const { spawn } = await import('node:child_process');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { bin: Record<string, string> };
    const bin = new URL(`../../${pkg.bin['cryptopocket-ramp-simulator']}`, import.meta.url);
    assert.ok(existsSync(bin), 'run npm run build first');
    assert.ok(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node'), 'the bin starts with its shebang');
    const port = String(20000 + Math.floor(Math.random() * 20000));
    const child = spawn(process.execPath, [bin.pathname], { env: { ...process.env, PORT: port }, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let printed = '';
      await new Promise<void>((resolve, reject) => {
        // its URL is the last line it prints, after its key, its webhook secret and its users
        child.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()).includes(`http://127.0.0.1:${port}\n`) && resolve());
        child.once('exit', (code) => reject(new Error(`the simulator exited (${code})`)));
        setTimeout(() => reject(new Error(`the simulator printed no URL:\n${printed}`)), 15_000).unref();
      });
      assert.match(printed, /API key \(auth header\) +sim-api-key/);
      assert.match(printed, /106 +EU +EUR +KYC valid +Ana García/);
      assert.ok(printed.trimEnd().endsWith(`http://127.0.0.1:${port}`), 'the URL comes last');
      const state = (await (await fetch(`http://127.0.0.1:${port}/_simulator/state`)).json()) as { payments: unknown[] };
      assert.ok(Array.isArray(state.payments));
    } finally {
      child.kill('SIGTERM');
    }
  });
});

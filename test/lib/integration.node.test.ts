import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { en as enCore } from '../../src/i18n/en.js';
import { enExtras } from '../../src/i18n/en-extras.js';
import { enSteps } from '../../src/i18n/en-steps.js';

const en = { ...enCore, ...enSteps, ...enExtras };
import { es } from '../../src/i18n/es.js';
import { ptBR } from '../../src/i18n/pt-BR.js';

describe('dictionaries', () => {
  for (const [name, dictionary] of Object.entries({ es, 'pt-BR': ptBR })) {
    it(`${name} has every English key, the same parameters, and nothing else`, () => {
      assert.deepEqual(Object.keys(dictionary).sort(), Object.keys(en).sort());
      for (const [key, english] of Object.entries(en)) {
        const params = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        assert.deepEqual(params((dictionary as Record<string, string>)[key]!), params(english), `${name} ${key}`);
      }
    });
  }
});

describe('server rendering', () => {
  it('importing the package in Node (as SSR frameworks do) does not touch the DOM or throw', async () => {
    assert.equal(typeof (globalThis as { document?: unknown }).document, 'undefined');
    const pkg = await import('../../src/index.js');
    assert.equal(typeof pkg.CryptopocketRamp, 'function');
    assert.equal(typeof pkg.RampErrorEvent, 'function');
  });
});

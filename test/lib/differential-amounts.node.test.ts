/**
 * Differential test: typed amounts against what Intl writes, decimal arithmetic against decimal.js, on generated
 * inputs (a fixed seed: the same cases every run) and published vectors. Each difference kept on purpose is listed
 * with its reason.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Decimal from 'decimal.js';
import { compareDecimal, divideDecimal, fromBaseUnits, multiplyDecimal, readAmount, toBaseUnits } from '../../src/lib/money.js';
import { generated, random } from '../support/random.js';

describe('amounts: what Intl writes reads back; decimal arithmetic agrees with decimal.js', () => {
  const locales = ['en', 'en-IN', 'de', 'de-CH', 'es', 'es-AR', 'fr', 'it', 'nl', 'pl', 'pt-BR', 'ru', 'sv', 'ar-EG', 'fa', 'hi-IN', 'bn', 'ja', 'zh'];

  it('every amount Intl formats for a locale reads back as itself, or as a question that offers it: never another number', () => {
    const rnd = random(1500);
    let cases = 0;
    let asked = 0;
    for (const locale of locales) {
      for (let n = 0; n < generated(400); n++) {
        const int = Math.floor(rnd() * 10 ** Math.floor(rnd() * 10));
        const frac =
          rnd() < 0.5
            ? ''
            : String(Math.floor(rnd() * 100))
                .padStart(2, '0')
                .replace(/0+$/, '');
        const exact = frac ? `${int}.${frac}` : String(int);
        const written = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(exact as unknown as number);
        const reading = readAmount(written, locale);
        if ('value' in reading) assert.equal(reading.value, exact, `${locale} ${written}`);
        else {
          // asked on purpose: Intl's own form that is also a plain number ("1.500" in German is 1500 or 1.5)
          assert.equal(reading.problem, 'ambiguous', `${locale} ${written}: ${reading.problem}`);
          assert.ok(reading.readings.includes(exact), `${locale} ${written}`);
          asked++;
        }
        cases++;
      }
    }
    console.log(`amounts: ${cases} Intl-formatted amounts in ${locales.length} locales, 0 misread, ${asked} asked (both readings apply)`);
  });

  it('the plain form (1234.56) reads as itself in every locale, unless it is also that locale’s grouping (then it asks)', () => {
    for (const locale of locales) {
      assert.equal((readAmount('0.5', locale) as { value?: string }).value, '0.5', locale);
      assert.equal((readAmount('1234.56', locale) as { value?: string }).value, '1234.56', locale);
      const reading = readAmount('0.500', locale);
      assert.ok('value' in reading ? reading.value === '0.5' : reading.problem === 'ambiguous', `${locale}: 0.500 is never 500`);
    }
  });

  it('base units, products, quotients and comparisons agree with decimal.js for 0–18 decimals (rounded down where rounded)', () => {
    const rnd = random(18);
    const decimal = (digits: number) => {
      const int = String(Math.floor(rnd() * 10 ** Math.floor(rnd() * 12)));
      const frac = Array.from({ length: Math.floor(rnd() * (digits + 1)) }, () => Math.floor(rnd() * 10)).join('');
      return frac ? `${int}.${frac}` : int;
    };
    Decimal.set({ precision: 80, rounding: Decimal.ROUND_DOWN });
    let cases = 0;
    for (let n = 0; n < generated(5000); n++) {
      const places = n % 19;
      const a = decimal(places);
      const b = decimal(places);
      assert.equal(toBaseUnits(a, places).toString(), new Decimal(a).times(new Decimal(10).pow(places)).toFixed(0), `${a} × 10^${places}`);
      assert.equal(fromBaseUnits(toBaseUnits(a, places), places), new Decimal(a).toFixed(), `${a} back from base units`);
      assert.equal(multiplyDecimal(a, b, places), new Decimal(a).times(b).toDecimalPlaces(places, Decimal.ROUND_DOWN).toFixed(), `${a} × ${b}`);
      if (!new Decimal(b).isZero())
        assert.equal(divideDecimal(a, b, places), new Decimal(a).div(b).toDecimalPlaces(places, Decimal.ROUND_DOWN).toFixed(), `${a} ÷ ${b}`);
      assert.equal(compareDecimal(a, b), new Decimal(a).comparedTo(b), `${a} ? ${b}`);
      cases++;
    }
    console.log(`decimal arithmetic: ${cases} cases over 0–18 decimals, 0 differences`);
  });
});

/**
 * Money without floats: amounts travel as decimal strings in major units ("150.50") and are
 * computed as BigInt base units. Formatting goes through `Intl.NumberFormat`, which takes
 * decimal strings exactly.
 */

import { nextTask } from './tasks.js';

const DECIMAL = /^\d+(\.\d+)?$/;

/** True for a plain non-negative decimal string such as `"0.5"` or `"1200"`. */
export function isDecimal(value: string): boolean {
  return DECIMAL.test(value);
}

/** Removes redundant zeros: `"0012.3400"` → `"12.34"`, `"5.000"` → `"5"`. */
export function normalizeDecimal(value: string): string {
  if (!isDecimal(value)) throw new RangeError(`not a decimal: ${value}`);
  let [int = '0', frac = ''] = value.split('.');
  int = int.replace(/^0+(?=\d)/, '');
  frac = frac.replace(/0+$/, '');
  return frac ? `${int}.${frac}` : int;
}

/** Decimal string → BigInt base units. Throws when `value` has more fraction digits than `decimals`. */
export function toBaseUnits(value: string, decimals: number): bigint {
  const [int = '0', frac = ''] = normalizeDecimal(value).split('.');
  if (frac.length > decimals) throw new RangeError(`more than ${decimals} decimals: ${value}`);
  return BigInt(int + frac.padEnd(decimals, '0'));
}

/** BigInt (or integer string) base units → decimal string: `("20000000000000000000", 18)` → `"20"`. */
export function fromBaseUnits(units: bigint | string, decimals: number): string {
  const big = typeof units === 'bigint' ? units : BigInt(units);
  const negative = big < 0n;
  const digits = (negative ? -big : big).toString().padStart(decimals + 1, '0');
  const int = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

/** Cents (integer) → decimal string: `15050` → `"150.5"`. */
export function centsToDecimal(cents: number | string | bigint): string {
  return fromBaseUnits(BigInt(cents), 2);
}

/** Compares two decimal strings: -1, 0 or 1. */
export function compareDecimal(a: string, b: string): number {
  const scale = Math.max(fractionDigits(a), fractionDigits(b));
  const x = toBaseUnits(a, scale);
  const y = toBaseUnits(b, scale);
  return x === y ? 0 : x < y ? -1 : 1;
}

/** Multiplies two decimal strings exactly and rounds down to `decimals` fraction digits. */
export function multiplyDecimal(a: string, b: string, decimals: number): string {
  const da = fractionDigits(a);
  const db = fractionDigits(b);
  const product = toBaseUnits(a, da) * toBaseUnits(b, db);
  const scale = da + db;
  const rounded = scale > decimals ? product / 10n ** BigInt(scale - decimals) : product * 10n ** BigInt(decimals - scale);
  return fromBaseUnits(rounded, decimals);
}

function fractionDigits(value: string): number {
  return normalizeDecimal(value).split('.')[1]?.length ?? 0;
}

/**
 * A JSON number from an upstream response → decimal string. `String(n)` gives the shortest
 * representation that round-trips, i.e. the literal the server sent for ordinary values.
 */
export function numberToDecimal(value: number): string {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`not an amount: ${value}`);
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // 1e-7 and the like: expand without floats
  const [mantissa = '0', exp = '0'] = text.toLowerCase().split('e');
  const [int = '0', frac = ''] = mantissa.split('.');
  const shift = Number(exp);
  const digits = int + frac;
  const point = int.length + shift;
  if (point <= 0) return normalizeDecimal(`0.${'0'.repeat(-point)}${digits}`);
  if (point >= digits.length) return normalizeDecimal(digits + '0'.repeat(point - digits.length));
  return normalizeDecimal(`${digits.slice(0, point)}.${digits.slice(point)}`);
}

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

const started = new Map<string, Promise<void>>();

/**
 * Starts ICU for the locale's number formats ahead of need. A page's first `Intl.NumberFormat` starts ICU, which takes
 * 30–50 ms in one call on a slow machine, and more while the page loads. Done in three tasks, each is about a third of
 * that: the locale's data (`Intl.Locale#maximize`), then ICU's list of locales, which number formats share with
 * collation (`Intl.Collator.supportedLocalesOf`), then the number format itself. The price controller awaits it when the
 * first price arrives and renders that price in a task of its own.
 */
export function startNumberFormat(locale: string): Promise<void> {
  let start = started.get(locale);
  if (!start) {
    start = (async () => {
      try {
        new Intl.Locale(locale).maximize();
        await nextTask();
        Intl.Collator.supportedLocalesOf(locale);
        await nextTask();
        numberFormat(locale, {});
      } catch {
        // an invalid locale is reported where it is used
      }
    })();
    started.set(locale, start);
  }
  return start;
}

// Intl.NumberFormat formats decimal strings exactly (ES2023); the lib typings lag behind.
type DecimalFormat = (value: string) => string;

/** Formats a fiat decimal string: `("1234.5", "EUR", "de")` → `"1.234,50 €"`. */
export function formatFiat(value: string, currency: string, locale: string): string {
  const format = numberFormat(locale, { style: 'currency', currency });
  return (format.format as unknown as DecimalFormat)(normalizeDecimal(value));
}

/** Stablecoins track a fiat currency: cents are what a reader needs. Other tokens keep six decimals on screen. */
const STABLE = /^(USD[CT]|EURC|DAI|BUSD|USDP|PYUSD|TUSD|FDUSD)$/;

/** How many decimals a token amount shows (rounded down) when it is an estimate or a record, not what the user must send. */
export function displayDigits(symbol: string): number {
  return STABLE.test(symbol) ? 2 : 6;
}

/**
 * Formats a token decimal string with its symbol: `("148.32", "USDC", "en")` → `"148.32 USDC"`. Rounded down to the
 * token's display decimals unless `maxDigits` asks for more (an amount the user must send exactly passes 18).
 */
export function formatToken(value: string, symbol: string, locale: string, maxDigits = displayDigits(symbol)): string {
  const format = numberFormat(locale, { maximumFractionDigits: maxDigits, roundingMode: 'trunc' });
  return `${(format.format as unknown as DecimalFormat)(normalizeDecimal(value))} ${symbol}`;
}

/**
 * Reads an amount typed by a user in `locale`: full-width digits are folded, grouping separators
 * accepted only in groups of three, the locale's decimal separator (and `.` when unambiguous)
 * accepted. Returns a normalised decimal string, or `null` for anything else (`1e309`, `NaN`, `-5`…).
 */
export function parseAmountInput(input: string, locale: string): string | null {
  if (input.length > 64) return null;
  const { group, decimal } = numberSymbols(locale);
  const text = foldAmount(input);
  if (!text) return null;
  const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const g = group === ' ' ? ' ' : escape(group);
  // no number format writes a leading group of 0: "0.500" is never five hundred
  const grouped = `[1-9]\\d{0,2}(?:${g}\\d{3})+`;
  // the locale's own form: 1,234.5 (en) or 1.234,5 (de, es); ".5" and "5." too
  const own = new RegExp(`^(\\d+|${grouped})?(?:${escape(decimal)}(\\d*))?$`).exec(text);
  if (own && (own[1] || own[2])) return normalizeDecimal(`${own[1]?.split(group).join('') || '0'}${own[2] ? `.${own[2]}` : ''}`);
  // a plain "1.5" is unambiguous where the decimal mark is a comma, unless it reads as a group of three
  if (decimal !== '.' && /^\d+\.\d+$/.test(text) && !/^[1-9]\d{0,2}\.\d{3}$/.test(text)) return normalizeDecimal(text);
  return null;
}

/** What is wrong with an amount `parseAmountInput` refused: a character that is no digit or separator, or the separators' places. */
export function amountInputProblem(input: string): 'chars' | 'separators' {
  return /[^\d\s.,'’]/.test(foldAmount(input)) ? 'chars' : 'separators';
}

/** The locale's grouping and decimal marks (a space stands for any space). */
export function numberSymbols(locale: string): { group: string; decimal: string } {
  const parts = numberFormat(locale, { useGrouping: true }).formatToParts(12345.6);
  return {
    group: (parts.find((p) => p.type === 'group')?.value ?? ',').replace(/[\s\u00a0\u202f]/g, ' '),
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
  };
}

function foldAmount(input: string): string {
  return input
    .normalize('NFKC')
    .trim()
    .replace(/[\s\u00a0\u202f]/g, ' ');
}

/** Divides two decimal strings exactly and rounds down to `decimals` fraction digits. */
export function divideDecimal(a: string, b: string, decimals: number): string {
  const scale = Math.max(fractionDigits(a), fractionDigits(b));
  const x = toBaseUnits(a, scale);
  const y = toBaseUnits(b, scale);
  if (y === 0n) throw new RangeError('division by zero');
  return fromBaseUnits((x * 10n ** BigInt(decimals)) / y, decimals);
}

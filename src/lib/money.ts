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
  const [whole, fraction = ''] = value.split('.') as [string, string?];
  const int = whole.replace(/^0+(?=\d)/, '');
  const frac = fraction.replace(/0+$/, '');
  return frac ? `${int}.${frac}` : int;
}

/** Decimal string → BigInt base units. Throws when `value` has more fraction digits than `decimals`. */
export function toBaseUnits(value: string, decimals: number): bigint {
  const [int, frac = ''] = normalizeDecimal(value).split('.') as [string, string?];
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
  return x > y ? 1 : x < y ? -1 : 0;
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
  // 1e-7 and the like: expand without floats. String() writes an exponent only below 1e-6, where the point comes before
  // the digits, and from 1e21, where it comes after them (at most 17 significant digits).
  const [mantissa, exp] = text.toLowerCase().split('e') as [string, string];
  const [int, frac = ''] = mantissa.split('.') as [string, string?];
  const digits = int + frac;
  const point = int.length + Number(exp);
  if (point <= 0) return normalizeDecimal(`0.${'0'.repeat(-point)}${digits}`);
  return normalizeDecimal(digits + '0'.repeat(point - digits.length));
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

/** What `readAmount` made of a typed amount: its value, or what is wrong with it (with the locale's marks, for the message). */
export type AmountReading =
  | { value: string }
  | { problem: 'chars' | 'separators'; decimal: string; group: string }
  | { problem: 'ambiguous'; decimal: string; group: string; readings: [string, string] };

interface NumberRules {
  group: string;
  decimal: string;
  /** The grouping regex for the integer part: `1,234,567` (3/3) or `12,34,567` (en-IN: 3, then 2). */
  grouped: RegExp;
  /** The locale's own ten digits (`٠١٢…` in ar-EG), folded to ASCII. */
  digits: string;
}

const rulesCache = new Map<string, NumberRules>();

/** The locale's number rules, read from what Intl writes for it (group and decimal marks, group sizes, digits). */
function numberRules(locale: string): NumberRules {
  let rules = rulesCache.get(locale);
  if (rules) return rules;
  const parts = numberFormat(locale, {}).formatToParts(1234567.5);
  const ints = parts.filter((p) => p.type === 'integer').map((p) => p.value.length);
  const group = (parts.find((p) => p.type === 'group')?.value ?? ',').replace(/[\s\u00a0\u202f]/g, ' ').replace('’', "'");
  const primary = ints.at(-1) ?? 3;
  const secondary = ints.length > 2 ? ints.at(-2)! : primary;
  const g = group.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // no number format writes a leading group of 0: "0.500" is never five hundred
  const grouped = new RegExp(`^[1-9]\\d{0,${secondary - 1}}(?:${g}\\d{${secondary}})*${g}\\d{${primary}}$`);
  const digits = numberFormat(locale, { useGrouping: false }).format(9876543210);
  rules = { group, decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.', grouped, digits };
  rulesCache.set(locale, rules);
  return rules;
}

/**
 * Reads an amount typed by a user in `locale`. Accepted: what Intl writes for the locale (its marks, its group sizes,
 * its digits; full-width digits too) and the plain `1234.56`; a leading or trailing decimal mark (`.5`, `5.`). When
 * both readings apply and differ ("1.500" in German: 1500 or 1.5), the answer is the question, never a guess.
 * Rejected: any other character (`1e309`, `-5`, `1²3`, `①⓪⓪`) and separators in other places.
 */
export function readAmount(input: string, locale: string): AmountReading {
  const { group, decimal, grouped, digits } = numberRules(locale);
  const text = input
    .trim()
    .replace(/[\s\u00a0\u202f]/g, ' ')
    .replace(/’/g, "'")
    .replace(/[\uff10-\uff19]/g, (d) => String(d.charCodeAt(0) - 0xff10))
    .replace(/./g, (c) => {
      const at = digits.indexOf(c);
      return at < 0 ? c : String((9 - at + 10) % 10);
    });
  const marks = { decimal, group };
  if (/[^\d.,' ٫٬]/.test(text) || input.length > 64) return { problem: 'chars', ...marks };
  const split = (value: string, mark: string): [string, string | undefined] => {
    const at = value.lastIndexOf(mark);
    return at < 0 ? [value, undefined] : [value.slice(0, at), value.slice(at + 1)];
  };
  const read = (int: string, frac: string | undefined) =>
    /^\d*$/.test(frac ?? '') && (int || frac) ? normalizeDecimal(`${int || '0'}.${frac || '0'}`) : undefined;
  // the locale's own form: its decimal mark, and the integer part plain or grouped as Intl groups it
  const [int, frac] = split(text, decimal);
  const own = /^\d*$/.test(int) || grouped.test(int) ? read(int.split(group).join(''), frac) : undefined;
  // the plain form: digits and a dot
  const plain = /^\d*\.?\d*$/.test(text) ? read(...split(text, '.')) : undefined;
  if (own && plain && own !== plain) return { problem: 'ambiguous', ...marks, readings: [plain, own] };
  const value = own ?? plain;
  return value ? { value } : { problem: 'separators', ...marks };
}

/** The value of an amount typed in `locale`, or `null` when `readAmount` finds a problem with it. */
export function parseAmountInput(input: string, locale: string): string | null {
  const reading = readAmount(input, locale);
  return 'value' in reading ? reading.value : null;
}

/** Divides two decimal strings exactly and rounds down to `decimals` fraction digits. */
export function divideDecimal(a: string, b: string, decimals: number): string {
  const scale = Math.max(fractionDigits(a), fractionDigits(b));
  const x = toBaseUnits(a, scale);
  const y = toBaseUnits(b, scale);
  if (y === 0n) throw new RangeError('division by zero');
  return fromBaseUnits((x * 10n ** BigInt(decimals)) / y, decimals);
}

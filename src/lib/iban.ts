/** IBAN validation (ISO 13616): country length and mod-97 checksum. Pure, no DOM. */

/** IBAN length per country (SWIFT IBAN registry). */
const LENGTHS: Record<string, number> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

/** Message keys a view translates. */
export type IbanError = 'iban.empty' | 'iban.chars' | 'iban.country' | 'iban.length' | 'iban.checksum';

/** Removes spaces and dashes and upper-cases: `"es91 2100-0418…"` → `"ES912100…"`. */
export function normalizeIban(input: string): string {
  // spaces, dashes and the invisible characters a copy from a web page or PDF may carry
  return input.replace(/[\s\u00a0\u200b-\u200d\u2060\ufeff-]/g, '').toUpperCase();
}

/** Validates an IBAN; returns `null` when valid, else a message key. */
export function validateIban(input: string): IbanError | null {
  const iban = normalizeIban(input);
  if (!iban) return 'iban.empty';
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return 'iban.chars';
  const expected = LENGTHS[iban.slice(0, 2)];
  if (!expected) return 'iban.country';
  if (iban.length !== expected) return 'iban.length';
  return mod97(iban.slice(4) + iban.slice(0, 4)) === 1 ? null : 'iban.checksum';
}

function mod97(text: string): number {
  let remainder = 0;
  for (const char of text) {
    const code = char.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : char; // A=10 … Z=35
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
}

/** Groups of four for display: `"ES9121000418450200051332"` → `"ES91 2100 0418 4502 0005 1332"`. */
export function formatIban(input: string): string {
  return normalizeIban(input).replace(/(.{4})(?=.)/g, '$1 ');
}

/** Masks all but the last four characters: `"ES91…1332"` → `"••••1332"`. */
export function maskIban(input: string): string {
  const iban = normalizeIban(input);
  return `••••${iban.slice(-4)}`;
}

/**
 * Countries in the SEPA schemes (EPC list: the EU and EEA, and Andorra, Gibraltar, Monaco, San Marino,
 * Switzerland, the United Kingdom and Vatican City, then Albania, Moldova, Montenegro, North Macedonia and
 * Serbia). A euro payout by SEPA transfer needs an IBAN from one of them.
 */
export const SEPA_COUNTRIES = new Set([
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
  'IS',
  'LI',
  'NO',
  'AD',
  'GI',
  'MC',
  'SM',
  'CH',
  'GB',
  'VA',
  'AL',
  'MD',
  'ME',
  'MK',
  'RS',
]);

export function isSepaIban(input: string): boolean {
  return SEPA_COUNTRIES.has(normalizeIban(input).slice(0, 2));
}

/**
 * IBANs as text: normalising, grouping, masking, and the SEPA countries. Light, and used everywhere; the check of an
 * IBAN against the registry (ibantools) is `iban-check.ts`, loaded only where a euro payout is entered.
 */

/** Message keys a view translates. */
export type IbanError = 'iban.empty' | 'iban.chars' | 'iban.country' | 'iban.length' | 'iban.format' | 'iban.national' | 'iban.checksum';

/** Removes spaces and dashes and upper-cases: `"es91 2100-0418…"` → `"ES912100…"`. */
export function normalizeIban(input: string): string {
  // spaces, dashes and the invisible characters a copy from a web page or PDF may carry
  return input.replace(/[\s\u00a0\u200b-\u200d\u2060\ufeff-]/g, '').toUpperCase();
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

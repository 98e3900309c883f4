/**
 * IBAN validation (ISO 13616) with ibantools, which follows the SWIFT IBAN registry: each country's length and BBAN
 * format (letters only where the country has them), the mod-97 check digits (02–98), and the national check digits of
 * the countries that have them (ES, FR, BE, PL, PT and more). It is the field's reference library; a table of our own
 * would repeat it and lag the registry. Pure, no DOM; loaded with the later steps in the browser.
 */
import { ValidationErrorsIBAN, validateIBAN } from 'ibantools';

/** Message keys a view translates. */
export type IbanError = 'iban.empty' | 'iban.chars' | 'iban.country' | 'iban.length' | 'iban.format' | 'iban.national' | 'iban.checksum';

/** Removes spaces and dashes and upper-cases: `"es91 2100-0418…"` → `"ES912100…"`. */
export function normalizeIban(input: string): string {
  // spaces, dashes and the invisible characters a copy from a web page or PDF may carry
  return input.replace(/[\s\u00a0\u200b-\u200d\u2060\ufeff-]/g, '').toUpperCase();
}

/** Validates an IBAN; returns `null` when valid, else a message key (the first problem a user can act on). */
export function validateIban(input: string): IbanError | null {
  const iban = normalizeIban(input);
  if (!iban) return 'iban.empty';
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return 'iban.chars';
  const errors = new Set(validateIBAN(iban).errorCodes);
  if (errors.has(ValidationErrorsIBAN.NoIBANCountry)) return 'iban.country';
  if (errors.has(ValidationErrorsIBAN.WrongBBANLength)) return 'iban.length';
  if (errors.has(ValidationErrorsIBAN.WrongBBANFormat)) return 'iban.format';
  // a typo usually breaks both check digits: the IBAN's own are named first, the bank's when only they disagree
  if (errors.has(ValidationErrorsIBAN.WrongIBANChecksum) || errors.has(ValidationErrorsIBAN.ChecksumNotNumber)) return 'iban.checksum';
  return errors.size ? 'iban.national' : null;
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

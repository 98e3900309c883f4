/**
 * IBAN validation (ISO 13616) with ibantools, which follows the SWIFT IBAN registry: each country's length and BBAN
 * format (letters only where the country has them), the mod-97 check digits (02–98), and the national check digits of
 * the countries that have them (ES, FR, BE, PL, PT and more). It is the field's reference library; a table of our own
 * would repeat it and lag the registry. Pure, no DOM; in the browser it loads only for a euro sale's payout step (buyers and LATAM sellers never fetch it).
 */
import { ValidationErrorsIBAN, validateIBAN } from 'ibantools';

import { type IbanError, normalizeIban } from './iban.js';

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

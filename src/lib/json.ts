/** JSON with exact amounts: decimal strings written as JSON number literals, never through a float. */

/**
 * JSON text with exact decimal amounts: values wrapped by `decimal()` are written as JSON number
 * literals straight from their decimal string, never through a float.
 */
export function jsonBody(value: Record<string, unknown>): string {
  const marker = '@@cp-decimal:';
  const text = JSON.stringify(value, (_key, v: unknown) => (v instanceof Decimal ? marker + v.value : v));
  return text.replace(new RegExp(`"${marker}(\\d+(?:\\.\\d+)?)"`, 'g'), '$1');
}

class Decimal {
  constructor(readonly value: string) {}
}

/** Marks a decimal string to be sent as a JSON number (see `jsonBody`). */
export function decimal(value: string): Decimal {
  if (!/^\d+(\.\d+)?$/.test(value)) throw new RangeError(`not a decimal: ${value}`);
  return new Decimal(value);
}

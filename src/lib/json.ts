/**
 * JSON text with exact decimal amounts: values wrapped by `decimal()` are written as JSON number
 * literals straight from their decimal string, never through a float. The text is built by walking the
 * value, so no string a user sends can turn into a number (there is no in-band marker to forge).
 */
export function jsonBody(value: Record<string, unknown>): string {
  return write(value) ?? 'null';
}

function write(value: unknown): string | undefined {
  if (value instanceof Decimal) return value.value;
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map((item) => write(item) ?? 'null').join(',')}]`;
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const text = write(item);
      if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value);
}

class Decimal {
  constructor(readonly value: string) {}
}

/** Marks a decimal string to be sent as a JSON number (see `jsonBody`). */
export function decimal(value: string): Decimal {
  if (!/^\d+(\.\d+)?$/.test(value)) throw new RangeError(`not a decimal: ${value}`);
  return new Decimal(value);
}

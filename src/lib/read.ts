/**
 * Defensive readers for JSON from the network: they accept the plausible shapes, ignore unknown
 * fields and never return `undefined`/`NaN` where a value is required (they throw `ShapeError`).
 */

export class ShapeError extends Error {
  override name = 'ShapeError';
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A plain object with no `__proto__`/`constructor`/`prototype` keys. */
export function asObject(value: unknown, what: string): JsonObject {
  if (!isObject(value)) throw new ShapeError(`${what}: expected an object`);
  for (const key of Object.keys(value)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw new ShapeError(`${what}: forbidden key ${key}`);
  }
  return value;
}

/** The first of `keys` that holds a non-empty string or a finite number, as a string. */
export function pickString(obj: JsonObject, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = obj[key];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return undefined;
}

export function requireString(obj: JsonObject, what: string, ...keys: string[]): string {
  const value = pickString(obj, ...keys);
  if (value === undefined) throw new ShapeError(`${what}: missing ${keys.join(' / ')}`);
  return value;
}

export function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(`${what}: expected a list`);
  return value;
}

export function asStringArray(value: unknown, what: string): string[] {
  return asArray(value, what).map((item) => {
    if (typeof item !== 'string' || !item) throw new ShapeError(`${what}: expected strings`);
    return item;
  });
}

/** A decimal string (`"12.50"`), or undefined when absent; throws on a malformed value. */
export function optionalDecimal(obj: JsonObject, what: string, key: string): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !/^\d+(\.\d+)?$/.test(value)) throw new ShapeError(`${what}: ${key} is not a decimal`);
  return value;
}

export function requireDecimal(obj: JsonObject, what: string, key: string): string {
  const value = optionalDecimal(obj, what, key);
  if (value === undefined) throw new ShapeError(`${what}: missing ${key}`);
  return value;
}

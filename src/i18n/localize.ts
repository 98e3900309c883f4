import { en, type StringKey, type Strings } from './en.js';

/** A translator for one locale: missing keys fall back to English, never to the key name. */
export function translator(overrides: Partial<Strings> = {}) {
  return (key: StringKey | (string & {}), params: Record<string, string | number> = {}): string => {
    const template = (overrides as Record<string, string | undefined>)[key] ?? (en as Record<string, string>)[key] ?? '';
    return template.replace(/\{(\w+)\}/g, (_m, name: string) => String(params[name] ?? ''));
  };
}

export type Translate = ReturnType<typeof translator>;

/** The locale for an element: its `locale`, else the nearest `[lang]`, else `<html lang>`, else `en`. */
export function resolveLocale(element: Element, locale?: string): string {
  const candidate = locale || element.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || 'en';
  try {
    return Intl.getCanonicalLocales(candidate)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

import { en, type StringKey, type Strings } from './en.js';

/** English texts known so far: the first screen's, and the later steps' once they are loaded. */
const english: Record<string, string> = { ...en };

/** Adds English texts (the later steps register theirs when they load). */
export function registerEnglish(more: Record<string, string>): void {
  Object.assign(english, more);
}

/** A translator: the host's overrides, then the locale's dictionary, then English — never a key name on screen. */
export function translator(dictionary: Partial<Strings> = {}, overrides: Partial<Strings> = {}) {
  return (key: StringKey | (string & {}), params: Record<string, string | number> = {}): string => {
    const template = (overrides as Record<string, string | undefined>)[key] ?? (dictionary as Record<string, string | undefined>)[key] ?? english[key] ?? '';
    return template.replace(/\{(\w+)\}/g, (_m, name: string) => String(params[name] ?? ''));
  };
}

export type Translate = ReturnType<typeof translator>;

/** The locale for an element: its `locale`, else the nearest `[lang]`, else `<html lang>`, else the browser's, else `en`. */
export function resolveLocale(element: Element, locale?: string): string {
  const candidate = locale || element.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || globalThis.navigator?.language || 'en';
  try {
    return Intl.getCanonicalLocales(candidate)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

/** The dictionary that serves a locale (`es-AR` → `es`), or `en` when there is none. */
export function dictionaryName(locale: string): 'en' | 'es' | 'pt-BR' {
  const lower = locale.toLowerCase();
  if (lower === 'es' || lower.startsWith('es-')) return 'es';
  if (lower === 'pt' || lower.startsWith('pt-')) return 'pt-BR';
  return 'en';
}

/** Loads a dictionary lazily: only the active one is fetched (English is built in). */
export async function loadDictionary(name: 'en' | 'es' | 'pt-BR'): Promise<Partial<Strings>> {
  if (name === 'es') return (await import('./es.js')).es;
  if (name === 'pt-BR') return (await import('./pt-BR.js')).ptBR;
  return {};
}

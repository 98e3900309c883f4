/** Where this tab keeps a flow's open operation (see `resume.ts`), and a cheap look whether anything is kept there. */
export const OPEN_PREFIX = 'cryptopocket-ramp:open:';

export function openStorage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined; // blocked storage (sandboxed iframes, privacy modes)
  }
}

/** Whether this tab keeps an open operation for `scope` (read before loading the steps that resume it). */
export function hasOpen(scope: string): boolean {
  try {
    return Boolean(openStorage()?.getItem(OPEN_PREFIX + scope));
  } catch {
    return false;
  }
}

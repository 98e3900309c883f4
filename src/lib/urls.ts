/** Which URLs the widget renders or emits: `https:` only, and `http:` on this machine (a developer's localhost). */
export function isSafeUrl(value: string | undefined): value is string {
  if (!value || value.length > 2048) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]');
}

/** HMAC-SHA256 over WebCrypto (Node ≥ 20, workers, browsers): used to sign and verify webhooks. */

const encoder = new TextEncoder();

/** HMAC-SHA256 of `message` (text as UTF-8, or the exact bytes) as lowercase hex. */
export async function hmacSha256Hex(secret: string, message: string | Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(
    await crypto.subtle.sign('HMAC', key, typeof message === 'string' ? encoder.encode(message) : (message as Uint8Array<ArrayBuffer>)),
  );
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Constant-time comparison of two strings of equal length; false for different lengths. */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export async function sha256Hex(message: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(message)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

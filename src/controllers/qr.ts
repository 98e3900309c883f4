/**
 * Draws QR codes on a canvas. This module loads lazily (with the deposit step), and the `qrcode` package lazily from
 * it: neither is in the first load.
 */
import { type Deposit, paymentRequest } from '../lib/payment-request.js';

function toHex(color: string, fallback: string): string {
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?\)/.exec(color);
  if (!m) return fallback;
  const alpha = m[4] === undefined ? 255 : Math.round(Number(m[4]) * 255);
  return `#${[m[1], m[2], m[3]].map((v) => Number(v).toString(16).padStart(2, '0')).join('')}${alpha.toString(16).padStart(2, '0')}`;
}

/** Colours come from CSS: the canvas's `color` and `background-color`. */
export async function drawQr(canvas: HTMLCanvasElement, text: string): Promise<void> {
  const qrcode = await import('qrcode');
  // CommonJS interop differs between bundlers: the functions sit on the namespace or on its default
  const toCanvas = qrcode.toCanvas ?? (qrcode as unknown as { default: typeof qrcode }).default.toCanvas;
  const style = getComputedStyle(canvas);
  await toCanvas(canvas, text, {
    width: canvas.width,
    margin: 2,
    errorCorrectionLevel: 'M',
    color: { dark: toHex(style.color, '#000000ff'), light: toHex(style.backgroundColor, '#ffffffff') },
  });
}

/** Draws the deposit's QR code (a payment request where one is certain, else the address); says what it holds. */
export async function drawDeposit(canvas: HTMLCanvasElement, deposit: Deposit): Promise<'request' | 'address'> {
  const { text, holds } = paymentRequest(deposit);
  await drawQr(canvas, text);
  canvas.dataset.drawn = text;
  return holds;
}

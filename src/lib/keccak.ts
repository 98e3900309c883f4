/** Keccak-256 (the pre-SHA-3 padding Ethereum uses), for EIP-55 address checksums. Pure, small, BigInt lanes. */

const MASK = (1n << 64n) - 1n;
const ROUND_CONSTANTS: bigint[] = [];
const ROTATIONS: number[] = [];

// derive the round constants and rotation offsets (FIPS 202 §3.2)
{
  let x = 1;
  let y = 0;
  for (let t = 0; t < 24; t++) {
    ROTATIONS[x + 5 * y] = (((t + 1) * (t + 2)) / 2) % 64;
    [x, y] = [y, (2 * x + 3 * y) % 5];
  }
  let r = 1;
  for (let round = 0; round < 24; round++) {
    let c = 0n;
    for (let j = 0; j < 7; j++) {
      if (r & 1) c |= 1n << BigInt((1 << j) - 1);
      r = r & 0x80 ? ((r << 1) ^ 0x71) & 0xff : (r << 1) & 0xff;
    }
    ROUND_CONSTANTS.push(c);
  }
}

const rotl = (v: bigint, n: number) => (n === 0 ? v : ((v << BigInt(n)) | (v >> BigInt(64 - n))) & MASK);

function permute(s: bigint[]): void {
  for (let round = 0; round < 24; round++) {
    const c = [0, 1, 2, 3, 4].map((x) => s[x]! ^ s[x + 5]! ^ s[x + 10]! ^ s[x + 15]! ^ s[x + 20]!);
    for (let x = 0; x < 5; x++) {
      const d = c[(x + 4) % 5]! ^ rotl(c[(x + 1) % 5]!, 1);
      for (let y = 0; y < 25; y += 5) s[x + y]! ^= d;
    }
    const b: bigint[] = new Array(25);
    for (let i = 0; i < 25; i++) {
      const x = i % 5;
      const y = Math.floor(i / 5);
      b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(s[i]!, ROTATIONS[i] ?? 0);
    }
    for (let i = 0; i < 25; i++) s[i] = b[i]! ^ (~b[(((i % 5) + 1) % 5) + 5 * Math.floor(i / 5)]! & MASK & b[(((i % 5) + 2) % 5) + 5 * Math.floor(i / 5)]!);
    s[0] = s[0]! ^ ROUND_CONSTANTS[round]!;
  }
}

/** Keccak-256 of the bytes, as lowercase hex. */
export function keccak256(bytes: Uint8Array): string {
  const rate = 136;
  const padded = new Uint8Array(Math.ceil((bytes.length + 1) / rate) * rate);
  padded.set(bytes);
  padded[bytes.length] = 0x01;
  padded[padded.length - 1]! |= 0x80;
  const s: bigint[] = new Array(25).fill(0n);
  for (let offset = 0; offset < padded.length; offset += rate) {
    for (let i = 0; i < rate / 8; i++) {
      let lane = 0n;
      for (let k = 7; k >= 0; k--) lane = (lane << 8n) | BigInt(padded[offset + i * 8 + k]!);
      s[i] = s[i]! ^ lane;
    }
    permute(s);
  }
  let hex = '';
  for (let i = 0; i < 4; i++)
    for (let k = 0; k < 8; k++)
      hex += Number((s[i]! >> BigInt(8 * k)) & 0xffn)
        .toString(16)
        .padStart(2, '0');
  return hex;
}

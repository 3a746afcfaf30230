// scrypt (RFC 7914), which WebCrypto lacks: PBKDF2-HMAC-SHA256 from WebCrypto around a
// hand-written ROMix with Salsa20/8.  Checked against Python's hashlib.scrypt in Chromium.
// Memory is 128 * N * r bytes (128 MiB for the keyring's N = 2^17, r = 8).

/** Salsa20/8 core of the 16 words t[0..16) in place (RFC 7914 section 3), with the rounds in locals. */
function salsa8(t) {
  let x0 = t[0], x1 = t[1], x2 = t[2], x3 = t[3], x4 = t[4], x5 = t[5], x6 = t[6], x7 = t[7];
  let x8 = t[8], x9 = t[9], x10 = t[10], x11 = t[11], x12 = t[12], x13 = t[13], x14 = t[14], x15 = t[15];
  let u;
  for (let i = 0; i < 8; i += 2) {
    u = x0 + x12; x4 ^= (u << 7) | (u >>> 25); u = x4 + x0; x8 ^= (u << 9) | (u >>> 23);
    u = x8 + x4; x12 ^= (u << 13) | (u >>> 19); u = x12 + x8; x0 ^= (u << 18) | (u >>> 14);
    u = x5 + x1; x9 ^= (u << 7) | (u >>> 25); u = x9 + x5; x13 ^= (u << 9) | (u >>> 23);
    u = x13 + x9; x1 ^= (u << 13) | (u >>> 19); u = x1 + x13; x5 ^= (u << 18) | (u >>> 14);
    u = x10 + x6; x14 ^= (u << 7) | (u >>> 25); u = x14 + x10; x2 ^= (u << 9) | (u >>> 23);
    u = x2 + x14; x6 ^= (u << 13) | (u >>> 19); u = x6 + x2; x10 ^= (u << 18) | (u >>> 14);
    u = x15 + x11; x3 ^= (u << 7) | (u >>> 25); u = x3 + x15; x7 ^= (u << 9) | (u >>> 23);
    u = x7 + x3; x11 ^= (u << 13) | (u >>> 19); u = x11 + x7; x15 ^= (u << 18) | (u >>> 14);
    u = x0 + x3; x1 ^= (u << 7) | (u >>> 25); u = x1 + x0; x2 ^= (u << 9) | (u >>> 23);
    u = x2 + x1; x3 ^= (u << 13) | (u >>> 19); u = x3 + x2; x0 ^= (u << 18) | (u >>> 14);
    u = x5 + x4; x6 ^= (u << 7) | (u >>> 25); u = x6 + x5; x7 ^= (u << 9) | (u >>> 23);
    u = x7 + x6; x4 ^= (u << 13) | (u >>> 19); u = x4 + x7; x5 ^= (u << 18) | (u >>> 14);
    u = x10 + x9; x11 ^= (u << 7) | (u >>> 25); u = x11 + x10; x8 ^= (u << 9) | (u >>> 23);
    u = x8 + x11; x9 ^= (u << 13) | (u >>> 19); u = x9 + x8; x10 ^= (u << 18) | (u >>> 14);
    u = x15 + x14; x12 ^= (u << 7) | (u >>> 25); u = x12 + x15; x13 ^= (u << 9) | (u >>> 23);
    u = x13 + x12; x14 ^= (u << 13) | (u >>> 19); u = x14 + x13; x15 ^= (u << 18) | (u >>> 14);
  }
  t[0] += x0; t[1] += x1; t[2] += x2; t[3] += x3; t[4] += x4; t[5] += x5; t[6] += x6; t[7] += x7;
  t[8] += x8; t[9] += x9; t[10] += x10; t[11] += x11; t[12] += x12; t[13] += x13; t[14] += x14; t[15] += x15;
}

/** BlockMix (RFC 7914 section 4) of the 32r words `b`, with `y` (32r words) and `t` (16) as scratch. */
function blockMix(b, y, t, r) {
  t.set(b.subarray((2 * r - 1) * 16, 2 * r * 16));
  for (let i = 0; i < 2 * r; i++) {
    const at = i * 16;
    for (let k = 0; k < 16; k++) t[k] ^= b[at + k];
    salsa8(t);
    y.set(t, ((i & 1) * r + (i >> 1)) * 16);   // even blocks first, then odd
  }
  b.set(y);
}

function romix(b, r, n, v, y, x) {   // x: 16 words of scratch
  const words = 32 * r;
  for (let i = 0; i < n; i++) {
    v.set(b, i * words);
    blockMix(b, y, x, r);
  }
  for (let i = 0; i < n; i++) {
    const j = b[(2 * r - 1) * 16] & (n - 1);
    const base = j * words;
    for (let k = 0; k < words; k++) b[k] ^= v[base + k];
    blockMix(b, y, x, r);
  }
}

async function pbkdf2(password, salt, bytes) {
  const key = await crypto.subtle.importKey("raw", password, "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations: 1 }, key, bytes * 8);
  return new Uint8Array(bits);
}

function toWords(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Uint32Array.from({ length: bytes.length / 4 }, (_, i) => view.getUint32(i * 4, true));
}

function toBytes(words) {
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w, true));
  return out;
}

/** scrypt(password, salt, N, r, p) -> `length` bytes.  N a power of two above 1. */
export async function scrypt(password, salt, n, r, p, length = 32) {
  if (n < 2 || n & (n - 1)) throw new RangeError("scrypt N must be a power of two");
  const b = await pbkdf2(password, salt, p * 128 * r);
  const v = new Uint32Array(32 * r * n);
  const y = new Uint32Array(32 * r);
  const x = new Uint32Array(16);
  for (let i = 0; i < p; i++) {
    const chunk = toWords(b.subarray(i * 128 * r, (i + 1) * 128 * r));
    romix(chunk, r, n, v, y, x);
    b.set(toBytes(chunk), i * 128 * r);
  }
  v.fill(0);
  const out = await pbkdf2(password, b, length);
  b.fill(0);
  return out;
}

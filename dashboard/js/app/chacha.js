// ChaCha20-Poly1305 AEAD (RFC 8439), which WebCrypto lacks; hand-written, used only to seal
// and open the 32-byte seed of a key file (so speed does not matter; Poly1305 uses BigInt).

import { concat } from "./bytes.js";

function quarter(s, a, b, c, d) {
  s[a] = (s[a] + s[b]) | 0; s[d] ^= s[a]; s[d] = (s[d] << 16) | (s[d] >>> 16);
  s[c] = (s[c] + s[d]) | 0; s[b] ^= s[c]; s[b] = (s[b] << 12) | (s[b] >>> 20);
  s[a] = (s[a] + s[b]) | 0; s[d] ^= s[a]; s[d] = (s[d] << 8) | (s[d] >>> 24);
  s[c] = (s[c] + s[d]) | 0; s[b] ^= s[c]; s[b] = (s[b] << 7) | (s[b] >>> 25);
}

function block(key, counter, nonce) {
  const kv = new DataView(key.buffer, key.byteOffset, 32);
  const nv = new DataView(nonce.buffer, nonce.byteOffset, 12);
  const init = new Uint32Array(16);
  init.set([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]);
  for (let i = 0; i < 8; i++) init[4 + i] = kv.getUint32(i * 4, true);
  init[12] = counter;
  for (let i = 0; i < 3; i++) init[13 + i] = nv.getUint32(i * 4, true);
  const s = init.slice();
  for (let i = 0; i < 10; i++) {
    quarter(s, 0, 4, 8, 12); quarter(s, 1, 5, 9, 13); quarter(s, 2, 6, 10, 14); quarter(s, 3, 7, 11, 15);
    quarter(s, 0, 5, 10, 15); quarter(s, 1, 6, 11, 12); quarter(s, 2, 7, 8, 13); quarter(s, 3, 4, 9, 14);
  }
  const out = new Uint8Array(64);
  const ov = new DataView(out.buffer);
  for (let i = 0; i < 16; i++) ov.setUint32(i * 4, (s[i] + init[i]) >>> 0, true);
  return out;
}

function xorStream(key, nonce, data) {
  const out = new Uint8Array(data.length);
  for (let at = 0; at < data.length; at += 64) {
    const ks = block(key, 1 + at / 64, nonce);
    for (let i = 0; i < 64 && at + i < data.length; i++) out[at + i] = data[at + i] ^ ks[i];
  }
  return out;
}

function leNumber(bytes) {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

function poly1305(oneTimeKey, message) {
  const p = (1n << 130n) - 5n;
  const r = leNumber(oneTimeKey.subarray(0, 16)) & 0x0ffffffc0ffffffc0ffffffc0fffffffn;
  const s = leNumber(oneTimeKey.subarray(16, 32));
  let acc = 0n;
  for (let at = 0; at < message.length; at += 16) {
    const chunk = message.subarray(at, at + 16);
    acc = ((acc + leNumber(chunk) + (1n << BigInt(8 * chunk.length))) * r) % p;
  }
  acc = (acc + s) & ((1n << 128n) - 1n);
  return Uint8Array.from({ length: 16 }, (_, i) => Number((acc >> BigInt(8 * i)) & 0xffn));
}

function pad16(n) {
  return new Uint8Array((16 - (n % 16)) % 16);
}

function lengths(aad, ct) {
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  view.setUint32(0, aad.length, true);
  view.setUint32(8, ct.length, true);
  return out;
}

function tag(key, nonce, aad, ct) {
  const otk = block(key, 0, nonce).subarray(0, 32);
  return poly1305(otk, concat(aad, pad16(aad.length), ct, pad16(ct.length), lengths(aad, ct)));
}

/** Encrypt: ciphertext || 16-byte tag. */
export function seal(key, nonce, plaintext, aad) {
  const ct = xorStream(key, nonce, plaintext);
  return concat(ct, tag(key, nonce, aad, ct));
}

/** Decrypt `sealed` (ciphertext || tag); null when the tag does not match. */
export function open(key, nonce, sealed, aad) {
  if (sealed.length < 16) return null;
  const ct = sealed.subarray(0, sealed.length - 16);
  const expected = tag(key, nonce, aad, ct);
  const given = sealed.subarray(sealed.length - 16);
  let diff = 0;
  for (let i = 0; i < 16; i++) diff |= expected[i] ^ given[i];
  return diff === 0 ? xorStream(key, nonce, ct) : null;
}

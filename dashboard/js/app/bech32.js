// bech32 (BIP-173) addresses: "samen1..." over the first 20 bytes of SHA-256(public key).

import { sha256 } from "./bytes.js";

const CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
export const PREFIX = "samen";

function polymod(values) {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GEN[i];
  }
  return chk >>> 0;
}

function expand(hrp) {
  const codes = Array.from(hrp, (c) => c.charCodeAt(0));
  return [...codes.map((c) => c >> 5), 0, ...codes.map((c) => c & 31)];
}

function convert(data, from, to, pad) {
  let acc = 0, bits = 0;
  const out = [];
  for (const v of data) {
    acc = (acc << from) | v;
    bits += from;
    while (bits >= to) { bits -= to; out.push((acc >> bits) & ((1 << to) - 1)); }
  }
  if (pad && bits) out.push((acc << (to - bits)) & ((1 << to) - 1));
  else if (!pad && (bits >= from || ((acc << (to - bits)) & ((1 << to) - 1)))) return null;
  return out;
}

/** bech32 string of `bytes` under `hrp`. */
export function encode(hrp, bytes) {
  const data = convert(bytes, 8, 5, true);
  const mod = polymod([...expand(hrp), ...data, 0, 0, 0, 0, 0, 0]) ^ 1;
  const check = [0, 1, 2, 3, 4, 5].map((i) => (mod >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...data, ...check].map((d) => CHARSET[d]).join("")}`;
}

/** The bytes of a valid bech32 string under `hrp`, or null. */
export function decode(hrp, text) {
  if (typeof text !== "string" || text !== text.toLowerCase() || !text.startsWith(`${hrp}1`)) return null;
  const data = Array.from(text.slice(hrp.length + 1), (c) => CHARSET.indexOf(c));
  if (data.length < 6 || data.includes(-1) || polymod([...expand(hrp), ...data]) !== 1) return null;
  const bytes = convert(data.slice(0, -6), 5, 8, false);
  return bytes ? Uint8Array.from(bytes) : null;
}

/** The samen address of an ed25519 public key. */
export async function addressOf(publicKey) {
  return encode(PREFIX, (await sha256(publicKey)).slice(0, 20));
}

/** Whether `text` is a samen address (20 bytes, valid checksum). */
export function isAddress(text) {
  const bytes = decode(PREFIX, text);
  return bytes !== null && bytes.length === 20;
}

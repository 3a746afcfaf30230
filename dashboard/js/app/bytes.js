// Byte helpers shared by the page's encoder, signer and key files.

const ENCODER = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8(text) {
  return ENCODER.encode(text);
}

/** Lowercase hex of bytes. */
export function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Bytes of a hex string (even length, 0-9a-f); throws TypeError otherwise. */
export function fromHex(text) {
  if (typeof text !== "string" || text.length % 2 || /[^0-9a-fA-F]/.test(text)) {
    throw new TypeError(`not a hex string: ${String(text).slice(0, 20)}`);
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.substr(i * 2, 2), 16);
  return out;
}

/** Bytes from a Uint8Array (as is) or a hex string. */
export function asBytes(value) {
  return value instanceof Uint8Array ? value : fromHex(value ?? "");
}

/** One Uint8Array of several. */
export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** SHA-256 of bytes (WebCrypto). */
export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

/** Standard base64 <-> bytes, and base64url (JWK) to bytes. */
export function toBase64(bytes) {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function fromBase64(text) {
  const s = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** Overwrite secret bytes once they are no longer needed. */
export function wipe(bytes) {
  if (bytes instanceof Uint8Array) bytes.fill(0);
}

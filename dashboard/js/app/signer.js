// Ed25519 signing with WebCrypto: a seed is imported once into a NON-extractable key that
// can sign and nothing else; the seed bytes are wiped by the caller after import.

import { addressOf } from "./bech32.js";
import { concat, fromBase64, fromHex, toHex, wipe } from "./bytes.js";
import { encodeBody, encodeTx, signBytes, txHash } from "./wire.js";

const ED25519 = { name: "Ed25519" };
const PKCS8_PREFIX = fromHex("302e020100300506032b657004220420");   // RFC 8410 wrapping of a 32-byte seed

/** A signer {key (non-extractable CryptoKey), publicKey, address} from a 32-byte seed. */
export async function signerFromSeed(seed) {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) throw new TypeError("a seed is 32 bytes");
  const pkcs8 = concat(PKCS8_PREFIX, seed);
  let jwk;
  try {
    const temporary = await crypto.subtle.importKey("pkcs8", pkcs8, ED25519, true, ["sign"]);
    jwk = await crypto.subtle.exportKey("jwk", temporary);   // gives the public key (x) too
  } finally {
    wipe(pkcs8);
  }
  const key = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", d: jwk.d, x: jwk.x }, ED25519,
    false, ["sign"]);
  jwk.d = "";
  const publicKey = fromBase64(jwk.x);
  return { key, publicKey, address: await addressOf(publicKey) };
}

/** 32 fresh random bytes: the seed of a new key. */
export function newSeed() {
  return crypto.getRandomValues(new Uint8Array(32));
}

/** Sign `data` with a signer's key. */
export async function sign(signer, data) {
  return new Uint8Array(await crypto.subtle.sign(ED25519, signer.key, data));
}

/**
 * Build and sign a transaction: {chainId, sequence, fee, feePayer, action} ->
 * {body, signature, tx, hash, hashHex} (bytes as Uint8Array).
 */
export async function signTx(signer, { chainId, sequence, fee = 0, feePayer = "", action }) {
  const body = encodeBody({ chain_id: chainId, public_key: signer.publicKey, sequence, fee, fee_payer: feePayer,
    action });
  const signature = await sign(signer, signBytes(body));
  const tx = encodeTx(body, signature);
  const hash = await txHash(tx);
  return { body, signature, tx, hash, hashHex: toHex(hash) };
}

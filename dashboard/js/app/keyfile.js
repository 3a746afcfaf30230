// Key documents in the `samen keys export` format ("samen-key/1", abci_app/tools/client/keyring.py):
// the 32-byte seed sealed with ChaCha20-Poly1305 under a scrypt key of the passphrase, the
// key's name and address bound as associated data.  The same bounds as the CLI are checked
// before any work, so a crafted file cannot make the page spend unbounded memory.

import { open, seal } from "./chacha.js";
import { fromHex, toHex, utf8, wipe } from "./bytes.js";
import { scrypt } from "./scrypt.js";
import { signerFromSeed } from "./signer.js";

export const FORMAT = "samen-key/1";
export const SCRYPT = { n: 1 << 17, r: 8, p: 1 };
export const MIN_PASSPHRASE = 8;
export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const TEST_KEY_NOTE = "UNENCRYPTED TEST KEY: for development chains only, never hold real value with it";

/** A key document problem, said in one line for the member. */
export class KeyFileError extends Error {}

function aad(name, address) {
  return utf8(`${FORMAT}\u0000${name}\u0000${address}`);
}

/** Check a key name as the CLI does. */
export function checkName(name) {
  if (typeof name !== "string" || !NAME_RE.test(name)) {
    throw new KeyFileError("Use 1-64 letters, digits, '_', '.' or '-' for the key name, starting with a letter or digit.");
  }
  return name;
}

/**
 * The key document of `seed` under `name`: encrypted with `passphrase`, or (passphrase null)
 * an unencrypted test key.  `params` overrides the scrypt cost (tests only).
 */
export async function sealSeed(name, seed, passphrase, params = SCRYPT) {
  checkName(name);
  const signer = await signerFromSeed(seed.slice());
  const doc = { format: FORMAT, name, address: signer.address, public_key: toHex(signer.publicKey) };
  if (passphrase === null) return { ...doc, protection: "unencrypted", note: TEST_KEY_NOTE, seed: toHex(seed) };
  if (typeof passphrase !== "string" || passphrase.length < MIN_PASSPHRASE) {
    throw new KeyFileError(`Use a passphrase of at least ${MIN_PASSPHRASE} characters.`);
  }
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const nonce = crypto.getRandomValues(new Uint8Array(12));
  const key = await scrypt(utf8(passphrase), salt, params.n, params.r, params.p);
  const sealed = seal(key, nonce, seed, aad(name, signer.address));
  wipe(key);
  return { ...doc, protection: "encrypted",
    kdf: { name: "scrypt", n: params.n, r: params.r, p: params.p, salt: toHex(salt) },
    cipher: { name: "chacha20-poly1305", nonce: toHex(nonce), ciphertext: toHex(sealed) } };
}

function checkKdf(kdf) {
  const { n, r, p } = kdf;
  const ints = [n, r, p].every(Number.isInteger);
  if (!ints || n & (n - 1) || n < 1 << 14 || n > 1 << 20 || r < 1 || r > 32 || p < 1 || p > 16 ||
      128 * n * r > 2 ** 30) {
    throw new KeyFileError("This key file asks for unsupported scrypt parameters.");
  }
}

/** The 32-byte seed inside a key document; KeyFileError on a wrong passphrase or a damaged file. */
export async function openSeed(doc, passphrase) {
  if (!doc || doc.format !== FORMAT) throw new KeyFileError(`This is not a ${FORMAT} key file.`);
  let seed;
  try {
    if (doc.protection === "unencrypted") seed = fromHex(doc.seed);
    else if (doc.protection === "encrypted") seed = await decrypt(doc, passphrase);
    else throw new KeyFileError("This key file uses an unknown protection.");
  } catch (err) {
    if (err instanceof KeyFileError) throw err;
    throw new KeyFileError("This key file is damaged.");
  }
  const signer = await signerFromSeed(seed.slice());
  if (seed.length !== 32 || signer.address !== doc.address) {
    throw new KeyFileError("This key file is damaged: the key does not match its address.");
  }
  return seed;
}

async function decrypt(doc, passphrase) {
  if (typeof passphrase !== "string" || !passphrase) throw new KeyFileError("This key is encrypted: enter its passphrase.");
  const { kdf, cipher } = doc;
  if (kdf.name !== "scrypt" || cipher.name !== "chacha20-poly1305") throw new KeyFileError("Unsupported key encryption.");
  checkKdf(kdf);
  const salt = fromHex(kdf.salt), nonce = fromHex(cipher.nonce), sealed = fromHex(cipher.ciphertext);
  if (salt.length < 16 || salt.length > 64 || nonce.length !== 12 || sealed.length !== 48) {
    throw new KeyFileError("This key file is damaged.");
  }
  const key = await scrypt(utf8(passphrase), salt, kdf.n, kdf.r, kdf.p);
  const seed = open(key, nonce, sealed, aad(doc.name, doc.address));
  wipe(key);
  if (!seed) throw new KeyFileError(`Wrong passphrase for key "${doc.name}".`);
  return seed;
}

function sortedKeys(value) {
  if (Array.isArray(value) || value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedKeys(value[k])]));
}

/** The text of a key document as `samen keys export` writes it (sorted keys, two-space indent). */
export function documentText(doc) {
  return `${JSON.stringify(sortedKeys(doc), null, 2)}\n`;
}

/** A key document parsed from text; KeyFileError if it is not one. */
export function parseDocument(text) {
  let doc;
  try { doc = JSON.parse(text); } catch { throw new KeyFileError("This file is not a key file (not JSON)."); }
  if (!doc || typeof doc !== "object" || doc.format !== FORMAT) throw new KeyFileError(`This is not a ${FORMAT} key file.`);
  return doc;
}

// The samen:smt proof check of docs/proofs.md section 3, in the page (the Python twin is
// abci_app/chain/state/proofs.py).  verifyProof(root, key, value, proof) resolves when the
// proof shows `value` stored under `key` (value null: `key` absent) in the tree whose root
// hash is `root`, and rejects with an Error saying which check failed otherwise.

import { concat, sha256 } from "./bytes.js";

const VERSION = 1;
const MAX_DEPTH = 64;
const EMPTY_ROOT = new Uint8Array(32);

const nibble = (kh, d) => (d % 2 ? kh[d >> 1] & 0x0f : kh[d >> 1] >> 4);
const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Parse the proof bytes: {terminal, leafKeyHash, leafValueHash, levels: [{bitmap, hashes}]}. */
export function parseProof(bytes) {
  let at = 0;
  const take = (n) => {
    if (at + n > bytes.length) throw new Error("the proof is truncated");
    const out = bytes.slice(at, at + n);
    at += n;
    return out;
  };
  const [version, depth, terminal] = take(3);
  if (version !== VERSION) throw new Error(`unknown proof version ${version}`);
  if (depth > MAX_DEPTH) throw new Error(`proof depth ${depth} is above ${MAX_DEPTH}`);
  if (terminal !== 0 && terminal !== 1) throw new Error(`unknown terminal kind ${terminal}`);
  const proof = { terminal, levels: [] };
  if (terminal === 1) { proof.leafKeyHash = take(32); proof.leafValueHash = take(32); }
  for (let d = 0; d < depth; d++) {
    const [hi, lo] = take(2);
    const bitmap = (hi << 8) | lo;
    const hashes = [];
    for (let slot = 0; slot < 16; slot++) if (bitmap & (1 << slot)) hashes.push(take(32));
    proof.levels.push({ bitmap, hashes });
  }
  if (at !== bytes.length) throw new Error("the proof has trailing bytes");
  return proof;
}

async function internalHash(bitmap, children) {
  return sha256(concat(Uint8Array.of(1, bitmap >> 8, bitmap & 0xff), ...children));
}

/** Check a proof; resolves true, or rejects naming the failed check. */
export async function verifyProof(root, key, value, proofBytes) {
  const proof = parseProof(proofBytes);
  const kh = await sha256(key);
  if (value !== null) {
    if (proof.terminal !== 1 || !same(proof.leafKeyHash, kh)) throw new Error("the proof does not end at the key's leaf");
    if (!same(proof.leafValueHash, await sha256(value))) throw new Error("the value is not the one the proof commits to");
  } else if (proof.terminal === 1 && same(proof.leafKeyHash, kh)) {
    throw new Error("the key is present, but the answer says absent");
  }
  let cur = null;
  if (proof.terminal === 1) {
    for (let d = 0; d < proof.levels.length; d++) {
      if (nibble(proof.leafKeyHash, d) !== nibble(kh, d)) throw new Error("the proof's leaf is not on the key's path");
    }
    cur = await sha256(concat(Uint8Array.of(0), proof.leafKeyHash, proof.leafValueHash));
  }
  for (let d = proof.levels.length - 1; d >= 0; d--) {
    const { bitmap, hashes } = proof.levels[d];
    const n = nibble(kh, d);
    if (bitmap & (1 << n)) throw new Error("the proof lists a sibling in the key's own slot");
    const slots = [];
    let i = 0;
    for (let slot = 0; slot < 16; slot++) {
      if (bitmap & (1 << slot)) slots.push([slot, hashes[i++]]);
      else if (slot === n && cur) slots.push([slot, cur]);
    }
    if (!slots.length) throw new Error("the proof has an empty internal node");
    const full = slots.reduce((b, [slot]) => b | (1 << slot), 0);
    cur = await internalHash(full, slots.map(([, child]) => child));
  }
  if (!same(cur || EMPTY_ROOT, root)) throw new Error("the proof does not lead to the signed app hash");
  return true;
}

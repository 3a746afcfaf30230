// Verified reads: the page checks a state value against what the validators signed, with the
// rule of `samen query … --verify` (docs/proofs.md section 4), trusting no server:
//   1. lightBlock (newest signed header T, its commit, its validator set) through GraphQL;
//   2. every reported validator's address is its key's; the set hashes to header.validatorsHash;
//   3. the header hashes to the block id the commit signs, for the trusted chain;
//   4. Ed25519 signatures (WebCrypto) over the canonical precommit sign bytes from more than
//      2/3 of the set's power, and more than 2/3 of the TRUSTED set's power (below);
//   5. the samen:smt proof of the key's value (stateProof at T-1) under header.appHash.
// Trust: this browser pins the first validator set it verified (trust on first use, per origin,
// kept in localStorage with the chain id); a later set is accepted when more than 2/3 of the
// pinned power signed it too, and then becomes the pin.  A set that changed more than that
// cannot be followed here: the error says so (samen query … --verify follows any change).

import { query } from "../gql.js";
import { fromBase64, fromHex, toHex, utf8 } from "./bytes.js";
import { addressOfKey, headerHash, validatorSetHash, voteSignBytes } from "./cometbft.js";
import { verifyProof } from "./smt.js";

const TRUST = "samen.trustedValidators";
const FLAG_COMMIT = 2;
const ED25519 = { name: "Ed25519" };

export class VerifyError extends Error {}

const LIGHT_BLOCK = `{ lightBlock { height header { versionBlock versionApp chainId height time
  lastBlockId { hash partsTotal partsHash } lastCommitHash dataHash validatorsHash nextValidatorsHash
  consensusHash appHash lastResultsHash evidenceHash proposerAddress }
  commit { height round blockId { hash partsTotal partsHash } signatures { blockIdFlag validatorAddress timestamp signature } }
  validators { address pubKey votingPower } } }`;

const eqHex = (a, b) => String(a).toUpperCase() === String(b).toUpperCase();

/** The pinned validator set {chainId, hash, validators, height}, or null. */
export function trusted() {
  try { return JSON.parse(localStorage.getItem(TRUST) || "null"); } catch { return null; }
}

/** Forget the pinned set: the next verification trusts the set it then sees. */
export function forgetTrust() { localStorage.removeItem(TRUST); }

async function checkValidators(lb) {
  for (const v of lb.validators) {
    if (!eqHex(toHex(await addressOfKey(v.pubKey)), v.address)) throw new VerifyError(`validator ${v.address} is not its key's address`);
  }
  const hash = toHex(await validatorSetHash(lb.validators));
  if (!eqHex(hash, lb.header.validatorsHash)) throw new VerifyError(`the validator set does not match the header's validators hash`);
  return hash;
}

/** Power of `validators` whose commit signature verifies; a bad signature from one of them throws. */
export async function signedPower(chainId, commit, validators, cache = new Map()) {
  const byAddress = new Map(validators.map((v) => [v.address.toUpperCase(), v]));
  let power = 0;
  for (const sig of commit.signatures) {
    const v = byAddress.get(sig.validatorAddress.toUpperCase());
    if (sig.blockIdFlag !== FLAG_COMMIT || !v) continue;
    byAddress.delete(sig.validatorAddress.toUpperCase());      // count each validator once
    const id = `${v.pubKey}/${sig.signature}/${sig.timestamp}`;
    if (!cache.has(id)) {
      const key = await crypto.subtle.importKey("raw", fromBase64(v.pubKey), ED25519, false, ["verify"]);
      cache.set(id, await crypto.subtle.verify(ED25519, key, fromBase64(sig.signature || ""),
        voteSignBytes(chainId, commit, sig.timestamp)));
    }
    if (!cache.get(id)) throw new VerifyError(`the commit signature of validator ${v.address} is invalid`);
    power += v.votingPower;
  }
  return power;
}

const total = (validators) => validators.reduce((s, v) => s + v.votingPower, 0);
const twoThirds = (power, all) => all > 0 && 3 * power > 2 * all;

/** Check a light block against the pin; returns {appHash, height, signed, total, count, setHash, trustedSince}. */
export async function checkLightBlock(lb, pin = trusted()) {
  const { header, commit } = lb;
  if (pin && header.chainId !== pin.chainId) throw new VerifyError(`the header is for chain ${header.chainId}, this browser trusts ${pin.chainId}`);
  if (header.height !== commit.height) throw new VerifyError("the commit is for another height than the header");
  if (!eqHex(toHex(await headerHash(header)), commit.blockId.hash)) throw new VerifyError("the header's hash is not the block id the validators signed (altered header)");
  const setHash = await checkValidators(lb);
  const sigs = new Map();
  const signed = await signedPower(header.chainId, commit, lb.validators, sigs);
  const all = total(lb.validators);
  if (!twoThirds(signed, all)) throw new VerifyError(`validators with ${signed} of ${all} voting power signed: more than 2/3 is needed`);
  if (pin && !eqHex(pin.hash, setHash)) {
    const old = await signedPower(header.chainId, commit, pin.validators, sigs);
    if (!twoThirds(old, total(pin.validators))) {
      throw new VerifyError(`the validators changed since block ${pin.height} more than this browser can follow ` +
        "(use samen query … --verify, or trust the current set)");
    }
  }
  return { appHash: fromHex(header.appHash), height: header.height, signed, total: all, setHash,
    count: lb.validators.length, trustedSince: pin && eqHex(pin.hash, setHash) ? pin.height : header.height };
}

function pin(lb, checked) {
  const old = trusted();
  if (old && eqHex(old.hash, checked.setHash)) return;
  localStorage.setItem(TRUST, JSON.stringify({ chainId: lb.header.chainId, hash: checked.setHash,
    height: lb.height, validators: lb.validators.map(({ address, pubKey, votingPower }) => ({ address, pubKey, votingPower })) }));
}

/**
 * Read `key` (bytes) verified: resolves {height, value (bytes or null), extra, checked} where
 * `extra` is what `alsoAsk` (GraphQL fields, run at the same height) answered; rejects with a
 * VerifyError (or a network error) saying what failed.
 */
export async function verifiedRead(key, alsoAsk = "") {
  const { lightBlock: lb } = await query(LIGHT_BLOCK);
  if (!lb || lb.height < 2) throw new VerifyError("no signed header is available yet");
  const checked = await checkLightBlock(lb);
  const at = lb.height - 1;
  const data = await query(`query($k: String!, $h: Int!) { stateProof(key: $k, block: {number: $h}) { height key value proof }
    ${alsoAsk} }`, { k: toHex(key), h: at });
  const p = data.stateProof;
  if (p.height !== at || !eqHex(p.key, toHex(key))) throw new VerifyError("the proof is for another key or height than asked");
  const value = p.value === null ? null : fromBase64(p.value);
  try {
    await verifyProof(checked.appHash, key, value, fromBase64(p.proof));
  } catch (err) {
    throw new VerifyError(`state proof: ${err.message}`);
  }
  pin(lb, checked);
  return { height: at, value, extra: data, checked };
}

/** The state keys of an account and of an agreement (keys.py of accounts and agreements in abci_app/chain/domain). */
export const accountKey = (address) => utf8(`acc/${address}`);
export const agreementKey = (id) => utf8(`agr/a/${BigInt(id).toString(16).padStart(16, "0")}`);

/** A stored value's canonical JSON with integers as BigInt (amounts reach 2^63 - 1). */
export function readJson(bytes) {
  return JSON.parse(new TextDecoder().decode(bytes), (k, v, ctx) => (typeof v === "number" ? BigInt(ctx.source) : v));
}

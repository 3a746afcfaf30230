// CometBFT v0.38 hashing and signing rules a light client needs, as the page's verifier uses
// them (the Python twin is abci_app/tools/client/cometbft_types.py; docs/proofs.md section 4):
//   headerHash(header)      Header.Hash: RFC 6962 Merkle root of the 14 encoded header fields
//   voteSignBytes(...)      VoteSignBytes of a precommit: length-delimited CanonicalVote
//   validatorSetHash(vals)  ValidatorSet.Hash: Merkle root of SimpleValidator encodings in set order
// Objects have the GraphQL shape (lightBlock): hex strings upper or lower case, heights numbers.
// gogoproto rules: proto3 scalars are omitted when zero; non-nullable embedded messages are
// always written, possibly empty.

import { concat, fromBase64, fromHex, sha256, utf8 } from "./bytes.js";

const PRECOMMIT = 2n;
const U64 = (1n << 64n) - 1n;

/** Protobuf varint of a non-negative (or, as two's complement, negative) integer. */
export function varint(value) {
  let v = BigInt(value) & U64;
  const out = [];
  while (v >= 0x80n) { out.push(Number(v & 0x7fn) | 0x80); v >>= 7n; }
  out.push(Number(v));
  return Uint8Array.from(out);
}

const tag = (field, wire) => varint((field << 3) | wire);
const fVarint = (field, value) => (BigInt(value) ? concat(tag(field, 0), varint(value)) : new Uint8Array());
const fBytes = (field, data, always = false) =>
  (data.length || always ? concat(tag(field, 2), varint(data.length), data) : new Uint8Array());

function fSfixed64(field, value) {
  const v = BigInt(value);
  if (!v) return new Uint8Array();
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, v, true);
  return concat(tag(field, 1), out);
}

/** RFC 3339 UTC time as CometBFT prints it -> [seconds, nanos] (BigInt, exact: no Date rounding). */
export function parseTime(text) {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?Z$/.exec(text || "");
  if (!m) throw new Error(`not a UTC time: ${String(text).slice(0, 40)}`);
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return [BigInt(ms / 1000), BigInt((m[7] || "0").padEnd(9, "0"))];
}

function timestamp(text) {
  const [seconds, nanos] = parseTime(text);
  return concat(fVarint(1, seconds), fVarint(2, nanos));
}

const hex = (text) => fromHex(text || "");

function partSetHeader(id) {
  return concat(fVarint(1, id.partsTotal || 0), fBytes(2, hex(id.partsHash)));
}

function blockId(id) {
  return concat(fBytes(1, hex(id.hash)), fBytes(2, partSetHeader(id), true));
}

/** crypto/merkle.HashFromByteSlices (RFC 6962). */
export async function merkleRoot(items) {
  if (!items.length) return sha256(new Uint8Array());
  if (items.length === 1) return sha256(concat(Uint8Array.of(0), items[0]));
  let split = 1;
  while (split * 2 < items.length) split *= 2;
  const [left, right] = await Promise.all([merkleRoot(items.slice(0, split)), merkleRoot(items.slice(split))]);
  return sha256(concat(Uint8Array.of(1), left, right));
}

const HASHES = ["lastCommitHash", "dataHash", "validatorsHash", "nextValidatorsHash", "consensusHash",
  "appHash", "lastResultsHash", "evidenceHash", "proposerAddress"];

/** Header.Hash() of a header in the GraphQL shape. */
export function headerHash(header) {
  return merkleRoot([
    concat(fVarint(1, header.versionBlock), fVarint(2, header.versionApp)),
    fBytes(1, utf8(header.chainId)),
    fVarint(1, header.height),
    timestamp(header.time),
    blockId(header.lastBlockId),
    ...HASHES.map((name) => fBytes(1, hex(header[name]))),
  ]);
}

/** The bytes a validator signs for a precommit of `commit.blockId` at `timestampText`. */
export function voteSignBytes(chainId, commit, timestampText) {
  const body = concat(fVarint(1, PRECOMMIT), fSfixed64(2, commit.height), fSfixed64(3, commit.round),
    fBytes(4, blockId(commit.blockId), true), fBytes(5, timestamp(timestampText), true), fBytes(6, utf8(chainId)));
  return concat(varint(body.length), body);
}

/** ValidatorSet.Hash(): validators sorted by power (descending), then address (ascending). */
export function validatorSetHash(validators) {
  const ordered = [...validators].sort((a, b) => (b.votingPower - a.votingPower) ||
    (a.address.toUpperCase() < b.address.toUpperCase() ? -1 : a.address.toUpperCase() > b.address.toUpperCase() ? 1 : 0));
  return merkleRoot(ordered.map((v) => concat(fBytes(1, fBytes(1, fromBase64(v.pubKey))), fVarint(2, v.votingPower))));
}

/** A validator's address: the first 20 bytes of SHA-256 of its Ed25519 public key. */
export async function addressOfKey(pubKeyBase64) {
  return (await sha256(fromBase64(pubKeyBase64))).slice(0, 20);
}

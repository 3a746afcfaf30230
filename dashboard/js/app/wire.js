// Samen's transaction format, written by hand: canonical protobuf of proto/samen/v1/tx.proto
// (docs/transactions.md), byte for byte what the Python codec writes (tested against every
// entry of docs/test-vectors.json in real Chromium).
//
// Canonical: fields in number order; singular scalars equal to their default omitted; minimal
// varints; every singular embedded message written even when empty; the chosen member of the
// Action oneof always written.  Values: integers as BigInt, safe-integer numbers or decimal
// strings; bytes as Uint8Array or lowercase hex; an action as {kind: fields}.

import { MESSAGES } from "./schema.js";
import { asBytes, concat, sha256, utf8 } from "./bytes.js";

export const SIGN_DOMAIN = utf8("samen/tx/v1\u0000");
export const TX_VERSION = 1;
const MAX = { uint32: (1n << 32n) - 1n, uint64: (1n << 64n) - 1n };
const AMOUNT_MAX = (1n << 63n) - 1n;          // the chain refuses larger amounts (forms check this)

/** An integer field value as BigInt, or TypeError naming the field. */
export function toInt(value, where, max = AMOUNT_MAX) {
  let n;
  if (typeof value === "bigint") n = value;
  else if (typeof value === "number" && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === "string" && /^[0-9]{1,20}$/.test(value)) n = BigInt(value);
  else if (value === undefined || value === null) n = 0n;
  else throw new TypeError(`${where}: not a whole number`);
  if (n < 0n || n > max) throw new TypeError(`${where}: out of range`);
  return n;
}

function varint(n) {
  const out = [];
  do {
    let byte = Number(n & 0x7fn);
    n >>= 7n;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return Uint8Array.from(out);
}

function tag(number, wire) {
  return varint(BigInt(number * 8 + wire));
}

function lengthDelimited(number, data) {
  return concat(tag(number, 2), varint(BigInt(data.length)), data);
}

function field(number, type, value, present, where) {
  if (type === "uint32" || type === "uint64") {
    const n = toInt(value, where, MAX[type]);
    return n === 0n && !present ? null : concat(tag(number, 0), varint(n));
  }
  if (type === "bool") {
    if (value !== undefined && typeof value !== "boolean") throw new TypeError(`${where}: not a boolean`);
    return !value && !present ? null : concat(tag(number, 0), varint(value ? 1n : 0n));
  }
  if (type === "string" || type === "bytes") {
    if (type === "string" && value !== undefined && typeof value !== "string") throw new TypeError(`${where}: not text`);
    const data = type === "string" ? utf8(value ?? "") : asBytes(value);
    return data.length === 0 && !present ? null : lengthDelimited(number, data);
  }
  return lengthDelimited(number, encodeMessage(type, value ?? {}, where));
}

/** Canonical bytes of message `name` (a key of MESSAGES) holding `value`. */
export function encodeMessage(name, value, where = name) {
  const rows = MESSAGES[name];
  if (!rows) throw new TypeError(`${where}: unknown message ${name}`);
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new TypeError(`${where}: not an object`);
  const known = new Set(rows.map((r) => r[0]));
  for (const key of Object.keys(value)) {
    if (!known.has(key)) throw new TypeError(`${where}: ${name} has no field ${key}`);
  }
  if (rows.filter((r) => r[3] === "oneof" && value[r[0]] !== undefined).length > 1) {
    throw new TypeError(`${where}: more than one action`);
  }
  const parts = [];
  for (const [fname, number, type, mode] of rows) {
    const v = value[fname];
    const at = `${where}.${fname}`;
    if (mode === "repeated") {
      if (v !== undefined && !Array.isArray(v)) throw new TypeError(`${at}: not a list`);
      for (const item of v ?? []) parts.push(field(number, type, item, true, at));
    } else if (mode === "oneof") {
      if (v !== undefined) parts.push(field(number, type, v, true, at));
    } else {
      const part = field(number, type, v, false, at);
      if (part) parts.push(part);
    }
  }
  return concat(...parts);
}

/** The kind of an action ({kind: fields}), or TypeError. */
export function actionKind(action) {
  const kinds = Object.keys(action || {});
  if (kinds.length !== 1) throw new TypeError("an action has exactly one kind");
  return kinds[0];
}

/** Canonical TxBody bytes. `body`: {chain_id, public_key, sequence, fee, fee_payer, action}. */
export function encodeBody(body) {
  actionKind(body.action);
  return encodeMessage("TxBody", { version: TX_VERSION, ...body });
}

/** The bytes a signer signs: SIGN_DOMAIN || body. */
export function signBytes(body) {
  return concat(SIGN_DOMAIN, body);
}

/** Canonical Tx bytes of a body and its 64-byte signature. */
export function encodeTx(body, signature) {
  return encodeMessage("Tx", { body, signature });
}

/** The transaction hash CometBFT uses: SHA-256 of the transaction bytes. */
export function txHash(tx) {
  return sha256(tx);
}

// Sending a signed action: the chain's id, minimum fee and the signer's next sequence from
// GraphQL; signing in the page; `broadcastTransaction` (SYNC: the mempool's answer); then
// following the hash until a block commits it.
//
// Two tabs signing at once: signing and broadcasting hold a Web Lock per address (shared by
// every tab of this origin), and a transaction the mempool accepted is remembered in
// localStorage (address -> highest pending sequence) until a block commits past it, so the
// next tab signs with the sequence after it.  A sequence the node still refuses is retried
// once with the sequence the node names.

import { query, GraphQLError } from "../gql.js";
import { toBase64 } from "./bytes.js";
import { signTx } from "./signer.js";

const PENDING = "samen.pendingSequence.";
const FOLLOW_MS = 60000;
const POLL_MS = 700;

/** Chain id, minimum fee, and the account's committed balance and next sequence. */
export async function accountState(address) {
  const data = await query(`query($a: String!) { status { chainId minFee height timestamp }
    account(id: $a) { balance sequence } }`, { a: address });
  return { chainId: data.status.chainId, minFee: BigInt(data.status.minFee), height: data.status.height,
    time: data.status.timestamp, balance: BigInt(data.account ? data.account.balance : 0),
    sequence: data.account ? data.account.sequence : 0 };
}

function pendingSequence(address, committed) {
  const raw = localStorage.getItem(PENDING + address);
  const next = raw === null ? -1 : Number(raw) + 1;
  if (next <= committed) localStorage.removeItem(PENDING + address);
  return Math.max(committed, next);
}

function withLock(address, work) {
  return navigator.locks ? navigator.locks.request(`samen-sequence:${address}`, work) : work();
}

async function broadcast(tx) {
  const data = await query(`mutation($tx: String!) { broadcastTransaction(tx: $tx, mode: SYNC) {
    hash checkCode checkLog code codespace log } }`, { tx: toBase64(tx) });
  return data.broadcastTransaction;
}

const EXPECTED = /sequence mismatch: expected (\d+)/;

/**
 * Sign `action` with `signer` and hand it to the mempool.  Resolves {hash, sequence, accepted,
 * codespace, code, log}; `accepted` false means the node refused it and nothing changed.
 */
export async function send(signer, { action, fee, feePayer = "" }) {
  return withLock(signer.address, async () => {
    const st = await accountState(signer.address);
    let sequence = pendingSequence(signer.address, st.sequence);
    for (let attempt = 0; attempt < 2; attempt++) {
      const signed = await signTx(signer, { chainId: st.chainId, sequence, fee, feePayer, action });
      const answer = await broadcast(signed.tx);
      if (answer.checkCode === 0) {
        localStorage.setItem(PENDING + signer.address, String(sequence));
        return { hash: signed.hashHex, sequence, accepted: true };
      }
      const expected = answer.codespace === "tx" && EXPECTED.exec(answer.checkLog || "");
      if (!expected || attempt) {
        return { hash: signed.hashHex, sequence, accepted: false, codespace: answer.codespace,
          code: answer.checkCode, log: answer.checkLog };
      }
      sequence = Number(expected[1]);
    }
    throw new Error("unreachable");
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Wait until `hash` is in a committed block: {committed, success, code, codespace, log, blockNumber, events}. */
export async function follow(hash, timeoutMs = FOLLOW_MS) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const data = await query(`query($h: String!) { transaction(hash: $h) { blockNumber success code codespace log
        events { type attributes { key value } } } }`, { h: hash });
      if (data.transaction) return { committed: true, ...data.transaction };
    } catch (err) {
      if (err instanceof GraphQLError) throw err;   // unreachable: keep trying until the deadline
    }
    await sleep(POLL_MS);
  }
  return { committed: false };
}

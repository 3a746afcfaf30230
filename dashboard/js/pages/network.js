// Network: height, chain id, app hash, block time (average and chart), validators with
// power and a 50-block signing bar, latest blocks. Updates on every committed block.

import { query, Unavailable } from "../gql.js";
import { h, short, amount, when, table } from "../dom.js";
import { barChart, signBar, shareBar } from "../charts.js";
import { Page } from "../section.js";

const WINDOW = 50;

export function mount(root) {
  const page = new Page(root, "Network", "The chain itself: blocks, validators and how fast blocks come.");

  page.section({
    id: "chain", title: "Chain", wide: true,
    load: () => query(`{ _meta { block { number } } status { chainId height timestamp appHash averageBlockTimeMs
      recentBlocks blockCount transactionCount supply } validators { totalVotingPower validators { address } } }`),
    view: ({ status, validators }) => h("dl.stats", {},
      stat("Height", String(status.height), "height"),
      stat("Average block time", `${(status.averageBlockTimeMs / 1000).toFixed(2)} s`, "avg-block-time",
        `over the last ${status.recentBlocks} blocks`),
      stat("Validators", `${validators.validators.length}`, "validators", `total power ${amount(validators.totalVotingPower)}`),
      stat("Transactions", amount(status.transactionCount), "tx-count"),
      stat("Chain id", status.chainId, "chain-id"),
      stat("App hash", short(status.appHash, 10), "app-hash", status.appHash),
      stat("Latest block time", when(status.timestamp), "block-time"),
      stat("Supply", amount(status.supply), "supply")),
  });

  page.section({
    id: "block-times", title: "Block time and transactions, last 50 blocks", wide: true,
    load: () => query(`query($n: Int!) { _meta { block { number } }
      blocks(first: $n, orderBy: number, orderDirection: desc) { number timestamp numTxs } }`, { n: WINDOW + 1 }),
    view: ({ blocks }) => {
      const asc = [...blocks].reverse();
      const rows = asc.slice(1).map((b, i) => ({ number: b.number, gap: b.timestamp - asc[i].timestamp, txs: b.numTxs }));
      return h("div.charts", {},
        barChart({ id: "block-time", title: "Seconds since the previous block (block time is whole seconds)",
          categories: rows.map((r) => String(r.number)), series: [{ name: "seconds", values: rows.map((r) => r.gap) }] }),
        barChart({ id: "txs-per-block", title: "Transactions per block",
          categories: rows.map((r) => String(r.number)), series: [{ name: "transactions", values: rows.map((r) => r.txs) }] }));
    },
  });

  page.section({
    id: "validators", title: "Validators", wide: true,
    load: async () => {
      const data = await query(`{ _meta { block { number } } validators { blockNumber totalVotingPower
        validators { address votingPower proposerPriority } } }`);
      // Per-block commit signatures: served by the API only if Block has `signers`.
      try {
        const sig = await query(`query($n: Int!) { blocks(first: $n, orderBy: number, orderDirection: desc) { number signers } }`, { n: WINDOW });
        data.signatures = sig.blocks;
      } catch (error) {
        if (!(error instanceof Unavailable)) throw error;
        data.signatures = null;
      }
      return data;
    },
    view: ({ _meta, validators, signatures }) => {
      const total = Number(validators.totalVotingPower);
      const rows = validators.validators.map((v) => {
        const cells = signatures
          ? [...signatures].reverse().map((b) => (b.signers == null ? "unknown"  // the tip: its commit is not in yet
            : b.signers.map((x) => x.toLowerCase()).includes(v.address.toLowerCase()) ? "signed" : "missed"))
          : Array(WINDOW).fill("unknown");
        const missed = cells.filter((c) => c === "missed").length;
        return [h("code", { title: v.address }, short(v.address, 10)), amount(v.votingPower),
          h("span.share-cell", {}, shareBar(Number(v.votingPower), total, `voting power of ${short(v.address)}`),
            ` ${total ? ((100 * Number(v.votingPower)) / total).toFixed(1) : 0}%`),
          signBar(`validator ${short(v.address)}`, cells),
          signatures ? h(`span${missed > 10 ? ".bad" : ""}`, {}, String(missed)) : "—"];
      });
      return [
        // the node's RPC may already answer for the next height; the caption names the block the page reflects
        table(`${plural(validators.validators.length, "validator")} at block ${Math.min(_meta.block.number, validators.blockNumber)}`,
          ["Address", "Voting power", "Share", `Last ${WINDOW} blocks`, "Missed"], rows, { "data-testid": "validators" }),
        signatures ? null : h("p.unavailable", { "data-testid": "signatures-unavailable" },
          "Per-block commit signatures are not available on this node (the API has no ", h("code", {}, "Block.signers"),
          "), so the signing bars are grey."),
      ];
    },
  });

  page.section({
    id: "blocks", title: "Latest blocks", wide: true,
    load: () => query(`{ _meta { block { number } } blocks(first: 10, orderBy: number, orderDirection: desc)
      { number time numTxs proposer hash } }`),
    view: ({ blocks }) => table(null, ["Height", "Time", "Txs", "Proposer", "Hash"],
      blocks.map((b) => [String(b.number), b.time.replace("T", " "), String(b.numTxs), h("code", {}, short(b.proposer)), h("code", {}, short(b.hash))]),
      { "data-testid": "latest-blocks" }),
  });

  return page;
}

function stat(label, value, key, detail = "") {
  return h("div.stat", { "data-stat": key }, h("dt", {}, label), h("dd", {}, h("span.value", {}, value), detail ? h("span.detail", {}, detail) : null));
}

/** "1 validator", "4 validators". */
export function plural(n, noun) {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

// Names of keyless (module) accounts, derived in the page as the chain derives them
// (abci_app/chain/addresses.py: bech32 of SHA-256("samen/module/" + name)[:20]).

import { encode, PREFIX } from "./bech32.js";
import { sha256, utf8 } from "./bytes.js";

export const MODULES = {
  community_pool: "Community pool", escrow: "Agreement escrow", dispute_bonds: "Dispute bonds",
  project_budgets: "Project budgets", stream_reserves: "Stream reserves",
};

/** The keyless address of module `name` (e.g. "escrow", "org/3"). */
export async function moduleAddress(name) {
  return encode(PREFIX, (await sha256(utf8(`samen/module/${name}`))).slice(0, 20));
}

/** address -> {label, href|null} for the fixed modules and the treasuries of `organizations` ([{id, name}]). */
export async function accountNames(organizations = []) {
  const out = {};
  for (const [name, label] of Object.entries(MODULES)) out[await moduleAddress(name)] = { label, href: null, module: name };
  for (const o of organizations) {
    out[await moduleAddress(`org/${o.id}`)] = { label: `Treasury of ${o.name}`, href: `#/organizations/${o.id}`, module: "treasury" };
  }
  return out;
}

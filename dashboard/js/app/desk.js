// My desk: what needs the current key now, computed from a few GraphQL queries and refreshed
// on every committed block (the shell's newBlocks subscription).  Items, most urgent first:
//   vote      a proposal in voting in one of my organizations that I have not voted on
//   review    a delivered milestone of an agreement I (or my organization) requested: accept or
//             dispute before it is released automatically
//   decide    a disputed milestone where I am the arbiter
//   offers    open offers on an open request I (or my organization) posted
//   deliver   an active milestone I must deliver, with its deadline
//   cancel    the other side of my agreement proposed cancelling it: confirm (or let it lapse)
// and `notices` (js/app/notices.js): what the other side did since I last looked.
// Each item links to the prefilled action form (#/act/...), through a proposal when the
// requester is an organization's treasury.

import { query } from "../gql.js";
import { otherSideActed, seenMark } from "./notices.js";

const AGREEMENT_FIELDS = "id requester provider arbiter revision cancelProposedBy cancelExpiresAt " +
  "milestones { index title status deadline dueAt deliveredAt disputedAt disputedBy } ratings { rater score ratedAt }";
const SETTLED_NOTICED = 20;        // settled agreements read for ratings the other side gave

function proposalLink(orgId, kind, fields) {
  const params = new URLSearchParams({ org_id: orgId, "actions.0.kind": kind });
  for (const [k, v] of Object.entries(fields)) params.set(`actions.0.${kind}.${k}`, v);
  return `#/act/submit_proposal?${params}`;
}

function actLink(kind, fields) {
  return `#/act/${kind}?${new URLSearchParams(fields)}`;
}

/** The desk of `address`: {items: [{kind, text, href, due}], notices: [{id, at, text, href}], now, height}. */
export async function loadDesk(address) {
  const base = await query(`query($a: String!) { _meta { block { number timestamp } }
    organizations(where: {member: $a, status: "active"}, first: 50) { id name treasury }
    proposals(where: {status: "voting"}, first: 200) { id title organization votingEnd votes { voter } }
    agreements(where: {party: $a, settled: false}, first: 200) { ${AGREEMENT_FIELDS} }
    settled: agreements(where: {party: $a, settled: true}, orderDirection: desc, first: ${SETTLED_NOTICED}) { ${AGREEMENT_FIELDS} } }`,
  { a: address });
  const now = base._meta.block.timestamp;
  const orgs = base.organizations;
  const byTreasury = Object.fromEntries(orgs.map((o) => [o.treasury, o]));
  const requesters = [address, ...orgs.map((o) => o.treasury)];
  const extra = await Promise.all(orgs.map((o) => query(`query($t: String!) {
    agreements(where: {requester: $t, settled: false}, first: 100) { ${AGREEMENT_FIELDS} } }`, { t: o.treasury })));
  const requests = await Promise.all(requesters.map((r) => query(`query($r: String!) {
    requests(where: {requester: $r, status: "open"}, first: 100) { id title requester offerCount } }`, { r })));
  const items = [];
  const mine = new Set(orgs.map((o) => o.id));
  for (const p of base.proposals) {
    if (mine.has(p.organization) && !p.votes.some((v) => v.voter === address)) {
      const org = orgs.find((o) => o.id === p.organization);
      items.push({ kind: "vote", due: p.votingEnd, href: actLink("vote", { proposal_id: p.id }),
        text: `Vote on proposal ${p.id} "${p.title}" in ${org.name}` });
    }
  }
  const agreements = [...base.agreements, ...extra.flatMap((x) => x.agreements)];
  const seen = new Set();
  for (const a of agreements) {
    const key = `${a.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const m of a.milestones) deskMilestone(items, a, m, address, byTreasury);
    deskCancel(items, a, address, byTreasury);
  }
  for (const { requests: list } of requests) {
    for (const r of list) {
      if (!r.offerCount) continue;
      const org = byTreasury[r.requester];
      items.push({ kind: "offers", due: 0, href: `#/market?request=${r.id}`,
        text: `${r.offerCount} offer(s) on ${org ? `${org.name}'s` : "your"} request ${r.id} "${r.title}"` });
    }
  }
  items.sort((x, y) => (x.due || Infinity) - (y.due || Infinity));
  const notices = otherSideActed([...agreements, ...base.settled], address, byTreasury, seenMark(address, now));
  return { items, notices, now, height: base._meta.block.number };
}

function deskCancel(items, a, address, byTreasury) {
  const by = a.cancelProposedBy;               // the role that proposed it: "requester" or "provider"
  const org = byTreasury[a.requester];
  const mine = a.requester === address || org ? "requester" : a.provider === address ? "provider" : "";
  if (!by || !mine || by === mine) return;
  const fields = { agreement_id: a.id, revision: a.revision };
  items.push({ kind: "cancel", due: a.cancelExpiresAt, text: `The other side proposed cancelling agreement ${a.id}: confirm to refund every open milestone`,
    href: org && a.requester !== address && a.provider !== address ? proposalLink(org.id, "cancel_agreement", fields)
      : actLink("cancel_agreement", fields) });
}

function deskMilestone(items, a, m, address, byTreasury) {
  const where = `milestone ${m.index} "${m.title}" of agreement ${a.id}`;
  const org = byTreasury[a.requester];
  const fields = { agreement_id: a.id, milestone: m.index };
  if (m.status === "delivered" && (a.requester === address || org)) {
    items.push({ kind: "review", due: m.dueAt, text: `Review the delivery of ${where}${org ? ` (for ${org.name})` : ""}`,
      href: org ? proposalLink(org.id, "accept_milestone", fields) : actLink("accept_milestone", fields) });
  } else if (m.status === "disputed" && a.arbiter === address) {
    items.push({ kind: "decide", due: m.dueAt, text: `Decide the dispute on ${where} as arbiter`, href: actLink("resolve_dispute", fields) });
  } else if (m.status === "active" && a.provider === address) {
    items.push({ kind: "deliver", due: m.deadline, text: `Deliver ${where}`, href: actLink("deliver_milestone", fields) });
  }
}

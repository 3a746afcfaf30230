// Organizations: the list, and one organization's members and weights, policy, treasury,
// proposals with live tallies and outcomes, and projects with their transfer history.

import { query, Unavailable } from "../gql.js";
import { h, amount, short, when, duration, table, link, lit, status } from "../dom.js";
import { tallyBar, shareBar } from "../charts.js";
import { Page } from "../section.js";
import { loadCounts } from "../app/counts.js";
import { addSections as addOrgToolSections } from "./orgtools.js";

const CHOICES = { 1: "yes", 2: "no", 3: "abstain" };
const POLICY_KINDS = { 1: "threshold", 2: "percentage", 3: "lazy consensus", THRESHOLD: "threshold", PERCENTAGE: "percentage", LAZY: "lazy consensus" };

export function mount(root, route) {
  const id = route.parts[0];
  return id ? detail(root, Number(id)) : list(root);
}

function list(root) {
  const page = new Page(root, "Organizations", "Organizations without managers: members with weights decide by proposals.");
  page.section({
    id: "organizations", title: "All organizations", wide: true,
    load: async () => ({ ...await query(`{ _meta { block { number } } organizations(first: 100) { id name purpose status treasury
      members { address weight } } }`), counts: await loadCounts() }),
    view: ({ organizations, counts }) => organizations.length === 0 ? h("p.muted", {}, "No organizations yet.") :
      table(counts ? `${counts.organizations} organizations` + (counts.organizations > organizations.length
        ? `; the first ${organizations.length} below` : "") : null, ["Organization", "Purpose", "Members", "Status", "Treasury"], organizations.map((o) => [
        link(`#/organizations/${o.id}`, o.name, { "data-org": o.id }), o.purpose, String(o.members.length), status(o.status),
        link(`#/people/${o.treasury}`, short(o.treasury))]), { "data-testid": "org-list" }),
  });
  return page;
}

export function policyText(policy, total) {
  const kind = POLICY_KINDS[policy.kind] || String(policy.kind);
  const rule = kind === "threshold" ? `passes when yes-weight reaches ${policy.threshold} (of ${total})`
    : kind === "percentage" ? `passes when yes-weight reaches ${(policy.threshold / 100).toFixed(2)}% of the weight`
      : `passes at the end unless no-weight reaches ${policy.threshold}`;
  return `${kind}: ${rule}; voting ${duration(policy.votingPeriod)}, delay ${duration(policy.minDelay)}` +
    (policy.exitRight ? "; members may leave with a share" : "");
}

/** The yes-weight at which a proposal passes, for the tally marker (threshold kinds only). */
function passMark(policy, total) {
  const kind = POLICY_KINDS[policy.kind];
  if (kind === "threshold") return Math.min(policy.threshold, total);
  if (kind === "percentage") return Math.ceil((policy.threshold * total) / 10000);
  return 0;
}

function detail(root, id) {
  const page = new Page(root, "Organization", "");
  let org = null;
  page.section({
    id: "org", title: "Members, policy and treasury", wide: true,
    load: async () => {
      const data = await query(`{ _meta { block { number } } organization(id: ${lit(id)}) { id name purpose status treasury
        treasuryBalance createdAt dissolvedAt totalWeight members { address weight }
        policy { kind threshold votingPeriod minDelay exitRight } } }`);
      org = data.organization;
      return data;
    },
    view: ({ organization: o }) => {
      if (!o) return h("p.muted", {}, `There is no organization ${id}.`);
      page.heading.textContent = o.name;
      const total = Number(o.totalWeight);
      return [
        h("p", {}, o.purpose, " ", status(o.status), h("span.muted", {}, ` · founded ${when(o.createdAt)}`)),
        h("dl.stats", {},
          h("div.stat", { "data-stat": "treasury" }, h("dt", {}, "Treasury"), h("dd", {}, h("span.value", {}, amount(o.treasuryBalance)),
            h("span.detail", {}, link(`#/people/${o.treasury}`, short(o.treasury))))),
          h("div.stat", { "data-stat": "policy" }, h("dt", {}, "Decision policy"), h("dd", {}, h("span.detail", {}, policyText(o.policy, total))))),
        table("Members and weights", ["Member", "Weight", "Share"], o.members.map((m) => [
          link(`#/people/${m.address}`, short(m.address, 10)), String(m.weight),
          h("span.share-cell", {}, shareBar(Number(m.weight), total, `weight of ${short(m.address)}`), ` ${((100 * Number(m.weight)) / total).toFixed(0)}%`)]),
        { "data-testid": "members" }),
      ];
    },
  });
  page.section({
    id: "proposals", title: "Proposals", wide: true,
    load: async () => {
      const data = await query(`{ _meta { block { number } } proposals(first: 100, where: { organization: ${lit(id)} }, orderDirection: desc)
        { id title description proposer status yes no abstain totalWeight submittedAt votingEnd decidedAt executedAt resultLog
          votes { voter choice weight } } }`);
      if (!org) await page.sections[0].run();
      return data;
    },
    view: ({ proposals }) => proposals.length === 0 ? h("p.muted", {}, "No proposals yet.") :
      h("ul.cards", { "data-testid": "proposals" }, proposals.map((p) => h("li.card", { "data-proposal": p.id, "data-status": String(p.status).toLowerCase() },
        h("div.title", {}, `#${p.id} ${p.title} `, status(p.status)),
        tallyBar({ yes: Number(p.yes), no: Number(p.no), abstain: Number(p.abstain), total: Number(p.totalWeight),
          threshold: org ? passMark(org.policy, Number(p.totalWeight)) : 0, label: `proposal ${p.id}` }),
        h("div.meta", { "data-testid": "tally" }, `yes ${p.yes} · no ${p.no} · abstain ${p.abstain} of ${p.totalWeight}`),
        h("div.meta", {}, `by ${short(p.proposer)} · submitted ${when(p.submittedAt)} · `,
          p.decidedAt ? `decided ${when(p.decidedAt)}` : `voting until ${when(p.votingEnd)}`,
          p.executedAt ? ` · executed ${when(p.executedAt)}` : "", p.resultLog ? ` · ${p.resultLog}` : ""),
        p.votes.length ? h("div.meta", { "data-testid": "votes" }, "Votes: ", p.votes.map((v, i) => [i ? ", " : "",
          link(`#/people/${v.voter}`, short(v.voter)), ` ${CHOICES[v.choice] || v.choice} (${v.weight})`])) : null))),
  });
  page.section({
    id: "projects", title: "Projects and their transfer history", wide: true,
    load: async () => {
      if (!org) await page.sections[0].run();
      const first = page.sections[0];
      if (first.state === "unavailable") throw new Unavailable(["Query.organization (the projects are listed by owner)"]);
      if (!org) return { projects: [] };
      // projects it holds, and (history kept) those it created or held and handed over
      const data = await query(`{ _meta { block { number } } projects(first: 200)
        { id title description budget owner createdAt history { time kind actor amount ref detail } } }`);
      data.projects = data.projects.filter((p) => p.owner === org.treasury || p.history.some((e) => e.actor === org.treasury));
      data.treasury = org.treasury;
      return data;
    },
    view: ({ projects, treasury }) => projects.length === 0 ? h("p.muted", {}, "This organization has held no projects.") :
      projects.map((p) => h("div.card", { "data-project": p.id },
        h("div.title", {}, `#${p.id} ${p.title} `, p.owner === treasury ? status("held")
          : h("span", { "data-testid": "handed-over" }, "handed over to ", link(`#/people/${p.owner}`, short(p.owner)))),
        h("div.meta", {}, `${p.description} · budget ${amount(p.budget)} · since ${when(p.createdAt)}`),
        table("History", ["When", "What", "By", "Amount", "Detail"], p.history.map((e) => [when(e.time), e.kind,
          link(`#/people/${e.actor}`, short(e.actor)), amount(e.amount), e.detail ? short(e.detail, 10) : (e.ref ? `#${e.ref}` : "")]),
        { "data-testid": "project-history" }))),
  });
  addOrgToolSections(page, id, async () => { if (!org) await page.sections[0].run(); return org; });
  return page;
}

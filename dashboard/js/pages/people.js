// People: one account's balance, reputation overall and per skill, ratings received and
// agreements (as requester, provider or arbiter). #/people lists the accounts to pick from.

import { query } from "../gql.js";
import { h, amount, short, when, link, lit, tags, status, table } from "../dom.js";
import { Page } from "../section.js";
import { accountNames } from "../app/names.js";
import { agreementStage } from "./agreements.js";
import { provenBalance } from "./proven.js";
import { loadCounts } from "../app/counts.js";
import { addPersonStreams } from "./orgtools.js";

const COUNTS = [["completedAsProvider", "completed as provider"], ["completedAsRequester", "completed as requester"],
  ["onTime", "on time"], ["broken", "broken"], ["disputesOpened", "disputes opened"], ["disputesWon", "disputes won"],
  ["disputesLost", "disputes lost"], ["ratingsReceived", "ratings received"]];
const DOCS_SHOWN = 50;
const COUNT_FIELDS = `${COUNTS.map((c) => c[0]).join(" ")} ratingSum`;

export function mount(root, route) {
  const address = route.parts[0];
  return address ? person(root, address) : directory(root);
}

function directory(root) {
  const page = new Page(root, "People", "Accounts on the network; pick one to see its reputation and agreements.");
  page.section({
    id: "accounts", title: "Accounts", wide: true,
    load: async () => {
      const data = await query(`{ _meta { block { number } } accounts(first: 200) { id balance sequence }
        organizations(first: 100) { id name } }`);
      data.names = await accountNames(data.organizations);
      data.counts = await loadCounts();
      return data;
    },
    view: ({ accounts, names, counts }) => {
      const people = accounts.filter((a) => !names[a.id]);
      const held = accounts.filter((a) => names[a.id]);
      return [
        counts ? h("p", { "data-testid": "account-total" }, `${counts.accounts} accounts in all, people and chain-held` +
          (counts.accounts > accounts.length ? `; the first ${accounts.length} by address below.` : ".")) : null,
        table("People", ["Account", "Balance", "Transactions signed"], people.map((a) => [
          link(`#/people/${a.id}`, short(a.id, 12), { "data-account": a.id }), amount(a.balance), String(a.sequence)]),
        { "data-testid": "accounts" }),
        table("Held by the chain (no key signs for these)", ["Account", "What it holds", "Balance"], held.map((a) => [
          h("code", { "data-module-account": a.id }, short(a.id, 12)),
          names[a.id].href ? link(names[a.id].href, names[a.id].label) : names[a.id].label, amount(a.balance)]),
        { "data-testid": "module-accounts" }),
      ];
    },
  });
  return page;
}

/** Overall reputation: the decayed score (milli-points as of the answer's block) and the counts behind it. */
function repStats(rep) {
  const c = rep.counts;
  const avg = c.ratingsReceived ? (c.ratingSum / c.ratingsReceived).toFixed(1) : "—";
  return h("dl.stats", { "data-testid": "reputation" },
    h("div.stat", { "data-stat": "score" }, h("dt", {}, "Reputation score"), h("dd", {}, h("span.value", {}, (rep.score / 1000).toFixed(2)),
      h("span.detail", {}, "points, decaying with time"))),
    h("div.stat", { "data-stat": "rating" }, h("dt", {}, "Average rating"), h("dd", {}, h("span.value", {}, avg))),
    COUNTS.map(([key, label]) => h("div.stat", { "data-stat": key }, h("dt", {}, label), h("dd", {}, h("span.value", {}, String(c[key] ?? 0))))));
}

function person(root, address) {
  const page = new Page(root, `Account ${short(address, 10)}`, "");
  page.section({
    id: "account", title: "Balance", wide: true,
    load: () => query(`{ _meta { block { number } } account(id: ${lit(address)}) { id balance sequence } }`),
    view: ({ account }) => [account ? h("p", {}, h("code", {}, account.id), ` · balance ${amount(account.balance)} · ${account.sequence} transactions signed`)
      : h("p.muted", {}, "This account holds nothing and never signed."), provenBalance(address)],
  });
  page.section({
    id: "reputation", title: "Reputation, overall and per skill", wide: true,
    load: () => query(`{ _meta { block { number } } reputation(address: ${lit(address)}) { tag score counts { ${COUNT_FIELDS} } } }`),
    view: ({ reputation }) => {
      const overall = reputation.find((r) => r.tag === null) || { score: 0, counts: {} };
      const skills = reputation.filter((r) => r.tag !== null);
      return [repStats(overall),
        skills.length ? table("Per skill", ["Skill", "Score", "Completed as provider", "On time", "Broken", "Ratings", "Average rating"], skills.map((s) => [
          tags([s.tag]), (s.score / 1000).toFixed(2), String(s.counts.completedAsProvider), String(s.counts.onTime), String(s.counts.broken),
          String(s.counts.ratingsReceived), s.counts.ratingsReceived ? (s.counts.ratingSum / s.counts.ratingsReceived).toFixed(1) : "—"]),
        { "data-testid": "skills" }) : h("p.muted", {}, "No per-skill reputation yet.")];
    },
  });
  page.section({
    id: "documents", title: "Documents registered", wide: true,
    load: () => query(`{ _meta { block { number } } documents(owner: ${lit(address)}, first: ${DOCS_SHOWN + 1})
      { contentHash title mediaType uri publishedAt supersedes supersededBy } }`),
    view: ({ documents }) => !documents.length ? h("p.muted", {}, "No documents registered.") : [
      table(documents.length > DOCS_SHOWN ? `The newest ${DOCS_SHOWN}; the content stays off the ledger` : "Registered by content hash; the content stays off the ledger",
        ["Title", "Type", "Content hash", "Registered", "Versions"], documents.slice(0, DOCS_SHOWN).map((d) => [
          h("span", {}, d.title, d.uri ? [" ", h("code", {}, d.uri)] : ""), d.mediaType || "—",
          h("code", { title: d.contentHash, "data-document": d.contentHash }, short(d.contentHash, 12)), when(d.publishedAt),
          [d.supersedes ? `replaces ${short(d.supersedes, 8)}` : "", d.supersededBy ? ` replaced by ${short(d.supersededBy, 8)}` : ""].join("").trim() || "—"]),
      { "data-testid": "owned-documents" })],
  });
  page.section({
    id: "agreements", title: "Agreements and ratings received", wide: true,
    load: () => query(`{ _meta { block { number } } agreements(first: 500, orderDirection: desc, where: { party: ${lit(address)} })
      { id requester provider arbiter price status settled outcome tags milestones { status } ratings { rater rated score ratedAt } } }`),
    view: ({ agreements }) => {
      const ratings = agreements.flatMap((a) => a.ratings.filter((r) => r.rated === address).map((r) => ({ ...r, agreement: a.id })));
      const average = ratings.length ? (ratings.reduce((s, r) => s + r.score, 0) / ratings.length).toFixed(1) : "—";
      return [
        h("h3", {}, `Ratings received: ${ratings.length}, average ${average}`),
        ratings.length ? table(null, ["Agreement", "From", "Score", "When"], ratings.map((r) => [
          link(`#/agreements/${r.agreement}`, `#${r.agreement}`), link(`#/people/${r.rater}`, short(r.rater)), `${r.score}/5`, when(r.ratedAt)]),
        { "data-testid": "ratings" }) : h("p.muted", {}, "No ratings yet."),
        h("h3", {}, `Agreements: ${agreements.length}`),
        agreements.length ? table(null, ["Agreement", "Role", "Price", "Status", "Tags"], agreements.map((a) => [
          link(`#/agreements/${a.id}`, `#${a.id}`),
          a.requester === address ? "requester" : a.provider === address ? "provider" : "arbiter",
          amount(a.price), status(agreementStage(a)), tags(a.tags)]), { "data-testid": "person-agreements" }) : h("p.muted", {}, "No agreements."),
      ];
    },
  });
  addPersonStreams(page, address);
  return page;
}

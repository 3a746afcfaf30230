// People: one account's balance, reputation overall and per skill, ratings received and
// agreements (as requester, provider or arbiter). #/people lists the accounts to pick from.

import { query } from "../gql.js";
import { h, amount, short, when, link, lit, tags, status, table } from "../dom.js";
import { Page } from "../section.js";

const COUNTS = [["completedAsProvider", "completed as provider"], ["completedAsRequester", "completed as requester"],
  ["onTime", "on time"], ["broken", "broken"], ["disputesOpened", "disputes opened"], ["disputesWon", "disputes won"],
  ["disputesLost", "disputes lost"], ["ratingsReceived", "ratings received"]];
const REP_FIELDS = `score ${COUNTS.map((c) => c[0]).join(" ")} ratingSum`;

export function mount(root, route) {
  const address = route.parts[0];
  return address ? person(root, address) : directory(root);
}

function directory(root) {
  const page = new Page(root, "People", "Accounts on the network; pick one to see its reputation and agreements.");
  page.section({
    id: "accounts", title: "Accounts", wide: true,
    load: () => query(`{ _meta { block { number } } accounts(first: 200) { id balance sequence } }`),
    view: ({ accounts }) => table(null, ["Account", "Balance", "Transactions signed"], accounts.map((a) => [
      link(`#/people/${a.id}`, short(a.id, 12), { "data-account": a.id }), amount(a.balance), String(a.sequence)]), { "data-testid": "accounts" }),
  });
  return page;
}

function repStats(rep) {
  const avg = rep.ratingsReceived ? (rep.ratingSum / rep.ratingsReceived).toFixed(1) : "—";
  return h("dl.stats", {}, h("div.stat", { "data-stat": "score" }, h("dt", {}, "Reputation"), h("dd", {}, h("span.value", {}, (rep.score / 1000).toFixed(2)))),
    h("div.stat", { "data-stat": "rating" }, h("dt", {}, "Average rating"), h("dd", {}, h("span.value", {}, avg))),
    COUNTS.map(([key, label]) => h("div.stat", { "data-stat": key }, h("dt", {}, label), h("dd", {}, h("span.value", {}, String(rep[key]))))));
}

function person(root, address) {
  const page = new Page(root, `Account ${short(address, 10)}`, "");
  page.section({
    id: "account", title: "Balance", wide: true,
    load: () => query(`{ _meta { block { number } } account(id: ${lit(address)}) { id balance sequence } }`),
    view: ({ account }) => account ? h("p", {}, h("code", {}, account.id), ` · balance ${amount(account.balance)} · ${account.sequence} transactions signed`)
      : h("p.muted", {}, "This account holds nothing and never signed."),
  });
  page.section({
    id: "reputation", title: "Reputation, overall and per skill", wide: true,
    load: () => query(`{ _meta { block { number } } reputation(address: ${lit(address)}) { ${REP_FIELDS}
      skills { tag ${REP_FIELDS} } } }`),
    view: ({ reputation: rep }) => [repStats(rep),
      rep.skills.length ? table("Per skill", ["Skill", "Score", "Completed (provider)", "Broken", "Ratings"], rep.skills.map((s) => [
        tags([s.tag]), (s.score / 1000).toFixed(2), String(s.completedAsProvider), String(s.broken), String(s.ratingsReceived)]), { "data-testid": "skills" })
        : h("p.muted", {}, "No per-skill reputation yet.")],
  });
  page.section({
    id: "ratings", title: "Ratings received",
    load: () => query(`{ _meta { block { number } } ratings(first: 100, where: { rated: ${lit(address)} }) { agreementId rater score ratedAt } }`),
    view: ({ ratings }) => ratings.length ? table(null, ["Agreement", "From", "Score", "When"], ratings.map((r) => [
      link(`#/agreements/${r.agreementId}`, `#${r.agreementId}`), link(`#/people/${r.rater}`, short(r.rater)), `${r.score}/5`, when(r.ratedAt)]),
    { "data-testid": "ratings" }) : h("p.muted", {}, "No ratings yet."),
  });
  page.section({
    id: "agreements", title: "Agreements",
    load: () => query(`{ _meta { block { number } } agreements(first: 500, orderDirection: desc) { id requester provider arbiter price status tags } }`),
    view: ({ agreements }) => {
      const mine = agreements.filter((a) => [a.requester, a.provider, a.arbiter].includes(address));
      return mine.length ? table(null, ["Agreement", "Role", "Price", "Status", "Tags"], mine.map((a) => [
        link(`#/agreements/${a.id}`, `#${a.id}`),
        a.requester === address ? "requester" : a.provider === address ? "provider" : "arbiter",
        amount(a.price), status(a.status), tags(a.tags)]), { "data-testid": "person-agreements" }) : h("p.muted", {}, "No agreements.");
    },
  });
  return page;
}

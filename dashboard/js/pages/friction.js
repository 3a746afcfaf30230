// Friction: the transaction-cost figures of settled agreements, over time (per UTC day or
// week of settlement), network-wide, per organization (the requester's address) or per skill
// tag: median and 90th percentile time to agreement and to settlement, disputes and fees.
// Medians and percentiles are the chain's own (upper bound of the histogram bucket);
// the page draws them, it does not recompute them.

import { query } from "../gql.js";
import { h, amount, duration, fill, table, short } from "../dom.js";
import { barChart } from "../charts.js";
import { Page } from "../section.js";
import { addRecurringCost } from "./orgtools.js";

const DAY = 86400;
const FIGURES = `period agreements completed disputed cancelled broken txs fees value
  toFirstOffer { count median p90 } toAgreement { count median p90 } toDelivery { count median p90 } toSettlement { count median p90 }`;

/** The first day (UTC, ISO date) of a period: day d, or week w (weeks start on Monday). */
export function periodLabel(kind, period) {
  const day = kind === "week" ? period * 7 - 3 : period;
  return new Date(day * DAY * 1000).toISOString().slice(0, 10);
}

const nullIfNone = (x) => (x < 0 ? null : x);

export function mount(root, route) {
  const page = new Page(root, "Friction", "What collaboration costs: time from request to agreement and to settlement, disputes and fees.");
  let scope = route.params.get("scope") || "all";
  let kind = route.params.get("kind") === "week" ? "week" : "day";

  const scopeSelect = h("select", { id: "friction-scope", onchange: () => go() });
  const kindSelect = h("select", { id: "friction-kind", onchange: () => go() },
    h("option", { value: "day" }, "per day"), h("option", { value: "week" }, "per week"));
  kindSelect.value = kind;
  const controls = h("form.filters", { "aria-label": "Choose the friction figures", onsubmit: (e) => e.preventDefault() },
    h("label", { for: "friction-scope" }, "Scope", scopeSelect), h("label", { for: "friction-kind" }, "Period", kindSelect));
  let scopesKey = "";

  function go() {
    location.hash = `#/friction?scope=${encodeURIComponent(scopeSelect.value)}&kind=${kindSelect.value}`;
  }
  page.onParams = (params) => {
    scope = params.get("scope") || "all";
    kind = params.get("kind") === "week" ? "week" : "day";
    kindSelect.value = kind;
    scopeSelect.value = scope;
    page.refresh();
  };

  function renderScopes(choices) {
    const key = JSON.stringify(choices);
    if (key !== scopesKey) {
      scopesKey = key;
      fill(scopeSelect, choices.map(([value, label]) => h("option", { value }, label)));
    }
    scopeSelect.value = scope;
  }

  page.section({
    id: "friction", title: "Transaction costs over time", wide: true, controls,
    load: async () => {
      const org = scope.startsWith("org/") ? scope.slice(4) : null;
      const tag = scope.startsWith("tag/") ? scope.slice(4) : null;
      const data = await query(`query($org: String, $tag: String) { _meta { block { number } }
        friction(period: ${kind === "week" ? "week" : "day"}, organization: $org, tag: $tag) { ${FIGURES} } }`, { org, tag });
      const choices = [["all", "Network-wide"]];
      try {
        const extra = await query(`{ organizations(first: 100) { name treasury } agreements(first: 500) { requester tags } }`);
        for (const o of extra.organizations) choices.push([`org/${o.treasury}`, `Organization: ${o.name}`]);
        const requesters = [...new Set(extra.agreements.map((a) => a.requester))].sort();
        for (const r of requesters) if (!choices.some((c) => c[0] === `org/${r}`)) choices.push([`org/${r}`, `Requester: ${short(r)}`]);
        for (const t of [...new Set(extra.agreements.flatMap((a) => a.tags))].sort()) choices.push([`tag/${t}`, `Skill: ${t}`]);
      } catch { /* scope list is a convenience; the figures above still show */ }
      if (!choices.some((c) => c[0] === scope)) choices.push([scope, scope]);
      data.choices = choices;
      return data;
    },
    view: ({ friction, choices }) => {
      renderScopes(choices);
      if (!friction.length) return h("p.muted", { "data-testid": "no-friction" }, "No agreement has settled in this scope yet.");
      const cats = friction.map((f) => periodLabel(kind, f.period));
      const d = (name, stat) => friction.map((f) => nullIfNone(f[name][stat]));
      return [
        h("div.charts", {},
          barChart({ id: "to-agreement", title: "Time to agreement (median and 90th percentile)", categories: cats, format: duration,
            series: [{ name: "median", values: d("toAgreement", "median") }, { name: "p90", values: d("toAgreement", "p90") }] }),
          barChart({ id: "to-settlement", title: "Time to settlement (median and 90th percentile)", categories: cats, format: duration,
            series: [{ name: "median", values: d("toSettlement", "median") }, { name: "p90", values: d("toSettlement", "p90") }] }),
          barChart({ id: "disputes", title: "Settled agreements and disputes", categories: cats,
            series: [{ name: "settled", values: friction.map((f) => f.agreements) }, { name: "disputed", values: friction.map((f) => f.disputed) }] }),
          barChart({ id: "fees", title: "Fees and transactions spent", categories: cats, format: (v) => amount(Math.round(v)),
            series: [{ name: "fees", values: friction.map((f) => Number(f.fees)) }, { name: "transactions", values: friction.map((f) => f.txs) }] })),
        h("p.muted", {}, "Medians and 90th percentiles are the chain's own: the upper bound of the histogram bucket " +
          "(1 min, 5 min, 15 min, 1 h, 3 h, … 180 d) that holds them."),
        table("Figures per period", ["Period", "Settled", "Completed", "Disputed", "Broken", "Cancelled", "To agreement (median / p90)",
          "To settlement (median / p90)", "Transactions", "Fees", "Value"], friction.map((f, i) => [cats[i], String(f.agreements),
          String(f.completed), String(f.disputed), String(f.broken), String(f.cancelled),
          `${duration(f.toAgreement.median)} / ${duration(f.toAgreement.p90)}`, `${duration(f.toSettlement.median)} / ${duration(f.toSettlement.p90)}`,
          String(f.txs), amount(f.fees), amount(f.value)]), { "data-testid": "friction-table" }),
      ];
    },
  });
  page.section({
    id: "friction-agreements", title: "Each settled agreement (exact seconds)", wide: true,
    load: () => query(`{ _meta { block { number } } agreements(first: 500, where: { settled: true }) { id requester tags
      settledAt outcome friction { toAgreement toSettlement txs fees disputed } } }`),
    view: ({ agreements }) => {
      const inScope = agreements.filter((a) => a.friction && (scope === "all" ||
        (scope.startsWith("org/") && a.requester === scope.slice(4)) || (scope.startsWith("tag/") && a.tags.includes(scope.slice(4)))))
        .sort((x, y) => x.settledAt - y.settledAt || Number(x.id) - Number(y.id));
      if (!inScope.length) return h("p.muted", {}, "No agreement has settled in this scope yet.");
      const cats = inScope.map((a) => `#${a.id}`);
      return [h("div.charts", {},
        barChart({ id: "per-agreement-time", title: "Time to agreement and to settlement, by settlement order", categories: cats, format: duration,
          series: [{ name: "to agreement", values: inScope.map((a) => nullIfNone(a.friction.toAgreement)) },
            { name: "to settlement", values: inScope.map((a) => nullIfNone(a.friction.toSettlement)) }] }),
        barChart({ id: "per-agreement-cost", title: "Transactions and fees per agreement", categories: cats, format: (v) => amount(Math.round(v)),
          series: [{ name: "transactions", values: inScope.map((a) => a.friction.txs) }, { name: "fees", values: inScope.map((a) => Number(a.friction.fees)) }] })),
      table(null, ["Agreement", "Settled", "Outcome", "Disputed", "To agreement", "To settlement", "Transactions", "Fees"], inScope.map((a) => [
        h("a", { href: `#/agreements/${a.id}` }, `#${a.id}`), new Date(a.settledAt * 1000).toISOString().slice(0, 16).replace("T", " "), a.outcome,
        a.friction.disputed ? "yes" : "no", duration(a.friction.toAgreement), duration(a.friction.toSettlement), String(a.friction.txs), amount(a.friction.fees)]),
      { "data-testid": "friction-agreements" })];
    },
  });
  addRecurringCost(page);
  return page;
}

// The shell: hash router, status strip, live refresh on every committed block.
//
// Routes: #/act[/KIND]  #/me  #/network  #/organizations[/ID]  #/market[?tag=&org=]  #/agreements[/ID]
//         #/people[/ADDRESS]  #/friction[?scope=&kind=]
// A page module exports mount(root, route) -> Page (with refresh()).

import { query, onReachability, Unavailable } from "./gql.js";
import { subscribeBlocks } from "./ws.js";
import { h, fill, ago } from "./dom.js";
import * as network from "./pages/network.js";
import * as organizations from "./pages/organizations.js";
import * as market from "./pages/market.js";
import * as agreements from "./pages/agreements.js";
import * as people from "./pages/people.js";
import * as friction from "./pages/friction.js";
import * as act from "./pages/act.js";
import * as me from "./pages/me.js";
import { startInactivityLock, onChange as onKeyChange } from "./app/session.js";
import { updateCount } from "./pages/desk.js";
import { expectedGap, stallSeconds } from "./stall.js";

const PAGES = { network, organizations, market, agreements, people, friction, act, me };
const MIN_REFRESH_MS = 800;          // at most one refresh of the open page per this interval

const state = {
  page: null, pageName: "", head: null, headSeenAt: 0, avgBlockMs: 1000, idleBlockSeconds: null,
  api: "unknown", ws: "connecting", lastRefresh: 0, refreshTimer: null,
};

export function parseRoute(hash) {
  const text = (hash || "").replace(/^#\/?/, "");
  const [path, qs = ""] = text.split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const name = PAGES[parts[0]] ? parts[0] : "network";
  return { name, parts: parts.slice(1), params: new URLSearchParams(qs) };
}

function navigate() {
  const route = parseRoute(location.hash);
  const main = document.getElementById("main");
  const samePage = state.pageName === route.name && state.page && state.page.route &&
    state.page.route.parts.join("/") === route.parts.join("/") && state.page.onParams;
  for (const a of document.querySelectorAll("#nav a")) {
    if (a.dataset.page === route.name) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  if (samePage) {              // only the query string changed (filters): keep the page, re-filter
    state.page.route = route;
    main.dataset.route = location.hash;
    state.page.onParams(route.params);
    return;
  }
  const focusHeading = state.pageName !== "";   // not on first load
  if (state.page && state.page.unmount) state.page.unmount();
  state.pageName = route.name;
  state.page = PAGES[route.name].mount(main, route);
  state.page.route = route;
  state.page.name = route.name;
  main.dataset.route = location.hash;   // which view is mounted (tests wait for it)
  document.title = `${state.page.heading.textContent} · Samen dashboard`;
  state.lastRefresh = Date.now();
  state.page.refresh();
  if (focusHeading) state.page.heading.focus();
}

function scheduleRefresh() {
  if (!state.page || state.refreshTimer) return;
  const wait = Math.max(0, state.lastRefresh + MIN_REFRESH_MS - Date.now());
  state.refreshTimer = setTimeout(async () => {
    state.refreshTimer = null;
    state.lastRefresh = Date.now();
    await Promise.all([state.page.refresh(), state.page.name === "me" ? null : updateCount()]);
    renderStatus();
  }, wait);
}

function renderStatus() {
  const dot = document.getElementById("status-dot");
  const text = document.getElementById("status-text");
  const banner = document.getElementById("banner");
  const status = document.getElementById("status");
  let level = "ok", words = "", alert = "";
  const headText = state.head ? `block ${state.head.number}` : "no block yet";
  const sinceBlock = state.head ? Date.now() / 1000 - state.head.timestamp : 0;
  const stallAfter = stallSeconds(state.avgBlockMs, state.idleBlockSeconds);
  if (state.api === "down") {
    level = "down"; words = `API unreachable · last seen ${headText}`;
    alert = `The GraphQL API is unreachable. Views show the data they last loaded (${headText}); they update again when it answers.`;
  } else if (state.ws === "down") {
    level = "warn"; words = `Live updates reconnecting · ${headText}`;
    alert = "Live updates are disconnected; reconnecting. The figures shown may be behind.";
  } else if (state.head && stallAfter !== null && sinceBlock > stallAfter) {
    level = "warn"; words = `Node behind · ${headText}, ${ago(state.head.timestamp)}`;
    alert = `No new block for ${Math.round(sinceBlock)} s (expected at least every ${Math.round(expectedGap(state.avgBlockMs, state.idleBlockSeconds))} s): the node may be stalled or catching up.`;
  } else {
    words = state.ws === "live" ? `Live · ${headText}` : `Connecting · ${headText}`;
  }
  status.dataset.level = level;
  status.dataset.head = state.head ? String(state.head.number) : "";
  dot.className = `dot ${level}`;
  text.textContent = words;
  banner.hidden = !alert;
  banner.className = `banner ${level}`;
  if (alert) fill(banner, alert);
  const page = state.page;
  if (page && state.head && page.asOf.dataset.height) {
    const lag = state.head.number - Number(page.asOf.dataset.height);
    page.asOf.classList.toggle("is-behind", lag > 3);
    page.asOf.title = lag > 3 ? `${lag} blocks behind the chain head` : "";
  }
}

async function loadAverage() {
  try {
    let data;
    try {
      data = await query("{ status { averageBlockTimeMs height timestamp idleBlockSeconds } }");
      state.idleBlockSeconds = data.status.idleBlockSeconds;
    } catch (err) {
      if (!(err instanceof Unavailable)) throw err;      // an older node: no idle interval known
      data = await query("{ status { averageBlockTimeMs height timestamp } }");
    }
    if (data.status.averageBlockTimeMs > 0) state.avgBlockMs = data.status.averageBlockTimeMs;
    if (!state.head) state.head = { number: data.status.height, timestamp: data.status.timestamp };
  } catch { /* the status strip reports reachability */ }
  renderStatus();
}

function start() {
  onReachability((ok) => {
    const before = state.api;
    state.api = ok ? "up" : "down";
    if (before !== state.api) renderStatus();
  });
  subscribeBlocks({
    onBlock(block) {
      state.head = block;
      state.api = "up";
      renderStatus();
      scheduleRefresh();
    },
    onState(ws) {
      state.ws = ws;
      renderStatus();
      if (ws === "live") loadAverage();
    },
  });
  setInterval(() => { renderStatus(); if (state.ws !== "live") scheduleRefresh(); }, 2000);
  setInterval(loadAverage, 30000);
  window.addEventListener("hashchange", navigate);
  startInactivityLock();
  onKeyChange(() => updateCount());
  navigate();
  updateCount();
}

start();

// "Since you last looked": what the other side of my agreements did (a delivery made, a dispute
// opened, a cancellation proposed, a rating given), from the agreements My desk already reads.
// "Last looked" is per address in localStorage: the block time and the notices the member marked
// as seen ("Mark as seen"); a first visit starts from the chain's current time (nothing old shows).

const SEEN = "samen.deskSeen.";
const MAX_IDS = 200;

/** The seen mark of `address`: {time, ids: Set}; created at `now` on first use. */
export function seenMark(address, now) {
  let mark = null;
  try { mark = JSON.parse(localStorage.getItem(SEEN + address) || "null"); } catch { mark = null; }
  if (!mark) {
    mark = { time: now, ids: [] };
    localStorage.setItem(SEEN + address, JSON.stringify(mark));
  }
  return { time: mark.time, ids: new Set(mark.ids) };
}

/** Remember `notices` as seen at block time `now`. */
export function markSeen(address, now, notices) {
  const ids = notices.map((n) => n.id).slice(-MAX_IDS);
  localStorage.setItem(SEEN + address, JSON.stringify({ time: now, ids }));
}

/** My side of agreement `a` ("requester" when I or one of my organizations requested it), or "". */
function side(a, address, byTreasury) {
  if (a.requester === address || byTreasury[a.requester]) return "requester";
  return a.provider === address ? "provider" : "";
}

/** What the other side did on `agreements` since `seen`, newest first: [{id, at, agreement, text, href}]. */
export function otherSideActed(agreements, address, byTreasury, seen) {
  const out = [];
  const add = (a, kind, at, text) => {
    const id = `${a.id}/${kind}/${at}`;
    if (at >= seen.time && !seen.ids.has(id)) out.push({ id, at, agreement: a.id, text, href: `#/agreements/${a.id}` });
  };
  for (const a of agreements) {
    const mine = side(a, address, byTreasury);
    if (!mine) continue;
    const other = mine === "requester" ? "provider" : "requester";
    const whose = byTreasury[a.requester] ? `${byTreasury[a.requester].name}'s agreement` : "agreement";
    for (const m of a.milestones || []) {
      const what = `milestone ${m.index} "${m.title}" of ${whose} ${a.id}`;
      if (mine === "requester" && m.deliveredAt) add(a, `delivered${m.index}`, m.deliveredAt, `The provider delivered ${what}`);
      if (m.disputedAt && m.disputedBy === other) add(a, `disputed${m.index}`, m.disputedAt, `The ${other} disputed ${what}`);
    }
    if (a.cancelProposedBy === other && a.cancelExpiresAt) {      // the role that proposed it
      add(a, `cancel${a.revision}`, Math.max(seen.time, 0), `The ${other} proposed cancelling ${whose} ${a.id}`);
    }
    for (const r of a.ratings || []) {
      if (r.rater === a[other]) add(a, "rated", r.ratedAt, `The ${other} rated ${whose} ${a.id}: ${r.score}/5`);
    }
  }
  return out.sort((x, y) => y.at - x.at);
}

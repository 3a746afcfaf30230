"""Human-readable answers: dates with relative times, enum names, named accounts, labelled buckets.

``-o json`` prints the node's answer as it is (the stable, documented field names
of README.md "The command line", checked against ``docs/cli-schemas/``); the default text view
is built here from the same data.  ``view(kind, doc, now, names)`` renders one
answer; ``now`` is the latest block time (so "in 3 h" is relative to the chain)
and ``names`` turns an address into its name where it has one (escrow, community
pool, "treasury of organization 2").  Nothing here talks to the network.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable

from abci_app.tools.cli.common import text_lines

TIME_KEYS = {"deadline", "offers_until", "voting_end", "execute_after", "expires_at", "time", "score_time",
             "latest_block_time", "due_at", "start", "end", "next_at"}
POLICY_KINDS = {1: "threshold", 2: "percentage", 3: "lazy consensus"}
CHOICES = {1: "yes", 2: "no", 3: "abstain"}
FRICTION_BOUNDS = ("1 min", "5 min", "15 min", "1 h", "3 h", "6 h", "12 h", "1 d", "2 d", "3 d", "7 d", "14 d",
                   "30 d", "60 d", "90 d", "180 d")
Names = Callable[[str], str]


def when(seconds: Any, now: int) -> str:
    """``2026-12-03T10:15:00Z (in 3 h)``; 0 or absent is ``-``."""
    if not isinstance(seconds, int) or isinstance(seconds, bool) or seconds <= 0:
        return "-"
    try:
        stamp = datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return str(seconds)
    return f"{stamp} ({relative(seconds - now)})"


def relative(delta: int) -> str:
    """``in 3 h``, ``5 min ago``, ``now``."""
    size = abs(delta)
    if size < 60:
        return "now" if size < 5 else (f"in {size} s" if delta > 0 else f"{size} s ago")
    for unit, seconds in (("d", 86_400), ("h", 3_600), ("min", 60)):
        if size >= seconds:
            amount = size // seconds
            break
    return f"in {amount} {unit}" if delta > 0 else f"{amount} {unit} ago"


def duration(seconds: int) -> str:
    """``1 h``, ``3 d``, ``90 s``."""
    for unit, size in (("d", 86_400), ("h", 3_600), ("min", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"


def period_label(period: int, kind: str) -> str:
    """A friction period (days or weeks since 1970-01-01) as the date it starts on."""
    start = period * (604_800 if kind == "week" else 86_400)
    day = datetime.fromtimestamp(start, timezone.utc).strftime("%Y-%m-%d")
    return f"week from {day}" if kind == "week" else day


def plain(doc: Any, now: int, names: Names) -> list[str]:
    """Generic view: times as dates, addresses named, choices and policy kinds by name."""
    return text_lines(_humane(doc, now, names))


def _humane(value: Any, now: int, names: Names, key: str = "") -> Any:
    if isinstance(value, dict) and key == "policy" and "voting_period" in value:
        return policy_line(value)
    if isinstance(value, dict):
        return {k: _humane(v, now, names, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_humane(v, now, names, key) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and (key in TIME_KEYS or key.endswith("_at")):
        return when(value, now)
    if isinstance(value, str) and value.startswith("samen1"):
        return names(value)
    if key == "milestone" and isinstance(value, int):
        return value + 1   # milestones count from 1 wherever a person reads them
    if key == "choice":
        return CHOICES.get(int(value) if str(value).isdigit() else -1, value)
    return value


def policy_line(policy: dict) -> str:
    """``threshold: 2 yes-weight; voting 1 h; no delay; no exit share``."""
    kind = POLICY_KINDS.get(int(policy.get("kind", 0)), f"kind {policy.get('kind')}")
    threshold = policy.get("threshold", 0)
    rule = {"threshold": f"{threshold} yes-weight", "percentage": f"{threshold / 100:g} % of the weight yes",
            "lazy consensus": f"passes unless {threshold} weight objects"}.get(kind, str(threshold))
    delay = policy.get("min_execution_delay", policy.get("min_delay", 0))
    parts = [f"{kind}: {rule}", f"voting {duration(policy.get('voting_period', 0))}",
             f"delay {duration(delay)}" if delay else "no delay",
             "exit share for leavers" if policy.get("exit_right") else "no exit share"]
    return "; ".join(parts)


def org_view(doc: dict, now: int, names: Names) -> list[str]:
    """An organization: name, status, treasury, policy and members with their weights."""
    total = sum(m.get("weight", 0) for m in doc.get("members", []))
    lines = [f"Organization {doc['id']}: {doc.get('name', '')} ({doc.get('status', '')})",
             f"  purpose:  {doc.get('purpose') or '-'}",
             f"  treasury: {doc.get('treasury', '')}",
             f"  policy:   {policy_line(doc.get('policy', {}))}",
             f"  created:  {when(doc.get('created_at'), now)}"]
    if doc.get("dissolved_at"):
        lines.append(f"  dissolved: {when(doc['dissolved_at'], now)}")
    lines.append(f"  members ({len(doc.get('members', []))}, total weight {total}):")
    lines += [f"    {names(m['address'])}  weight {m['weight']}" for m in doc.get("members", [])]
    return lines


def agreement_view(doc: dict, now: int, names: Names) -> list[str]:
    """An agreement: parties, price, escrow, state, and its milestones numbered from 1."""
    state = f"settled: {doc.get('outcome')}" if doc.get("settled") else "open"
    origin = (f"request {doc['request_id']}" if doc.get("request_id") else
              f"standing offer {doc.get('standing_offer_id')}")
    lines = [f"Agreement {doc['id']} ({state}), from {origin}",
             f"  requester: {names(doc.get('requester', ''))}",
             f"  provider:  {names(doc.get('provider', ''))}",
             f"  arbiter:   {names(doc['arbiter']) if doc.get('arbiter') else '-'}",
             f"  price:     {doc.get('price', 0)} (in escrow: {doc.get('escrow', 0)})",
             f"  project:   {doc.get('project_id') or '-'}",
             f"  tags:      {', '.join(doc.get('tags', [])) or '-'}",
             f"  made:      {when(doc.get('created_at'), now)}"]
    if doc.get("settled"):
        lines.append(f"  settled:   {when(doc.get('settled_at'), now)}")
    if doc.get("cancel_proposed_by"):
        lines.append(f"  cancellation proposed by {names(doc['cancel_proposed_by'])}")
    lines.append(f"  revision:  {doc.get('revision', 0)}")
    lines.append("  milestones:")
    for number, stone in enumerate(doc.get("milestones", []), start=1):
        lines.append(f"    {number}. {stone.get('title') or 'the work'}: {stone.get('amount', 0)}, "
                     f"{stone.get('status', '')}, due {when(stone.get('deadline'), now)}")
        for label, key in (("delivered", "delivered_at"), ("disputed", "disputed_at"), ("settled", "settled_at")):
            if stone.get(key):
                lines.append(f"       {label} {when(stone[key], now)}")
        if stone.get("settled_at"):
            lines.append(f"       to provider {stone.get('to_provider', 0)}, to requester "
                         f"{stone.get('to_requester', 0)}, to community pool {stone.get('to_community_pool', 0)}")
    return lines


def friction_view(doc: Any, now: int, names: Names, kind: str = "week") -> list[str]:
    """Friction periods with their dates; each duration's histogram with labelled buckets."""
    if not isinstance(doc, list):
        return plain(doc, now, names)
    lines: list[str] = []
    for row in doc:
        lines.append(f"{period_label(row.get('period', 0), kind)}:")
        for key, value in row.items():
            if key == "period":
                continue
            if isinstance(value, dict) and "buckets" in value:
                lines.append(f"  {key}: {value['count']} (median {_bound(value['median'])}, "
                             f"90th percentile {_bound(value['p90'])})")
                labelled = [f"{_bucket(i)}: {n}" for i, n in enumerate(value["buckets"]) if n]
                lines.append(f"    buckets: {', '.join(labelled) or '-'}")
            else:
                lines.append(f"  {key}: {value}")
    return lines or ["no figures yet"]


def _bound(seconds: Any) -> str:
    return duration(seconds) if isinstance(seconds, int) and seconds > 0 else "-"


def _bucket(index: int) -> str:
    if index < len(FRICTION_BOUNDS):
        return f"<= {FRICTION_BOUNDS[index]}"
    return f"> {FRICTION_BOUNDS[-1]}"


def reputation_view(doc: dict, now: int, names: Names) -> list[str]:
    """A reputation: the score in points (stored in milli-points) as of the latest block, then the counts."""
    score = doc.get("score", 0)
    tag = f" for {doc['tag']}" if doc.get("tag") else ""
    lines = [f"Reputation of {names(doc.get('address', ''))}{tag}",
             f"  score:     {score // 1000}.{score % 1000:03d} points at {when(doc.get('score_time'), now)} "
             f"(halves every {duration(doc.get('half_life', 0))} without new deals)"]
    lines += [f"  {key.replace('_', ' ')}: {value}" for key, value in sorted(doc.get("counts", {}).items())]
    if doc.get("tags"):
        lines.append(f"  tags:      {', '.join(doc['tags'])}")
    return lines


VIEWS: dict[str, Callable[[Any, int, Names], list[str]]] = {"org": org_view, "agreement": agreement_view,
                                                           "friction": friction_view, "reputation": reputation_view}


def view(kind: str, doc: Any, now: int, names: Names) -> list[str]:
    """Render one answer of ``kind`` (``org``, ``agreement``, ...; others use the generic view)."""
    return VIEWS.get(kind, plain)(doc, now, names)

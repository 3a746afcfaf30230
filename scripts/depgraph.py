"""The package dependency graph, drawn from the code, and the cycle check.

    python scripts/depgraph.py            # print the Mermaid graph of the rooms' packages
    python scripts/depgraph.py --write    # rewrite the graph in docs/architecture.md
    python scripts/depgraph.py --check    # exit 1 on an import cycle (module or package) or a stale doc

Imports are read by grimp (import-linter's graph builder): every ``import`` statement in
``abci_app`` and ``graphql_api``, including imports inside functions, but not imports under
``if TYPE_CHECKING:``.  Modules are grouped into packages by ``package_of``; an edge A -> B
means some module of A imports some module of B.  ``make check`` runs ``--check``, and
``tests/unit/test_architecture.py`` asserts the same, so the drawing cannot drift.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import grimp

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "architecture.md"
START, END = "<!-- depgraph:start -->", "<!-- depgraph:end -->"
GROUPS = ("abci_app.tools.cli", "abci_app.tools.node", "abci_app.tools.client", "abci_app.adapter.storage",
          "abci_app.adapter", "abci_app.chain", "abci_app._generated", "abci_app.__main__", "graphql_api")


def build() -> grimp.ImportGraph:
    """Return the import graph of the project's two packages (TYPE_CHECKING imports left out)."""
    sys.path.insert(0, str(REPO))
    return grimp.build_graph("abci_app", "graphql_api", exclude_type_checking_imports=True, cache_dir=None)


def package_of(module: str) -> str | None:
    """Return the drawn package a module belongs to (the first group it is in), or None."""
    for group in GROUPS:
        if module == group or module.startswith(group + "."):
            return group
    return None


def module_edges(graph: grimp.ImportGraph) -> dict[str, set[str]]:
    """Return module -> the project modules it imports (generated protobuf code left out)."""
    mods = {m for m in graph.modules if not m.startswith("abci_app._generated")}
    return {m: {i for i in graph.find_modules_directly_imported_by(m) if i in mods} for m in sorted(mods)}


def package_edges(edges: dict[str, set[str]], graph: grimp.ImportGraph) -> dict[str, set[str]]:
    """Return package -> the packages it imports (self-imports dropped)."""
    out: dict[str, set[str]] = {g: set() for g in GROUPS}
    for m in graph.modules:
        src = package_of(m)
        for i in graph.find_modules_directly_imported_by(m):
            dst = package_of(i)
            if src and dst and src != dst:
                out[src].add(dst)
    return out


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components with more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def mermaid(packages: dict[str, set[str]]) -> str:
    """Return the package graph as a Mermaid flowchart (sorted, so the text is stable)."""
    def name(p: str) -> str:
        return p.replace(".", "_")
    lines = ["```mermaid", "flowchart TD"]
    for p in GROUPS:
        lines.append(f'    {name(p)}["{p}"]')
    for src in GROUPS:
        for dst in sorted(packages[src], key=GROUPS.index):
            lines.append(f"    {name(src)} --> {name(dst)}")
    lines.append("```")
    return "\n".join(lines)


def doc_section(text: str) -> str:
    """Return what sits between the markers of ``docs/architecture.md``."""
    return text.split(START, 1)[1].split(END, 1)[0].strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    graph = build()
    edges = module_edges(graph)
    packages = package_edges(edges, graph)
    drawn = mermaid(packages)
    problems = [f"module import cycle: {' <-> '.join(c)}" for c in cycles(edges)]
    problems += [f"package import cycle: {' <-> '.join(c)}" for c in cycles(packages)]
    if args.write:
        text = DOC.read_text()
        head, rest = text.split(START, 1)
        DOC.write_text(head + START + "\n" + drawn + "\n" + END + rest.split(END, 1)[1])
    elif args.check:
        if doc_section(DOC.read_text()) != drawn:
            problems.append("docs/architecture.md: the graph is stale: run python scripts/depgraph.py --write")
    else:
        print(drawn)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

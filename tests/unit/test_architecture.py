"""The architecture rules hold in the code: no import cycle, and docs/architecture.md draws today's graph."""

from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("depgraph", REPO / "scripts" / "depgraph.py")
depgraph = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(depgraph)


def test_the_cycle_finder_reports_a_cycle_and_only_the_cycle():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert depgraph.cycles(edges) == [["a", "b", "c"]]


def test_no_module_of_the_project_is_part_of_an_import_cycle():
    graph = depgraph.build()
    assert depgraph.cycles(depgraph.module_edges(graph)) == []


def test_the_package_graph_has_no_cycle_and_the_document_draws_it_as_it_is():
    graph = depgraph.build()
    packages = depgraph.package_edges(depgraph.module_edges(graph), graph)
    assert depgraph.cycles(packages) == []
    assert depgraph.doc_section((REPO / "docs" / "architecture.md").read_text()) == depgraph.mermaid(packages)


def test_the_core_never_imports_the_adapter_or_tooling():
    graph = depgraph.build()
    core = [m for m in graph.modules if m.startswith("abci_app.chain")]
    leaks = {(m, i) for m in core for i in graph.find_modules_directly_imported_by(m)
             if i.startswith(("abci_app.adapter", "abci_app.tools", "graphql_api"))}
    assert leaks == set()

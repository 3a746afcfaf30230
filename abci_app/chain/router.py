"""The router: each message kind of the transaction format with its two handler phases.

``Router`` is built once (``abci_app.chain.components.ROUTER``) from two inputs:

* the kinds of the transaction format, ``messages.KINDS`` (``Action.kind`` oneof field name ->
  message dataclass, itself derived from the ``oneof``), and
* one registry line per kind: field name -> ``(check_stateless, check_and_execute)``.

Building fails unless every ``oneof`` field has exactly one line and every line names a
``oneof`` field, so a kind cannot be decodable without handlers or the reverse.  A phase
that runs other messages (a proposal's actions, a role's action) is registered as
``routed(fn)`` and receives the finished router as its ``router`` keyword.

A ``Router`` is a read-only mapping message class -> ``(check_stateless, check_and_execute)``
(the ``abci_app.chain.context.Router`` type that domain code is written against); it is
handed to what runs messages: the block runner and the hooks and handlers that run actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, Callable, Iterator, Mapping

from abci_app.chain.context import Execute, Stateless


@dataclass(frozen=True, slots=True)
class Routed:
    """A handler phase that needs the router: called as ``fn(..., router=<the router>)``."""

    fn: Callable[..., Any]


def routed(fn: Callable[..., Any]) -> Routed:
    """Mark a phase that runs other messages; the router binds itself as its ``router`` argument."""
    return Routed(fn)


Phase = Callable[..., Any] | Routed
Line = tuple[Phase, Phase]


class RegistryMismatch(ValueError):
    """The registry lines and the transaction format's ``oneof`` do not name the same kinds."""


class Router(Mapping[type, tuple[Stateless, Execute]]):
    """Message class -> its two phases; also ``kind_of(cls)`` (the ``oneof`` field name)."""

    def __init__(self, kinds: Mapping[str, type], lines: Mapping[str, Line]) -> None:
        missing = sorted(set(kinds) - set(lines))
        unknown = sorted(set(lines) - set(kinds))
        if missing or unknown:
            raise RegistryMismatch(f"oneof fields without a registry line: {missing}; "
                                   f"registry lines without a oneof field: {unknown}")
        self._phases: dict[type, tuple[Stateless, Execute]] = {}
        self._kinds: dict[type, str] = {}
        for name, cls in kinds.items():   # the oneof's order
            stateless, execute = (self._bind(phase) for phase in lines[name])
            self._phases[cls] = (stateless, execute)
            self._kinds[cls] = name

    def _bind(self, phase: Phase) -> Any:
        return partial(phase.fn, router=self) if isinstance(phase, Routed) else phase

    def __getitem__(self, cls: type) -> tuple[Stateless, Execute]:
        return self._phases[cls]

    def __iter__(self) -> Iterator[type]:
        return iter(self._phases)

    def __len__(self) -> int:
        return len(self._phases)

    def __contains__(self, cls: object) -> bool:
        return cls in self._phases

    def kind_of(self, cls: type) -> str:
        """Return the ``oneof`` field name of a message class (``KeyError`` if it is none)."""
        return self._kinds[cls]

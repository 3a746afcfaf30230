"""Write ``docs/stored-value-vectors.json``: the exact stored bytes of one sample of every stored record type.

    python scripts/make_stored_vectors.py           # (re)write the file
    python scripts/make_stored_vectors.py --check   # exit 1 if the file is not what this script writes

The record types are the ones the code decodes from the store: every class passed to
``codec.decode_value`` or ``codec.from_plain`` in ``abci_app`` (tooling aside) and ``graphql_api`` (found in
the source, so a new record type is picked up by itself).  Each sample is built from the
type's hints alone (``sample``): every field set, to a value that differs from its default,
nested records and tuples filled, a field hinted ``Action`` holding a transfer.  The file
pins the bytes: ``tests/unit/test_codec.py`` checks that each sample encodes to exactly its
stored bytes and that those bytes decode to exactly the sample, so a change to the
stored-value encoding (which would change app hashes) cannot pass unnoticed.
"""

from __future__ import annotations

import argparse
import dataclasses
import enum
import importlib
import json
import re
import sys
import types
import typing
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from abci_app.chain import codec  # noqa: E402
from abci_app.chain.context import Action  # noqa: E402
from abci_app.chain.domain.accounts.messages import Transfer  # noqa: E402

OUT = ROOT / "docs" / "stored-value-vectors.json"
_DECODED = re.compile(r"codec\.(?:decode_value|from_plain)\(\s*([A-Za-z_][\w.]*)\s*,")


def record_types() -> dict[str, type]:
    """Return ``module.Class`` -> class for every class the code decodes from the store, sorted by name."""
    found: dict[str, type] = {}
    for path in sorted([*ROOT.glob("abci_app/**/*.py"), *ROOT.glob("graphql_api/**/*.py")]):
        if "_generated" in path.parts or "tools" in path.parts:   # the tooling reads no store
            continue
        names = _DECODED.findall(path.read_text(encoding="utf-8"))
        if not names:
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        module = importlib.import_module(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
        for dotted in names:
            value: Any = module
            try:
                for part in dotted.split("."):
                    value = getattr(value, part)
            except AttributeError:
                continue   # a local variable (a generic reader), not a record type
            if isinstance(value, type) and dataclasses.is_dataclass(value):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return dict(sorted(found.items()))


def sample(hint: Any, salt: int = 1) -> Any:
    """Return a value of ``hint`` with every field set (deterministic; ``salt`` varies the leaves)."""
    if hint is Action:
        return Transfer("samen1sample", 7 + salt, "memo")
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return sample(next(a for a in typing.get_args(hint) if a is not type(None)), salt)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return (sample(args[0], salt), sample(args[0], salt + 1))
        return tuple(sample(a, salt + i) for i, a in enumerate(args))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return hint(**{name: sample(h, salt + i) for i, (name, h) in enumerate(codec.field_hints(hint))})
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        members = list(hint)
        return members[salt % len(members)]
    if hint is bool:
        return True
    if hint is int:
        return 1000 + salt
    if hint is str:
        return f"s{salt}"
    if hint is bytes:
        return bytes([salt % 256]) * 4
    raise TypeError(f"no sample for the hint {hint!r}: extend scripts/make_stored_vectors.py")


def vectors() -> dict[str, str]:
    """Return ``module.Class`` -> the stored bytes (UTF-8 JSON text) of its sample."""
    return {name: codec.encode_value(sample(cls)).decode("utf-8") for name, cls in record_types().items()}


def render() -> str:
    doc = {"about": "stored bytes (UTF-8 JSON) of one sample per stored record type; "
                    "written by scripts/make_stored_vectors.py, checked by tests/unit/test_codec.py",
           "vectors": vectors()}
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = render()
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT.relative_to(ROOT)} is stale: run python scripts/make_stored_vectors.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {len(vectors())} stored-value vectors to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Validate before signing: every flag value is checked at the CLI, failures are usage errors naming the flag.

Three layers, all before any key is opened or the network is touched (and for
``--print-action`` too):

1. ``bounded(signature)``: every integer option or argument of a command gets a
   range (ids 1..2^63-1, amounts and other counts 0..2^64-1, unless the command
   sets its own), so Click refuses ``--price -100`` with exit 2 naming the flag;
2. the command's parsers (``sha256_hex``, ``block_time``, ...) raise ``BadValue``;
3. ``checked(action, flags)``: the message must encode (protobuf ranges) and pass
   its stateless check; a failure is a ``BadValue`` naming the flag whose field the
   chain's message mentions.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import re
import typing
from typing import Annotated, Any

import typer

from abci_app.tools.cli.common import BadValue
from abci_app.chain.query_args import MAX_ID, MAX_U64

_ID_WORDS = ("agreement", "request", "offer", "standing", "project", "proposal", "org")


def flag_of(param: inspect.Parameter) -> str:
    """Return the command-line name of a parameter (``--price``) or its metavar (``AGREEMENT``)."""
    info = _info(param.annotation)
    if isinstance(info, typer.models.ArgumentInfo):
        return (info.metavar or param.name).upper()
    decls = [d for d in (getattr(info, "param_decls", None) or ()) if d.startswith("--")]
    if not decls and isinstance(getattr(info, "default", None), str) and info.default.startswith("--"):
        decls = [info.default]
    return decls[0] if decls else "--" + param.name.replace("_", "-")


def _info(annotation: Any) -> Any:
    args = typing.get_args(annotation) if typing.get_origin(annotation) is Annotated else ()
    return next((a for a in args[1:] if isinstance(a, typer.models.ParameterInfo)), None)


def bounded(param: inspect.Parameter) -> inspect.Parameter:
    """Return ``param`` with a range on its integer value (see the module docstring); others unchanged."""
    info = _info(param.annotation)
    base = typing.get_args(param.annotation)[0] if info is not None else None
    if info is None or base is not int or info.min is not None or info.max is not None:
        return param
    is_id = isinstance(info, typer.models.ArgumentInfo) or any(w in param.name for w in _ID_WORDS)
    info = copy.copy(info)
    info.min = 1 if isinstance(info, typer.models.ArgumentInfo) else 0
    info.max = MAX_ID if is_id else MAX_U64
    return param.replace(annotation=Annotated[int, info])


def field_flags(action: Any, flags: dict[str, str]) -> dict[str, str]:
    """Map each field of ``action`` to the flag that sets it (``request_id`` -> ``--request``)."""
    out = {}
    for field in dataclasses.fields(action):
        for name in (field.name, field.name.removesuffix("_id"), field.name.removesuffix("_hash")):
            if name in flags:
                out[field.name] = flags[name]
                break
        else:
            out[field.name] = "--" + field.name.replace("_", "-")
    return out


def checked(action: Any, flags: dict[str, str], context: Any) -> Any:
    """Return ``action`` if it encodes and passes its stateless check; otherwise raise ``BadValue``.

    ``flags`` maps the command's parameter names to their flags; ``context`` is the
    ``TxContext`` the stateless check runs with.
    """
    from abci_app.chain import messages, txcodec
    from abci_app.chain.errors import LedgerError
    from abci_app.tools.cli.stateless import stateless_check
    names = field_flags(action, flags)
    try:
        txcodec.action_to_proto(action)
    except (ValueError, TypeError, OverflowError) as exc:
        field = _out_of_range(action)
        raise BadValue(names.get(field, ""), f"value out of range ({exc})") from None
    stateless = stateless_check(messages.kind_of(type(action)))   # its handler module only
    try:
        stateless(action, context)
    except LedgerError as exc:
        raise BadValue(_mentioned(exc.message, action, names), f"{exc.message} ({exc.codespace}/{exc.code})") from None
    return action


def _out_of_range(action: Any) -> str:
    for field in dataclasses.fields(action):
        value = getattr(action, field.name)
        if isinstance(value, int) and not isinstance(value, bool) and not 0 <= value <= MAX_U64:
            return field.name
    return ""


def _mentioned(message: str, action: Any, names: dict[str, str]) -> str:
    """Return the flag whose value the chain's message quotes, or whose field it names ("offers_until ..."), or ""."""
    for field, flag in names.items():
        value = getattr(action, field)
        if isinstance(value, str) and value and repr(value) in message:
            return flag
    for field, flag in sorted(names.items(), key=lambda item: -len(item[0])):
        words = {field, field.replace("_", " "), field.removesuffix("_id"), field.removesuffix("_hash")}
        if any(re.search(rf"\b{re.escape(w)}\b", message, re.IGNORECASE) for w in words if w):
            return flag
    return ""

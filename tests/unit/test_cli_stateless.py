"""``samen tx`` checks a message before signing with the handler module of its kind alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from abci_app.chain import components, messages
from abci_app.tools.cli.stateless import stateless_check

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("kind", list(messages.KINDS))
def test_each_kind_resolves_to_the_very_check_the_router_holds(kind):
    assert stateless_check(kind) is components.ROUTER[messages.KINDS[kind]][0]


def test_checking_a_transfer_loads_one_handler_module_and_not_the_router():
    probe = (
        "import sys\n"
        "from abci_app.chain.context import TxContext\n"
        "from abci_app.chain.domain.params import Params\n"
        "from abci_app.chain.domain.accounts.messages import Transfer\n"
        "from abci_app.tools.cli import validate\n"
        "validate.checked(Transfer('samen1l3f0p8d5v3um5rfrq3p2f55cnxacmuqtwtu9el', 5, ''), {},"
        " TxContext('', 0, 0, '', b'', Params()))\n"
        "print(sorted(m for m in sys.modules if m.endswith('.handlers') or m == 'abci_app.chain.components'))\n")
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['abci_app.chain.domain.accounts.handlers']"

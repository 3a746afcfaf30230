"""A one-validator development chain with funded, named test keys.

``ensure_devnet`` initializes the home once: four unencrypted (clearly labelled
test) keys ``alice``, ``bob``, ``carol`` and ``dave`` in ``<home>/keyring``, each
funded with ``DEV_BALANCE`` at genesis, fast blocks.  Later calls reuse the home
and its keys.
"""

from __future__ import annotations

from pathlib import Path

from abci_app.tools.client.keyring import KeyInfo, Keyring
from abci_app.tools.client.signer import Signer
from abci_app.tools.node.home import NodeOptions, init_home, is_initialized

DEV_KEYS = ("alice", "bob", "carol", "dave")
DEV_BALANCE = 1_000_000_000
DEV_CHAIN_ID = "samen-devnet"
DEV_TIMEOUT_COMMIT = "500ms"


def keyring_dir(home: Path) -> Path:
    return home / "keyring"


def ensure_devnet(home: Path, rpc_port: int = 26657, p2p_port: int = 26656,
                  graphql_port: int = 8080) -> tuple[bool, list[KeyInfo]]:
    """Initialize ``home`` as a devnet unless it already is; return ``(created, dev keys)``."""
    keyring = Keyring(keyring_dir(home))
    if is_initialized(home):
        return False, [keyring.info(name) for name in DEV_KEYS if keyring.exists(name)]
    infos = []
    for name in DEV_KEYS:
        if keyring.exists(name):
            infos.append(keyring.info(name))
        else:
            infos.append(keyring.add(name, Signer.generate(), passphrase=None))
    options = NodeOptions(chain_id=DEV_CHAIN_ID, moniker="samen-devnet", rpc_port=rpc_port, p2p_port=p2p_port,
                          timeout_commit=DEV_TIMEOUT_COMMIT, create_empty_blocks=False,
                          create_empty_blocks_interval="30s", graphql_port=graphql_port,
                          accounts=tuple((info.address, DEV_BALANCE) for info in infos))
    init_home(home, options)
    return True, infos

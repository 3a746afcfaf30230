"""Bounded disk: which blocks CometBFT may delete (``retain_height`` at Commit) and how long app versions live.

``Retention(blocks, evidence_blocks)``: with ``blocks == 0`` every block is kept
(``retain_height`` 0, CometBFT's "keep everything").  Otherwise the node keeps the
last ``window = max(blocks, evidence_blocks)`` blocks, so evidence of misbehaviour
within the consensus evidence age (genesis ``consensus_params.evidence.max_age_num_blocks``)
can still be verified, and never deletes blocks at or above its oldest state-sync
snapshot, whose height a joining node's light client must verify.  The app's own
versions follow the same window (``versions_kept``).  docs/operations.md, section 5.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Retention:
    blocks: int = 0            # 0: keep every block
    evidence_blocks: int = 0   # the chain's evidence max age, in blocks

    @property
    def window(self) -> int:
        return max(self.blocks, self.evidence_blocks)

    def retain_height(self, height: int, oldest_snapshot: int | None = None) -> int:
        """The lowest height CometBFT must keep after committing ``height`` (0: keep everything)."""
        if self.blocks <= 0:
            return 0
        retain = height - self.window + 1
        if oldest_snapshot is not None:
            retain = min(retain, oldest_snapshot)
        return max(0, retain)

    def versions_kept(self, configured: int) -> int:
        """How many heights of app versions to keep: at most the block window when blocks are pruned."""
        return configured if self.blocks <= 0 else max(1, min(configured, self.window))


def evidence_age_blocks(genesis_path: Path) -> int:
    """``consensus_params.evidence.max_age_num_blocks`` of a genesis file (0 if absent or unreadable)."""
    try:
        doc = json.loads(genesis_path.read_text())
        return int(doc["consensus_params"]["evidence"]["max_age_num_blocks"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0

"""The node-side switch to "the next version": ``SAMEN_UPGRADE_PLUGINS=tests.support.upgrade_next_plugin`` (docs/upgrades.md)."""

from tests.support import upgrade_next

upgrade_next.install()

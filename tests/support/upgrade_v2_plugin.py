"""The node-side switch to "version 2": ``SAMEN_UPGRADE_PLUGINS=tests.support.upgrade_v2_plugin`` (docs/upgrades.md)."""

from tests.support import upgrade_v2

upgrade_v2.install()

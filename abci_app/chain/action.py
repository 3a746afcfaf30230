"""The ``Action`` type hint, in a module of its own so message modules can import it
without importing the ``ACTIONS`` registry (which imports them)."""


class Action:
    """Type hint for a field that holds any action message (e.g. a proposal's actions)."""

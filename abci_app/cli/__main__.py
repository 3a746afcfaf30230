"""``python -m abci_app.cli``: the same as the ``samen`` console script."""

import sys

from abci_app.cli.main import main

sys.exit(main())

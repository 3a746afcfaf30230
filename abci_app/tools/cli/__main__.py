"""``python -m abci_app.tools.cli``: the same as the ``samen`` console script."""

import sys

from abci_app.tools.cli.main import main

sys.exit(main())

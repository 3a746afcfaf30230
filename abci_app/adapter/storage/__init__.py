"""Node-local storage: the LMDB store, state-sync snapshots and restore, state export."""

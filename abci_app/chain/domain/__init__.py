"""Domain concepts, one package each with the same shape: messages, keys, state, handlers."""

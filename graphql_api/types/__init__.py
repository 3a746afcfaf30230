"""GraphQL types, one module per concept; each module's ``*Queries`` type is merged into Query."""

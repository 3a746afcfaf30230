"""Agreements: escrowed milestones between a requester and a provider, disputes, cancellation, ratings."""

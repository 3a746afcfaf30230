"""Requests (vraag), offers (aanbod) and standing offers; accepting one makes an agreement."""

"""graphql-transport-ws with Samen's caps on connections and operations (``limits.Caps``).

* A connection over ``[graphql] max_connections`` (all clients) or
  ``max_connections_per_client`` (one address) is accepted and at once closed with
  code ``1013`` ("try again later", RFC 6455 registry) and a reason naming the cap.
* An operation (subscription, or a query or mutation sent over the socket) over
  ``max_subscriptions`` or ``max_subscriptions_per_client`` is answered with the
  protocol's ``error`` message for its id (``extensions.code = "LIMIT_EXCEEDED"``);
  the connection and its other operations go on.  The per-connection cap
  (``max_subscriptions_per_connection``) is Strawberry's own, answered the same way.

Every slot taken is given back when its connection or operation ends, however it ends.
"""

from __future__ import annotations

from graphql import GraphQLError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler

from graphql_api.limits import client_key

TRY_AGAIN_LATER = 1013


class LimitedTransportWS(BaseGraphQLTransportWSHandler):
    """Strawberry's graphql-transport-ws handler, counting connections and operations per client."""

    async def handle(self) -> None:
        limits = self.context.services.limits
        self.client = client_key(self.context.request)
        refusal = limits.connections.acquire(self.client)
        if refusal is not None:
            limits.refused("connection")
            await self.websocket.close(code=TRY_AGAIN_LATER, reason=refusal[:120])
            return
        try:
            await super().handle()
        finally:
            limits.connections.release(self.client)

    async def handle_subscribe(self, message) -> None:
        operations = self.context.services.limits.operations
        before = self.operations.get(message["id"])
        refusal = operations.acquire(self.client)
        if refusal is not None:
            self.context.services.limits.refused("operation")
            error = GraphQLError(refusal, extensions={"code": "LIMIT_EXCEEDED", "retryable": True})
            await self.send_message({"id": message["id"], "type": "error", "payload": [error.formatted]})
            return
        await super().handle_subscribe(message)
        started = self.operations.get(message["id"])
        if started is None or started is before or started.task is None:
            operations.release(self.client)      # refused by Strawberry (duplicate id, per-connection cap)
            return
        client = self.client
        started.task.add_done_callback(lambda _task: operations.release(client))

"""The Strawberry schema: Query merged from the per-concept ``*Queries`` types.

Field names are camelCase, except The Graph's filter suffixes, which keep their
underscore (``numTxs_gte``, ``signer_in``).  Build the schema once per process.
"""

from __future__ import annotations

from pathlib import Path

import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.name_converter import NameConverter
from strawberry.tools import merge_types
from strawberry.utils.str_converters import to_camel_case

from graphql_api import extensions
from graphql_api.execution import SamenSchema
from graphql_api.types.accounts import AccountQueries
from graphql_api.types.agreements import AgreementQueries
from graphql_api.types.blocks import BlockQueries
from graphql_api.types.common import SCALARS
from graphql_api.types.broadcast import Mutation
from graphql_api.types.events import EventQueries
from graphql_api.types.counts import CountQueries
from graphql_api.types.friction import FrictionQueries
from graphql_api.types.lightblock import LightBlockQueries
from graphql_api.types.market import MarketQueries
from graphql_api.types.meta import MetaQueries
from graphql_api.types.organizations import OrganizationQueries
from graphql_api.types.owned_documents import OwnedDocumentQueries
from graphql_api.types.proposals import ProposalQueries
from graphql_api.types.delegation import DelegationQueries
from graphql_api.types.roles import RoleQueries
from graphql_api.types.streams import StreamQueries
from graphql_api.types.suborgs import SubOrganizationQueries
from graphql_api.types.subscriptions import Subscription
from graphql_api.types.transactions import TransactionQueries
from graphql_api.types.upgrades import UpgradeQueries
from graphql_api.types.validators import ValidatorQueries
from graphql_api.types.works import WorksQueries

SCHEMA_FILE = Path(__file__).with_name("schema.graphql")
SUFFIXES = ("_not_in", "_contains", "_not", "_gte", "_lte", "_gt", "_lt", "_in")

Query = merge_types("Query", (MetaQueries, BlockQueries, TransactionQueries, EventQueries, AccountQueries,
                              ValidatorQueries, OrganizationQueries, ProposalQueries, AgreementQueries,
                              FrictionQueries, MarketQueries, WorksQueries, StreamQueries, UpgradeQueries,
                              DelegationQueries, RoleQueries, SubOrganizationQueries, LightBlockQueries,
                              CountQueries, OwnedDocumentQueries))


class FilterNames(NameConverter):
    """camelCase names that keep The Graph's ``_gt``-style filter suffixes."""

    def apply_naming_config(self, name: str) -> str:
        if name.startswith("_"):
            return name
        for suffix in SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix):
                return to_camel_case(name[: -len(suffix)]) + suffix
        return to_camel_case(name)


def build_schema(config) -> strawberry.Schema:
    """Return the schema with ``config``'s limits (queries run in worker threads: ``execution.py``)."""
    return SamenSchema(query=Query, mutation=Mutation, subscription=Subscription,
                             extensions=extensions.factories(config),
                             config=StrawberryConfig(name_converter=FilterNames(), scalar_map=SCALARS,
                                                     batching_config={"max_operations": config.max_batch}))


def sdl(schema: strawberry.Schema) -> str:
    """Return the schema's SDL as committed in ``schema.graphql``."""
    return str(schema) + "\n"

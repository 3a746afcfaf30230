"""``upgrade``: the chain's app version, its pending upgrade plan and the upgrades applied (docs/upgrades.md)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from abci_app.chain.domain.upgrades import state as upgrades


@strawberry.type(name="UpgradePlan")
class UpgradePlan:
    name: str
    height: int = strawberry.field(description="the block at which nodes switch software")
    info: str


@strawberry.type(name="AppliedUpgrade")
class AppliedUpgrade:
    name: str
    height: int


@strawberry.type(name="UpgradeStatus")
class UpgradeStatus:
    app_version: int = strawberry.field(description="the state machine version the chain runs")
    plan: UpgradePlan | None = strawberry.field(description="the pending upgrade, if any")
    applied: list[AppliedUpgrade]


@strawberry.type
class UpgradeQueries:
    @strawberry.field(description="Software upgrades decided on chain, at the latest committed block")
    def upgrade(self, info: Info) -> UpgradeStatus:
        with info.context.read() as reader:
            state = reader.state
            plan = upgrades.plan(state)
            return UpgradeStatus(app_version=upgrades.app_version(state),
                                 plan=None if plan is None else UpgradePlan(name=plan.name, height=plan.height,
                                                                            info=plan.info),
                                 applied=[AppliedUpgrade(name=n, height=h) for n, h in upgrades.applied(state)])

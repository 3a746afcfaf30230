"""Registration of the market family (documents, market, agreements, projects) for ``abci_app.chain.components``.

One place lists every message with its two handler phases, the block hooks in
order and the genesis section, so ``components.py`` needs only a few lines.
"""

from __future__ import annotations

from abci_app.chain.domain.agreements import cancel, handlers as agr, messages as agr_msgs, settle
from abci_app.chain.domain.documents import handlers as docs, messages as docs_msgs
from abci_app.chain.domain.market import handlers as mkt, messages as mkt_msgs, params, queries, standing
from abci_app.chain.domain.projects import handlers as prj, messages as prj_msgs

HANDLERS = {
    docs_msgs.PublishDocument: (docs.check_stateless_publish, docs.check_and_execute_publish),
    docs_msgs.AttachDocument: (docs.check_stateless_attach, docs.check_and_execute_attach),
    mkt_msgs.PostRequest: (mkt.check_stateless_post_request, mkt.check_and_execute_post_request),
    mkt_msgs.WithdrawRequest: (mkt.check_stateless_withdraw_request, mkt.check_and_execute_withdraw_request),
    mkt_msgs.MakeOffer: (mkt.check_stateless_make_offer, mkt.check_and_execute_make_offer),
    mkt_msgs.WithdrawOffer: (mkt.check_stateless_withdraw_offer, mkt.check_and_execute_withdraw_offer),
    mkt_msgs.AcceptOffer: (mkt.check_stateless_accept_offer, mkt.check_and_execute_accept_offer),
    mkt_msgs.PublishStandingOffer: (standing.check_stateless_publish, standing.check_and_execute_publish),
    mkt_msgs.WithdrawStandingOffer: (standing.check_stateless_withdraw, standing.check_and_execute_withdraw),
    mkt_msgs.TakeStandingOffer: (standing.check_stateless_take, standing.check_and_execute_take),
    agr_msgs.DeliverMilestone: (agr.check_stateless_deliver, agr.check_and_execute_deliver),
    agr_msgs.AcceptMilestone: (agr.check_stateless_accept, agr.check_and_execute_accept),
    agr_msgs.ReclaimMilestone: (agr.check_stateless_reclaim, agr.check_and_execute_reclaim),
    agr_msgs.DisputeMilestone: (agr.check_stateless_dispute, agr.check_and_execute_dispute),
    agr_msgs.ResolveDispute: (agr.check_stateless_resolve, agr.check_and_execute_resolve),
    agr_msgs.CancelAgreement: (cancel.check_stateless_cancel, cancel.check_and_execute_cancel),
    agr_msgs.RateAgreement: (agr.check_stateless_rate, agr.check_and_execute_rate),
    prj_msgs.CreateProject: (prj.check_stateless_create, prj.check_and_execute_create),
    prj_msgs.FundProject: (prj.check_stateless_fund, prj.check_and_execute_fund),
    prj_msgs.WithdrawProjectBudget: (prj.check_stateless_withdraw_budget, prj.check_and_execute_withdraw_budget),
    prj_msgs.OfferProject: (prj.check_stateless_offer, prj.check_and_execute_offer),
    prj_msgs.WithdrawProjectOffer: (prj.check_stateless_withdraw_offer, prj.check_and_execute_withdraw_offer),
    prj_msgs.AcceptProject: (prj.check_stateless_accept, prj.check_and_execute_accept),
}

# Requests expire before agreements settle, then project transfer offers expire.
END_BLOCK = (mkt.end_block, settle.end_block, prj.end_block)

GENESIS = {"market": params.init_genesis}

QUERIES = queries.QUERIES

"""The composition root: where the parts of Clearway that must not know each other meet.

`build_context` makes a `Context` from settings: storage, the reference-data cache, the token
cache, and the engine's knowledge cache fed by the rule sources (`rule_components`): active
profiles, IPR applications, the dual-use list, restricted-party lists, valuation references,
ENS rules, the weights of pre-arrival alarms and the promoted learned model. Only this
module imports those domains together; `risk` and `context` import none of them.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Hashable

from sqlalchemy.orm import Session

from clearway.agencies.cache import MatrixCache
from clearway.assistance import inbound as assistance_inbound
from clearway.assistance import messages as assistance_messages
from clearway.assistance.model import ACTION_REPLY as ASSISTANCE_REPLY
from clearway.assistance.model import ACTION_REQUEST as ASSISTANCE_REQUEST
from clearway.audit.repository import bind_settings
from clearway.clock import Clock, SystemClock
from clearway.config import Settings
from clearway.context import Context
from clearway.dualuse import repository as dualuse_repo
from clearway.dualuse.matcher import DualUseList
from clearway.exchange.inbound import Handlers, Incoming
from clearway.feedback.findings import record_finding_in
from clearway.ipr import repository as ipr_repo
from clearway.ipr.matcher import IprRegister
from clearway.mirror.model import ACTION as MIRROR_ACTION
from clearway.mirror.model import MirrorAggregates
from clearway.mirror.receiving import receive_aggregates
from clearway.partnerships import repository as partnerships_repo
from clearway.prearrival import alarm_repository as alarms_repo
from clearway.prearrival.arrivals import receive_announcement
from clearway.prearrival.exits import receive_confirmation
from clearway.prearrival.payload import ACTION as ARRIVAL_ACTION
from clearway.prearrival.payload import ACTION_CONFIRMATION, AnticipatedArrival, ExitConfirmation
from clearway.prearrival.ruleset import ArrivalAlarmRules
from clearway.privacy.corrections import Readers, receive_correction
from clearway.privacy.model import CORRECTION
from clearway.profiles import repository as profiles_repo
from clearway.progress import messages as progress_messages
from clearway.refdata.service import RefDataCache
from clearway.risk.engine.assess import RuleSet, Scorer
from clearway.risk.engine.ens import EnsRules
from clearway.risk.engine.memberships import Memberships
from clearway.risk.knowledge import AGENCY_RULES, MEMBERSHIPS, Component, KnowledgeCache
from clearway.risk.learning import promoted
from clearway.screening import repository as screening_repo
from clearway.screening.matcher import Screener
from clearway.screening.ruleset import PartyScreening
from clearway.storage.db import READ_ONLY, make_engine
from clearway.storage.unit_of_work import session_factory
from clearway.users.model import TokenCache
from clearway.valuation import repository as valuation_repo
from clearway.valuation.model import ValuationRule


def build_context(settings: Settings, clock: Clock | None = None,
                  rng: random.Random | None = None) -> Context:
    engine = make_engine(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    reader = engine.execution_options(**{READ_ONLY: True})
    read_sessions = session_factory(reader)
    refdata = RefDataCache(read_sessions)
    ctx = Context(settings=settings, engine=engine, sessions=session_factory(engine),
                  read_sessions=read_sessions, refdata=refdata,
                  risk=KnowledgeCache(read_sessions, settings, rule_components(),
                                      refdata=refdata.get),
                  tokens=TokenCache(settings.token_cache_seconds),
                  matrix=MatrixCache(read_sessions),
                  clock=clock or SystemClock(), rng=rng or random.Random())
    bind_audit(ctx)
    return ctx


def bind_audit(ctx: Context) -> None:
    """Audit appends and checkpoints of the context's sessions use its settings (key,
    interval), not the process environment's: one process may hold several contexts. Bind
    again after replacing `ctx.settings`."""
    bind_settings(ctx.sessions, ctx.settings)


def rule_components() -> list[Component]:
    """What the engine's knowledge is built from. The cache takes the part named "model" as
    the scorer, the "agency_profiles" part as the agencies' own rule sets (kept out of
    customs' assessment), the "mou_memberships" part as the traders' MoU memberships (read
    into the item frame), the others as rule sets in this order, and the "valuation" part's
    references for the item frame."""
    return [
        Component("model", _model_signature, _model),
        Component("profiles", _session_only(profiles_repo.signature), _profiles),
        Component(AGENCY_RULES, _session_only(profiles_repo.signature), _agency_profiles),
        Component("ipr", _session_only(ipr_repo.signature), _ipr),
        Component("dual_use", _session_only(dualuse_repo.signature), _dual_use),
        Component("screening", _session_only(screening_repo.signature), _screening),
        Component("valuation", _session_only(valuation_repo.signature), _valuation),
        Component("ens", _unchanging, _ens),
        Component("arrival_alarms", _session_only(alarms_repo.weights_signature),
                  _arrival_alarms),
        Component(MEMBERSHIPS, _session_only(partnerships_repo.signature), _memberships),
    ]


def _session_only(signature: Callable[[Session], Hashable]
                  ) -> Callable[[Session, Settings], Hashable]:
    return lambda session, _settings: signature(session)


def _unchanging(session: Session, settings: Settings) -> Hashable:
    return 0


def _model_signature(session: Session, settings: Settings) -> Hashable:
    return promoted.signature(settings.model_dir)


def _model(session: Session, cache: KnowledgeCache) -> Scorer | None:
    refdata = cache.refdata() if cache.refdata else None
    return promoted.scorer(session, cache.settings.model_dir, refdata)


def _profiles(session: Session, cache: KnowledgeCache) -> RuleSet | None:
    return profiles_repo.active_set(session)


def _agency_profiles(session: Session, cache: KnowledgeCache) -> dict[str, RuleSet]:
    return dict(profiles_repo.agency_sets(session))


def _ipr(session: Session, cache: KnowledgeCache) -> RuleSet | None:
    applications = ipr_repo.active(session)
    return IprRegister(applications) if applications else None


def _dual_use(session: Session, cache: KnowledgeCache) -> RuleSet | None:
    found = dualuse_repo.entries(session)
    return DualUseList(found) if found else None


def _screening(session: Session, cache: KnowledgeCache) -> RuleSet | None:
    entries = screening_repo.load_entries(session)
    if not entries:
        return None
    rules = PartyScreening(Screener(entries))
    previous = cache.previous("screening")
    if isinstance(previous, PartyScreening):   # keep the answers the list change cannot touch
        rules.carry(previous)
    return rules


def _valuation(session: Session, cache: KnowledgeCache) -> RuleSet | None:
    """The low-value rule over the stored references (None: no reference yet); the cache
    fills the item frame's reference columns from the same lookup."""
    found = valuation_repo.load_references(session)
    return ValuationRule(references=found) if found.height else None


def _ens(session: Session, cache: KnowledgeCache) -> RuleSet:
    return EnsRules.load(cache.settings.ens_rules_file)


def _arrival_alarms(session: Session, cache: KnowledgeCache) -> RuleSet:
    """Pre-arrival alarms, weighed as analysts set them (always present: it finds nothing
    in a frame without alarms)."""
    return ArrivalAlarmRules(alarms_repo.stored_weights(session))


def _memberships(session: Session, cache: KnowledgeCache) -> Memberships:
    """Traders' MoU memberships, read into the item frame (`mou_member`, `mou_codes`)."""
    return partnerships_repo.memberships(session)


def message_handlers() -> Handlers:
    """What each type of message received from a partner becomes (see `exchange.inbound`)."""
    return {ACTION_CONFIRMATION: receive_confirmation, MIRROR_ACTION: receive_aggregates,
            ARRIVAL_ACTION: receive_announcement,
            ASSISTANCE_REQUEST: assistance_inbound.receive_request,
            ASSISTANCE_REPLY: _assistance_reply, CORRECTION: _correction,
            progress_messages.ACTION: progress_messages.receive_report}


# Each type's strict reader: a partner's rectification must leave a message that still reads.
_READERS: Readers = {
    ARRIVAL_ACTION: AnticipatedArrival.from_payload,
    ACTION_CONFIRMATION: ExitConfirmation.from_payload,
    MIRROR_ACTION: MirrorAggregates.from_payload,
    ASSISTANCE_REQUEST: assistance_messages.read_request,
    ASSISTANCE_REPLY: assistance_messages.read_reply,
}


def _correction(session: Session, settings: Settings, message: Incoming) -> None:
    receive_correction(session, settings, message, _READERS)


def _assistance_reply(session: Session, settings: Settings, message: Incoming) -> None:
    """A partner's reply; a verification that finds one of our declarations irregular
    becomes its label, in the same transaction (mutual assistance and the label store meet
    here, neither knowing the other)."""
    found = assistance_inbound.receive_reply(session, settings, message)
    if found is not None and found.officer_id is not None:
        record_finding_in(session, mrn=found.mrn, irregularity=found.irregularity,
                          officer_id=found.officer_id, note=found.answer,
                          actor=f"partner:{found.partner}", now=message.received_at)

"""Claims tracking (docs/rules.md#claims-assistance, docs/rules.md#hospital-days): register an incident for an insured person,
report it to the insurer, tick off the documents, follow the status to paid or declined and closed.

Every step is one transaction that updates the claim (old and new values in the change log) and
appends a ``claim_event`` with the acting user, so the timeline shows who did what and when, and
both travel up in sync packages. The limits come from the product definition through
``fpdesk.core.claims``: the hospital-care days per person per policy year, the family's shared
medical pool (per enrollment, i.e. per family and policy year) and the person's split sum.

A claim's medical free text — the description, a refusal's reason, the notes typed at a step — is
sensitive personal information (PIPL art. 28). Reading it follows the rule for full ID numbers: a role
with ``pi.full`` (reviewer, administrator) sees it, and each such view of what someone else wrote is
logged; any other role sees ``pi_masking.MEDICAL_HIDDEN`` instead, except for the text that user typed
on this installation (a clerk reads back the claim they registered, not their colleagues'). A database
without user accounts shows everything, as before accounts. Amounts, days, dates, statuses and the
document checklist are the work itself and stay visible; writing is not affected.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from fpdesk.core import claims as rules
from fpdesk.core.changes import ChangeSet
from fpdesk.core.enrollment_states import IN_FORCE
from fpdesk.core.errors import DomainError
from fpdesk.core.idnumber import mask
from fpdesk.core.ids import new_id
from fpdesk.core.products import Liability, Product, find_product
from fpdesk.services.enrollment.product_catalog import office_catalog
from fpdesk.services.permissions import allows, require
from fpdesk.services.records import apply_changes, find_person
from fpdesk.services.trust.audit import log_access
from fpdesk.services.trust.pi_masking import hide_medical
from fpdesk.services.workspace import Workspace, WriteContext
from fpdesk.storage.schema import ChangeEntry, Division, Household, Person
from fpdesk.storage.schema_claims import Claim, ClaimEvent
from fpdesk.storage.schema_enrollment import Enrollment, InsuredPerson
from fpdesk.storage.sequences import format_number, next_number

CLAIM_SERIES = "claim"
CLAIM_FIELDS = ("claim_no", "person_id", "insured_person_id", "enrollment_id", "household_id", "division_code",
                "product_code", "policy_year", "kind", "liability_kind", "incident_on", "description",
                "reported_on", "report_number", "status", "status_on", "documents", "hospital_days",
                "days_payable", "claimed_fen", "paid_fen", "paid_on", "closed_on", "decline_reason",
                "green_channel", "home_visit", "note")
# Timeline notes the services compose themselves (a report number, the documents received, the flags):
# work facts every reader sees. Every other event's note is free text someone typed, hidden like the
# description (an unknown action too: hiding is the safe side).
GENERATED_NOTES = frozenset({"reported", "documents", "flags"})


@dataclass
class ClaimResult(ChangeSet):
    claim_id: uuid.UUID | None = None
    claim_no: str = ""


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def _not_after_today(day: dt.date, today: dt.date, label: tuple[str, str]) -> None:
    if day > today:
        raise DomainError("claim_date_order", {"earlier_zh": label[0], "later_zh": "今天",
                                               "earlier_en": label[1].capitalize(), "later_en": "today"})


def find_cover(session, person: Person, incident_on: dt.date, kind: str, product: str | None,
               products: Mapping[str, Product]):
    """The insured row and enrollment covering ``person`` on ``incident_on`` for a claim of ``kind``."""
    query = (select(InsuredPerson, Enrollment).join(Enrollment, Enrollment.id == InsuredPerson.enrollment_id)
             .where(InsuredPerson.person_id == person.id, Enrollment.status.in_(sorted(IN_FORCE)),
                    Enrollment.period_start <= incident_on, Enrollment.period_end >= incident_on,
                    InsuredPerson.added_on < incident_on)
             .order_by(Enrollment.period_start.desc()))
    if product:
        query = query.where(Enrollment.product_code == product)
    candidates = [(insured, enrollment) for insured, enrollment in session.execute(query)
                  if insured.removed_on is None or insured.removed_on >= incident_on]
    covering = [c for c in candidates if kind == "other" or rules.liability_for(
        find_product(products, c[1].product_code), kind) is not None]
    if not covering:
        if candidates and product:
            raise DomainError("claim_kind_not_covered", {"product": find_product(products, product).name_zh,
                                                         "kind": rules.kind_label(kind),
                                                         "kind_en": rules.kind_label(kind, "en")})
        raise DomainError("claim_not_insured", {"name": person.name, "date": incident_on.isoformat(),
                                                "product": find_product(products, product).name_zh if product else "保险"})
    return covering[0]


def _person_sum(insured: InsuredPerson, liability: Liability) -> int | None:
    for cover in insured.sums_insured or []:
        if cover.get("kind") == liability.kind and cover.get("split") != "shared_pool":
            return cover.get("amount_fen")
    return None


def _liability_of(claim: Claim, products: Mapping[str, Product]) -> Liability | None:
    if not claim.liability_kind:
        return None
    return find_product(products, claim.product_code).liability(claim.liability_kind)


def limit_of(session, claim: Claim, products: Mapping[str, Product], *,
             exclude_self: bool = True) -> rules.Limit | None:
    """What the claim's liability has left, counting every other claim that still holds a part of it."""
    liability = _liability_of(claim, products)
    if liability is None:
        return None
    others = [Claim.status.not_in(sorted(rules.RELEASED)), Claim.liability_kind == liability.kind]
    if exclude_self:
        others.append(Claim.id != claim.id)
    if liability.split == "per_day":
        used_days = session.scalar(select(func.coalesce(func.sum(Claim.days_payable), 0)).where(
            Claim.person_id == claim.person_id, Claim.product_code == claim.product_code,
            Claim.policy_year == claim.policy_year, *others)) or 0
        return rules.day_limit(liability, int(used_days))
    paid = func.coalesce(func.sum(Claim.paid_fen), 0)
    asked = func.coalesce(func.sum(Claim.claimed_fen), 0)
    if liability.split == "shared_pool":
        scope = [Claim.enrollment_id == claim.enrollment_id, *others]
        person_sum = None
    else:
        scope = [Claim.insured_person_id == claim.insured_person_id, *others]
        insured = session.get(InsuredPerson, claim.insured_person_id)
        person_sum = _person_sum(insured, liability) if insured else None
    used = session.scalar(select(paid).where(*scope, Claim.status.in_((rules.PAID, rules.CLOSED)))) or 0
    pending = session.scalar(select(asked).where(*scope, Claim.status.in_(sorted(rules.OPEN)))) or 0
    return rules.sum_limit(liability, person_sum, int(used), int(pending))


def _event(ctx: WriteContext, claim: Claim, action: str, on: dt.date, note: str, author: str) -> None:
    row = ClaimEvent(id=new_id(), claim_id=claim.id, happened_on=on, action=action, status=claim.status,
                     note=note, author=author, revision=1)
    ctx.session.add(row)
    ctx.recorder.record("claim_event", row.id, "insert", {
        "claim_id": claim.id, "happened_on": on, "action": action, "status": claim.status, "note": note,
        "author": author}, 1)


def register_claim(workspace: Workspace, *, person: str | uuid.UUID, kind: str, incident_on: dt.date,
                   product: str | None = None, description: str = "", hospital_days: int = 0,
                   claimed_fen: int = 0, green_channel: bool = False, home_visit: bool = False,
                   reported_on: dt.date | None = None, report_number: str | None = None,
                   today: dt.date | None = None) -> ClaimResult:
    """Register an incident (出险登记); with a report date and number it is reported (报案) at once."""
    require(workspace, "claims.write")
    rules.check_kind(kind)
    today = _today(today)
    _not_after_today(incident_on, today, ("出险日期", "the incident date"))
    if hospital_days < 0 or claimed_fen < 0:
        raise DomainError("bad_argument", {"detail": "住院天数和金额不能为负数"})
    office = workspace.require_office()
    result = ClaimResult()
    with workspace.write() as ctx:
        person_row = find_person(ctx.session, person)
        products = office_catalog(workspace, ctx.session).products
        insured, enrollment = find_cover(ctx.session, person_row, incident_on, kind, product, products)
        product_row = find_product(products, enrollment.product_code)
        liability = rules.liability_for(product_row, kind)
        household = ctx.session.get(Household, person_row.household_id)
        division_code = ctx.session.scalar(select(Division.code).where(Division.id == household.division_id))
        if enrollment.channel == "unit" and enrollment.unit_division_id:
            division_code = ctx.session.scalar(select(Division.code).where(
                Division.id == enrollment.unit_division_id))
        number = next_number(ctx.session, office_code=office.code, series=CLAIM_SERIES, year=incident_on.year)
        claim = Claim(id=new_id(), claim_no=format_number(office.code, incident_on.year, number, width=5),
                      person_id=person_row.id, insured_person_id=insured.id, enrollment_id=enrollment.id,
                      household_id=household.id, division_code=division_code, product_code=enrollment.product_code,
                      policy_year=enrollment.policy_year, kind=kind,
                      liability_kind=liability.kind if liability else None, incident_on=incident_on,
                      description=" ".join(description.split()), reported_on=None, report_number=None,
                      status=rules.REGISTERED, status_on=today, documents=[], hospital_days=hospital_days,
                      days_payable=0, claimed_fen=claimed_fen, paid_fen=0, paid_on=None, closed_on=None,
                      decline_reason="", green_channel=green_channel, home_visit=home_visit, note="", revision=1)
        if liability is not None and liability.split == "per_day":
            limit = limit_of(ctx.session, claim, products)
            claim.days_payable, claim.claimed_fen = rules.hospital_claim(liability, limit.used_days or 0,
                                                                         hospital_days)
        ctx.session.add(claim)
        ctx.recorder.record("claim", claim.id, "insert", {k: getattr(claim, k) for k in CLAIM_FIELDS}, 1)
        _event(ctx, claim, "registered", today, claim.description, workspace.author)
        if reported_on is not None or report_number:
            _report(ctx, claim, reported_on, report_number, today, workspace.author)
        result.claim_id, result.claim_no = claim.id, claim.claim_no
        result.primary_id = claim.id
    return result


def _report(ctx: WriteContext, claim: Claim, reported_on: dt.date | None, report_number: str | None,
            today: dt.date, author: str) -> None:
    number = (report_number or "").strip()
    if reported_on is None or not number:
        raise DomainError("claim_report_missing")
    _not_after_today(reported_on, today, ("报案日期", "the report date"))
    if reported_on < claim.incident_on:
        raise DomainError("claim_date_order", {"later_zh": "报案日期", "earlier_zh": "出险日期",
                                               "later_en": "the report date", "earlier_en": "The incident date"})
    rules.check_transition(claim.status, rules.REPORTED)
    apply_changes(ctx, "claim", claim, {"reported_on": reported_on, "report_number": number,
                                        "status": rules.REPORTED, "status_on": reported_on})
    _event(ctx, claim, "reported", reported_on, f"报案号 {number}", author)


def find_claim(session, ref: str | uuid.UUID, *, lock: bool = True) -> Claim:
    """A claim by id or claim number; ``lock`` (for writes) holds the row until the transaction ends."""
    if isinstance(ref, uuid.UUID):
        row = session.get(Claim, ref, with_for_update=lock)
    else:
        query = select(Claim).where(Claim.claim_no == str(ref).strip())
        row = session.scalar(query.with_for_update() if lock else query)
        if row is None:
            try:
                row = session.get(Claim, uuid.UUID(str(ref).strip()), with_for_update=lock)
            except ValueError:
                row = None
    if row is None:
        raise DomainError("claim_not_found", {"value": str(ref)})
    return row


def _step(workspace: Workspace, ref, action) -> ChangeSet:
    with workspace.write() as ctx:
        claim = find_claim(ctx.session, ref)
        action(ctx, claim)
        ctx.result.primary_id = claim.id
    return ctx.result


def report_claim(workspace: Workspace, ref, *, reported_on: dt.date, report_number: str,
                 today: dt.date | None = None) -> ChangeSet:
    require(workspace, "claims.write")
    return _step(workspace, ref, lambda ctx, claim: _report(ctx, claim, reported_on, report_number,
                                                            _today(today), workspace.author))


def set_documents(workspace: Workspace, ref, documents, *, on: dt.date | None = None) -> ChangeSet:
    """Record which checklist documents have been received (the whole list, in any order)."""
    require(workspace, "claims.write")
    def action(ctx, claim):
        received = rules.check_documents(claim.kind, documents)
        if apply_changes(ctx, "claim", claim, {"documents": received}):
            labels = "、".join(rules.DOCUMENT_LABELS[k][0] for k in received) or "无"
            _event(ctx, claim, "documents", _today(on), f"已收：{labels}", workspace.author)
    return _step(workspace, ref, action)


def set_flags(workspace: Workspace, ref, *, green_channel: bool | None = None, home_visit: bool | None = None,
              on: dt.date | None = None) -> ChangeSet:
    require(workspace, "claims.write")
    def action(ctx, claim):
        values = {}
        if green_channel is not None:
            values["green_channel"] = green_channel
        if home_visit is not None:
            values["home_visit"] = home_visit
        changed = apply_changes(ctx, "claim", claim, values)
        if changed:
            words = [f"{'绿色通道' if k == 'green_channel' else '上门服务'}：{'是' if v else '否'}"
                     for k, v in changed.items()]
            _event(ctx, claim, "flags", _today(on), "，".join(words), workspace.author)
    return _step(workspace, ref, action)


def advance(workspace: Workspace, ref, status: str, *, on: dt.date | None = None, note: str = "",
            today: dt.date | None = None) -> ChangeSet:
    """documents_complete (all documents in), submitted (sent to the insurer) or closed (办结)."""
    require(workspace, "claims.write")
    if status not in (rules.DOCUMENTS_COMPLETE, rules.SUBMITTED, rules.CLOSED):
        raise DomainError("bad_argument", {"detail": f"状态 {status}"})
    day = on or _today(today)

    def action(ctx, claim):
        rules.check_transition(claim.status, status)
        _not_after_today(day, _today(today), ("日期", "the date"))
        if status == rules.DOCUMENTS_COMPLETE:
            missing = rules.missing_documents(claim.kind, claim.documents or [])
            if missing:
                raise DomainError("claim_documents_missing", {
                    "missing": "、".join(rules.DOCUMENT_LABELS[k][0] for k in missing)})
        values: dict[str, Any] = {"status": status, "status_on": day}
        if status == rules.CLOSED:
            values["closed_on"] = day
        apply_changes(ctx, "claim", claim, values)
        _event(ctx, claim, status, day, " ".join(note.split()), workspace.author)
    return _step(workspace, ref, action)


def record_paid(workspace: Workspace, ref, *, paid_fen: int, paid_on: dt.date, note: str = "",
                today: dt.date | None = None) -> ChangeSet:
    """The insurer paid: the amount may not exceed what the claim may draw — a hospital stay's payable
    days × the daily rate, what is left of the family's pool or of the person's sum — else it is refused."""
    require(workspace, "claims.write")
    def action(ctx, claim):
        rules.check_transition(claim.status, rules.PAID)
        _not_after_today(paid_on, _today(today), ("赔付日期", "the payment date"))
        if claim.reported_on and paid_on < claim.reported_on:
            raise DomainError("claim_date_order", {"later_zh": "赔付日期", "earlier_zh": "报案日期",
                                                   "later_en": "the payment date", "earlier_en": "The report date"})
        if paid_fen <= 0:
            raise DomainError("bad_argument", {"detail": "赔付金额须大于零"})
        # a stay's payable days met the year's day counter when it was registered (see stay_limit)
        products = office_catalog(workspace, ctx.session).products
        liability = _liability_of(claim, products)
        if liability is not None and liability.split == "per_day":
            limit = rules.stay_limit(liability, claim.days_payable)
        else:
            limit = limit_of(ctx.session, claim, products)
        rules.check_paid_within(limit, paid_fen)
        apply_changes(ctx, "claim", claim, {"paid_fen": paid_fen, "paid_on": paid_on, "status": rules.PAID,
                                            "status_on": paid_on})
        _event(ctx, claim, "paid", paid_on, " ".join(note.split()), workspace.author)
    return _step(workspace, ref, action)


def decline(workspace: Workspace, ref, *, reason: str, on: dt.date | None = None,
            today: dt.date | None = None) -> ChangeSet:
    require(workspace, "claims.write")
    text = " ".join((reason or "").split())
    if not text:
        raise DomainError("reason_missing")
    day = on or _today(today)

    def action(ctx, claim):
        rules.check_transition(claim.status, rules.DECLINED)
        apply_changes(ctx, "claim", claim, {"status": rules.DECLINED, "status_on": day, "decline_reason": text})
        _event(ctx, claim, "declined", day, text, workspace.author)
    return _step(workspace, ref, action)


# -- reading --------------------------------------------------------------------------------------------


def _row_dict(claim: Claim, person: Person, names: dict[str, str]) -> dict[str, Any]:
    return {
        "id": str(claim.id), "claim_no": claim.claim_no, "person": person.name,
        "id_number": mask(person.id_number) if person.id_number else "", "division_code": claim.division_code,
        "division": names.get(claim.division_code, claim.division_code), "product": claim.product_code,
        "policy_year": claim.policy_year, "kind": claim.kind, "kind_zh": rules.kind_label(claim.kind),
        "incident_on": claim.incident_on.isoformat(),
        "reported_on": claim.reported_on.isoformat() if claim.reported_on else None,
        "report_number": claim.report_number, "status": claim.status, "status_zh": rules.status_label(claim.status),
        "status_on": claim.status_on.isoformat(), "claimed_fen": claim.claimed_fen, "paid_fen": claim.paid_fen,
        "paid_on": claim.paid_on.isoformat() if claim.paid_on else None, "hospital_days": claim.hospital_days,
        "days_payable": claim.days_payable, "green_channel": claim.green_channel, "home_visit": claim.home_visit,
    }


def list_claims(workspace: Workspace, *, status: str | None = None, kind: str | None = None,
                division: str | None = None, product: str | None = None, year: int | None = None,
                green_channel: bool | None = None, open_only: bool = False, text: str | None = None,
                limit: int | None = None) -> list[dict[str, Any]]:
    """Claims, newest incident first, filtered by status, kind, division (code prefix), product, policy
    year, green channel, still open, or a name / claim number / report number fragment."""
    query = select(Claim, Person).join(Person, Person.id == Claim.person_id)
    if status:
        query = query.where(Claim.status == status)
    if open_only:
        query = query.where(Claim.status.in_(sorted(rules.OPEN)))
    if kind:
        query = query.where(Claim.kind == rules.check_kind(kind))
    if division:
        query = query.where(Claim.division_code.startswith(division.strip()))
    if product:
        query = query.where(Claim.product_code == product)
    if year:
        query = query.where(Claim.policy_year == year)
    if green_channel is not None:
        query = query.where(Claim.green_channel.is_(green_channel))
    if text and text.strip():
        pattern = f"%{text.strip()}%"
        query = query.where(Person.name.like(pattern) | Claim.claim_no.like(pattern)
                            | Claim.report_number.like(pattern))
    query = query.order_by(Claim.incident_on.desc(), Claim.claim_no.desc())
    if limit:
        query = query.limit(limit)
    with workspace.read() as session:
        rows = session.execute(query).all()
        names = dict(session.execute(select(Division.code, Division.name)).all())
    return [_row_dict(claim, person, names) for claim, person in rows]


def _own_events(workspace: Workspace, session, events) -> set[uuid.UUID]:
    """The events the logged-in user wrote on this installation. The name alone is not enough: a user
    of another office may have the same name, and accounts are per installation."""
    if not (workspace.accounts_exist and workspace.role and workspace.office and events):
        return set()
    return set(session.scalars(select(ChangeEntry.record_id).where(
        ChangeEntry.entity == "claim_event", ChangeEntry.record_id.in_([e.id for e in events]),
        ChangeEntry.origin_device == workspace.office.device_id, ChangeEntry.author == workspace.author)))


def _medical_texts(workspace: Workspace, session, claim: Claim, events) -> tuple[dict[Any, str], bool]:
    """The description, the refusal's reason and the typed timeline notes (keyed by event id) as this
    user may read them (module docstring), and whether that shows someone else's text by virtue of
    ``pi.full`` (a view to log)."""
    full = allows(workspace, "pi.full")
    own = _own_events(workspace, session, events)
    mine = {e.action for e in events if e.id in own}  # a claim is registered once and declined once
    texts = {"description": (claim.description, "registered" in mine),
             "decline_reason": (claim.decline_reason, "declined" in mine),
             **{e.id: (e.note, e.id in own) for e in events if e.action not in GENERATED_NOTES}}
    shown = {key: text if full or by_me else hide_medical(text) for key, (text, by_me) in texts.items()}
    return shown, full and workspace.accounts_exist and any(text and not by_me for text, by_me in texts.values())


def claim_detail(workspace: Workspace, ref, *, log_view: bool = True) -> dict[str, Any]:
    """One claim with its timeline, checklist, limit (days or pool used and remaining) and amounts.

    Medical free text as the module docstring says. A full view of someone else's text is logged
    (``view_pi``) unless ``log_view`` is False: the claims screen reloading the claim it shows after a
    step on it, a view logged when the claim was opened."""
    with workspace.read() as session:
        claim = find_claim(session, ref, lock=False)
        person = session.get(Person, claim.person_id)
        names = dict(session.execute(select(Division.code, Division.name)).all())
        # UUIDv7 ids sort by the time they were minted, wherever the event arrives from
        events = session.scalars(select(ClaimEvent).where(ClaimEvent.claim_id == claim.id)
                                 .order_by(ClaimEvent.id)).all()
        texts, revealed = _medical_texts(workspace, session, claim, events)
        products = office_catalog(workspace, session).products
        limit = limit_of(session, claim, products)
        product = find_product(products, claim.product_code)
        data = _row_dict(claim, person, names)
        data.update({
            "description": texts["description"], "decline_reason": texts["decline_reason"],
            "closed_on": claim.closed_on.isoformat() if claim.closed_on else None,
            "product_name": product.name_zh, "product_name_en": product.name_en, "liability": claim.liability_kind,
            "checklist": [{"key": key, "label": rules.DOCUMENT_LABELS[key][0],
                           "label_en": rules.DOCUMENT_LABELS[key][1], "received": key in (claim.documents or [])}
                          for key in rules.checklist(claim.kind)],
            "timeline": [{"on": e.happened_on.isoformat(), "action": e.action, "status": e.status,
                          "status_zh": rules.status_label(e.status), "note": texts.get(e.id, e.note),
                          "author": e.author}
                         for e in events],
            "limit": _limit_with_this(limit, claim),
            "next_steps": sorted(rules.TRANSITIONS[claim.status]),
        })
        subject = claim.id
    if revealed and log_view:  # after the read: SQLite takes one writer at a time
        log_access(workspace, "view_pi", {"kind": "claim", "claim_no": data["claim_no"]}, subject)
    return data


def _limit_with_this(limit: rules.Limit | None, claim: Claim) -> dict[str, Any] | None:
    """The limit as the family sees it: used including this claim, and what remains after it."""
    if limit is None:
        return None
    if limit.basis == "per_day":
        used_days = (limit.used_days or 0) + (0 if claim.status in rules.RELEASED else claim.days_payable)
        whole = rules.Limit(limit.liability_kind, "per_day", limit.cap_fen,
                            used_days * (limit.cap_fen // max(limit.cap_days or 1, 1)), limit.cap_days, used_days)
        return whole.as_dict()
    paid = claim.paid_fen if claim.status in (rules.PAID, rules.CLOSED) else 0
    asked = claim.claimed_fen if claim.status in rules.OPEN else 0
    return rules.Limit(limit.liability_kind, limit.basis, limit.cap_fen, limit.used_fen + paid,
                       pending_fen=limit.pending_fen + asked).as_dict()

"""Intake and routing: register, triage, dispatch."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.input import INT64_MAX, data_refusal
from civicloop.core.masking import mask_free_text
from civicloop.core.sql import bulk_insert, insert
from civicloop.orgs.constants import UnitKind
from civicloop.orgs.models import Unit
from civicloop.orgs.scope import scope_for
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Enterprise, Household, Place
from civicloop.workdays.calendar import WorkCalendar

from ..changes import dispatch_changes, dispatch_deadline, triage_changes, triage_follow_up
from ..constants import DEFAULT_TIME_LIMITS, Action, AppealType, CaseState, Channel, Layer, Urgency
from ..events import event_build, event_write, snapshot
from ..models import Case, Category
from ..permissions import dispatch_targets_q, is_system, may_register, service_authority
from ._core import apply, load_for_update, now, require_text
from .tracking import external_id_locks, give_back, next_tracking_code, tracking_codes

log = logging.getLogger(__name__)


def _where(*, place: Place | None, household: Household | None, enterprise: Enterprise | None) -> dict:
    if household is not None:
        place = household.building
    if place is None and enterprise is not None:
        place = enterprise.community or enterprise.street
    if place is None:
        return {"place_id": None, "street_id": None, "community_id": None}
    street_id = place.pk if place.level == PlaceLevel.STREET else place.street_id
    community_id = place.pk if place.level == PlaceLevel.COMMUNITY else place.community_id
    return {"place_id": place.pk, "street_id": street_id, "community_id": community_id,
            "district_id": place.district_id if place.level != PlaceLevel.DISTRICT else place.pk}


def case_register(*, actor, channel: str, external_id: str = "", authorised_by: str = "", also=None,
                  number_first: bool = False, **fields) -> Case:
    """Register a case. Idempotent by (district, channel, external_id): a repeat returns the existing case.

    Staff register inside their territory (a place outside it answers NOT_FOUND); with no place given, a
    street/committee user's own territory is used. The SYSTEM actor (portal, sensors) must give `district_id`.
    `authorised_by` (services only, `permissions.SERVICE_AUTHORITIES`: "visits"): the caller has checked the
    actor's right to the household or enterprise named (a visit team's assignment), so neither the actor's
    territory nor their registering role is asked — only that the record is of their district; the actor stays
    the registrar and the event's actor.
    `also(case)`: the caller's own rows about the new case, in the registration's transaction (a portal report).
    `number_first`: on PostgreSQL, outside a transaction, the tracking number is taken in a short transaction of
    its own before the write (`_register_numbered_first`: many concurrent registrations do not wait for each
    other's commit); a failed write gives it back.
    A repeat is caught by the unique constraint (no lookup before every insert): the losing transaction rolls
    back whole — its tracking number included — and the existing case is returned.
    """
    return _register_or_repeat(actor=actor, channel=channel, external_id=external_id, authorised_by=authorised_by,
                               also=also, number_first=number_first, **fields)[0]


@dataclass(frozen=True)
class Registered:
    """One item of a batch registration: the case (new or, for a repeated external id, the existing one), or
    the refusal that left this item unregistered."""

    case: Case | None = None
    repeated: bool = False
    error: CivicError | None = None


def case_register_batch(*, actor, items: list[dict]) -> list[Registered]:
    """Register up to `BATCH_MAX` cases for a system that sends them in bulk (the 12345 platform, sensors).

    Each item is checked exactly as `case_register` checks it; a refused item (its error says why) changes
    nothing and does not stop the others; an item whose external id was registered before (or earlier in the
    same batch) answers the existing case. The new ones then take consecutive tracking numbers reserved in one
    short transaction — not one at a time under the counter's row lock, which would make every sender wait for
    every other (decision 31) — and each is written in its own transaction. Results are in the items' order.

    Numbers stay gapless: a write that fails after the reservation (another sender registered the same external
    id in between) passes its number to the next item, and numbers left over at the end are given back when
    nobody has reserved after them. Only a server dying mid-batch, or leftovers with a later reservation behind
    them, leave unused numbers (logged). On PostgreSQL, batches carrying the same external ids run one after
    the other (advisory locks), so a sender's retry cannot cause that.
    """
    if not 1 <= len(items) <= BATCH_MAX:
        raise CivicError(ErrorCode.INVALID, _("一次登记 1 至 %(max)d 件。"), max=BATCH_MAX)
    out, todo, first_of, repeats = _check(actor, items)
    with external_id_locks(first_of):
        _register_prepared(actor, out, todo)
    _answer_repeats(out, repeats)
    return out


@transaction.atomic
def case_register_bulk(*, actor, items: list[dict]) -> list[Registered]:
    """Register many cases at once, all or none — an import of a file (the 12345 work orders).

    Each item is checked exactly as `case_register_batch` checks it (`_prepare`, the same rule as one
    registration), and an item whose external id is stored (or earlier in `items`) answers the existing case.
    When any item is refused nothing is written: the refused items carry their error, the others neither case
    nor error. Otherwise the new cases take consecutive tracking numbers in one reservation per district and are
    written with their register events (the same `snapshot`/`event_build` as `_write`) by two bulk inserts, in
    the caller's transaction — so the counter's row stays locked until it commits, as with an import's batches.
    On PostgreSQL one transaction-level advisory lock per (district, channel) makes bulk registrations of one
    source run one after the other; a one-by-one registration of the same external id meanwhile makes the
    insert fail (IntegrityError) and the whole transaction roll back: the caller retries, and finds it.
    """
    out, todo, first_of, repeats = _check(actor, items)
    if any(r is not None and r.error is not None for r in out):
        return [r if r is not None else Registered() for r in out]
    sources = sorted({(district_id, channel) for district_id, channel, _e in first_of})
    if connection.vendor == "postgresql" and sources:
        keys = [int.from_bytes(hashlib.blake2b(repr(k).encode(), digest_size=8).digest(), "big", signed=True)
                for k in sources]
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(%s::bigint[]) AS t(k)", [keys])
    existing: dict[tuple, Case] = {}
    for start in range(0, len(todo), BULK_LOOKUP):
        existing.update(_existing(case for _i, case, _e in todo[start:start + BULK_LOOKUP]))
    at = now()
    by_district: dict[int, list] = {}
    for i, case, event in todo:
        found = existing.get(_external_key(case)) if case.external_id else None
        if found is not None:
            out[i] = Registered(case=found, repeated=True)
        else:
            by_district.setdefault(case.district_id, []).append((i, case, event))
    cases, events = [], []
    if not by_district:
        _answer_repeats(out, repeats)
        return out
    for district_id, entries in by_district.items():
        codes = tracking_codes(district_id=district_id, when=at, count=len(entries))
        for (i, case, event), code in zip(entries, codes, strict=True):
            case.tracking_code = code
            cases.append(case)
            events.append(event_build(case=case, actor=actor, action=Action.REGISTER, before={},
                                      after=snapshot(case, co_unit_ids=[]), at=at, **event))
            out[i] = Registered(case=case)
    _bulk_write(cases, events, at)
    _answer_repeats(out, repeats)
    return out


def _bulk_write(cases: list[Case], events: list, at) -> None:
    """Insert the new cases, then their events (each takes its case's new id). On PostgreSQL the ids come from the
    sequences first and the rows go by COPY with the demo's adaptation (`core.bulk.Table`: the values as the
    instances hold them, only datetimes, decimals and JSON adapted — `get_db_prep_save` per cell was half the
    import's time); the timestamps `auto_now`/`auto_now_add` would set are set here, to the registration's moment.
    Elsewhere `core.sql.bulk_insert` (`bulk_create`)."""
    if connection.vendor != "postgresql":
        bulk_insert(cases)
        bulk_insert(events)
        return
    from civicloop.core.bulk import Table

    for case in cases:
        case.created_at = case.updated_at = at
    _take_ids(cases)
    for event in events:
        event.case_id = event.case.pk
    _take_ids(events)
    for objs in (cases, events):
        Table(type(objs[0]), pk=True).write_objects(objs)
        for obj in objs:
            obj._state.adding, obj._state.db = False, connection.alias


def _take_ids(objs: list) -> None:
    meta = type(objs[0])._meta
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [connection.ops.quote_name(meta.db_table), meta.pk.column, len(objs)])
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            setattr(obj, meta.pk.attname, pk)


BULK_LOOKUP = 2000  # external ids per lookup of stored cases (one IN each)


def _answer_repeats(out: list, repeats: dict[int, int]) -> None:
    for i, first in repeats.items():
        out[i] = Registered(case=out[first].case, repeated=True) if out[first].case is not None else out[first]


def _check(actor, items: list[dict]) -> tuple[list, list, dict, dict]:
    """Each item checked as one registration (`_prepare`): the results so far (a refusal, by index), the checked
    cases to look up and write as (index, case, event fields), the first index of each external key, and the
    later items repeating one (index → the first's index)."""
    out: list[Registered | None] = [None] * len(items)
    todo: list[tuple[int, Case, dict]] = []
    first_of: dict[tuple, int] = {}  # external id → the index of its first item
    known = Known.of(items)  # the places and categories the items name, read once for the batch
    repeats: dict[int, int] = {}  # index of a later item with the same external id → the first's index
    for i, fields in enumerate(items):
        fields = dict(fields)
        fields.pop("authorised_by", None)  # a batch registers on its sender's own rights, never a service's
        event = {"note": fields.pop("note", ""), "attachments": fields.pop("attachments", None)}
        try:
            # the input layer's checks per item (a NUL, a number past 64 bits), so a bad item is refused in its own
            # result before anything is written, whoever calls (the API's parser refuses the whole request first)
            refusal = data_refusal([fields, event["note"]])
            if refusal is not None:
                raise refusal
            case = _prepare(actor=actor, known=known, **fields)
        except CivicError as e:
            out[i] = Registered(error=e)
            continue
        key = _external_key(case)
        if case.external_id and key in first_of:
            repeats[i] = first_of[key]  # the same external id twice in one batch: answered after the writes
            continue
        if case.external_id:
            first_of[key] = i
        todo.append((i, case, event))
    return out, todo, first_of, repeats


def _register_prepared(actor, out: list, todo: list) -> None:
    """Fill `out` for the checked items of `todo`: repeats of stored cases, else numbered and written."""
    existing = _existing(case for _i, case, _e in todo)
    new = []
    for i, case, event in todo:
        found = existing.get(_external_key(case)) if case.external_id else None
        if found is not None:
            out[i] = Registered(case=found, repeated=True)
        else:
            new.append((i, case, event))
    at = now()
    by_district: dict[int, list] = {}
    for entry in new:
        by_district.setdefault(entry[1].district_id, []).append(entry)
    for district_id, entries in by_district.items():
        with transaction.atomic():
            codes = tracking_codes(district_id=district_id, when=at, count=len(entries))
        last_code, free = codes[-1], list(codes)
        for i, case, event in entries:
            case.tracking_code = free[0]
            try:
                with transaction.atomic():
                    _write(case, actor=actor, at=at, **event)
            except IntegrityError:  # registered by another sender since the lookup: the number goes to the next
                found = _existing([case]).get(_external_key(case))
                if found is None:
                    raise
                out[i] = Registered(case=found, repeated=True)
                continue
            free.pop(0)
            out[i] = Registered(case=case)
        if free:
            with transaction.atomic():
                given_back = give_back(district_id=district_id, when=at, last_code=last_code, count=len(free))
            if not given_back:
                log.warning("tracking numbers %s left unused (a later reservation followed)", ", ".join(free))


def _existing(cases) -> dict[tuple, Case]:
    """The stored cases with the same (district, channel, external id) as any of `cases`, by that key."""
    keys = {_external_key(c) for c in cases if c.external_id}
    if not keys:
        return {}
    by_source: dict[tuple, list] = {}  # one IN per (district, channel): a batch is usually one of them
    for district_id, channel, external_id in keys:
        by_source.setdefault((district_id, channel), []).append(external_id)
    q = Q()
    for (district_id, channel), external_ids in by_source.items():
        q |= Q(district_id=district_id, channel=channel, external_id__in=external_ids)
    # `~Q(external_id="")` is the unique constraint's condition: without it PostgreSQL cannot use that partial
    # index and scans every case (0.1 s a lookup at 200,000 cases)
    return {_external_key(c): c for c in Case.objects.filter(q).exclude(external_id="") if _external_key(c) in keys}


def _external_key(case) -> tuple:
    """What makes an intake idempotent: (district, channel, external id) — the unique constraint's fields."""
    return case.district_id, case.channel, case.external_id


BATCH_MAX = 100


@dataclass(frozen=True)
class Known:
    """What the items of a batch name, read in two statements instead of two per item (`_prepare`): the places by
    id and the ids of the active categories among those named. A caller that has read them already (the portal:
    the district, the picked place, a category of its active list) passes its own as `case_register(known=…)`."""

    places: dict
    categories: frozenset

    @classmethod
    def of(cls, items: list[dict]) -> Known:
        def ids(name: str) -> set[int]:  # an id past 64 bits is the input layer's to refuse, per item
            return {v for i in items if isinstance(v := i.get(name), int) and 0 < v <= INT64_MAX}

        place_ids, category_ids = ids("place_id"), ids("category_id")
        places = {p.pk: p for p in Place.objects.filter(pk__in=place_ids)} if place_ids else {}
        categories = frozenset(Category.objects.filter(pk__in=category_ids, active=True).values_list(
            "pk", flat=True)) if category_ids else frozenset()
        return cls(places, categories)


def _register_or_repeat(*, actor, note: str = "", attachments: list | None = None, also=None,
                        number_first: bool = False, **fields) -> tuple[Case, bool]:
    """One registration: checked, then numbered and written in one transaction; a repeat of a stored external
    id (the unique constraint refuses it, the transaction rolls back whole) answers the stored case.
    `also(case)`: the caller's own rows about the new case (a portal report, its attachments), written in the
    same transaction after the case and its event. `number_first` (PostgreSQL, outside any transaction): the
    number is taken apart first, see `_register_numbered_first`."""
    case = _prepare(actor=actor, **fields)
    if number_first and connection.vendor == "postgresql" and not connection.in_atomic_block:
        return _register_numbered_first(case, actor=actor, note=note, attachments=attachments, also=also)
    try:
        with transaction.atomic():
            at = now()
            case.tracking_code = next_tracking_code(district_id=case.district_id, when=at)
            _write(case, actor=actor, at=at, note=note, attachments=attachments)
            if also is not None:
                also(case)
    except IntegrityError:
        existing = _existing([case]).get(_external_key(case))
        if existing is None:
            raise
        return existing, True
    return case, False


def _register_numbered_first(case: Case, *, actor, note: str, attachments: list | None, also) -> tuple[Case, bool]:
    """Number, then write, in two transactions — for a public way in where many register at once (the portal).

    Taken inside the write's transaction, the number's counter row stays locked until that transaction has
    committed (its WAL flushed): every concurrent registration of the district waits for every other's flush, one
    at a time. Here the number is taken in a transaction of its own that commits without waiting for the flush
    (`synchronous_commit off`): the row is locked for a moment, and the writes' flushes overlap (group commit).
    That costs no durability: the write commits after the reservation, and its flush covers everything before it
    in the log, the reservation too; a crash that loses the reservation loses no case. A write that fails
    gives its number back unless someone took a later one meanwhile (then a gap, logged), as a batch does."""
    at = now()
    case.tracking_code = next_tracking_code(district_id=case.district_id, when=at, apart=True)
    try:
        with transaction.atomic():
            _write(case, actor=actor, at=at, note=note, attachments=attachments)
            if also is not None:
                also(case)
    except BaseException as exc:
        try:
            with transaction.atomic():
                given_back = give_back(district_id=case.district_id, when=at, last_code=case.tracking_code, count=1)
        except Exception:  # the connection is gone: the write's own error is the one to raise
            given_back = False
        if not given_back:
            log.warning("tracking number %s left unused (a later reservation followed)", case.tracking_code)
        existing = _existing([case]).get(_external_key(case)) if isinstance(exc, IntegrityError) else None
        if existing is None:
            raise
        return existing, True
    return case, False


def _write(case: Case, *, actor, at, note: str = "", attachments: list | None = None) -> None:
    """Store a checked and numbered case with its register event (registered at the event's moment)."""
    case.created_at = at
    insert(case)  # the ORM's insert without its compile (decision 30)
    event_write(case=case, actor=actor, action=Action.REGISTER, before={}, after=snapshot(case, co_unit_ids=[]),
                note=note, attachments=attachments, at=at)


def _household_address(household: Household | None) -> str:
    """The household's address for a case about it, with any phone or ID number typed into it masked: the case's
    readers are not the household's (places.permissions), and a number is no part of an address."""
    return mask_free_text(household.address) if household is not None else ""


# the choices' values, once: an enum's `.values` builds its list on every call (a tenth of an import's checks)
_CHANNELS, _URGENCIES, _APPEAL_TYPES = frozenset(Channel.values), frozenset(Urgency.values), frozenset(AppealType.values)


def _prepare(
    *, actor, channel: str, authorised_by: str = "", description: str, district_id: int | None = None, place_id: int | None = None,
    household_id: int | None = None, enterprise_id: int | None = None, category_id: int | None = None,
    urgency: str = Urgency.NORMAL, appeal_type: str = AppealType.HELP, reporter_name: str = "", reporter_phone: str = "", reporter_id_number: str = "",
    reporter_anonymous: bool = False, external_id: str = "", lat=None, lng=None, address: str = "",
    place_code: str | None = None, known: Known | None = None,
) -> Case:
    """The case `fields` describe, checked (scope, places, category) and unsaved, without a tracking code."""
    if place_code:
        from civicloop.places.selectors import place_get_for

        place_id = place_get_for(actor, place_code).pk
    description = require_text(description, _("诉求内容"))
    if channel not in _CHANNELS or urgency not in _URGENCIES:
        raise CivicError(ErrorCode.INVALID, _("渠道或紧急程度无效。"))
    if appeal_type not in _APPEAL_TYPES:
        raise CivicError(ErrorCode.INVALID, _("诉求类型无效。"))
    household = Household.objects.select_related("building").filter(pk=household_id).first() if household_id else None
    enterprise = Enterprise.objects.filter(pk=enterprise_id).first() if enterprise_id else None
    if known is not None and place_id in known.places:
        place = known.places[place_id]
    else:
        place = Place.objects.filter(pk=place_id).first() if place_id else None
    if (household_id and household is None) or (enterprise_id and enterprise is None) or (place_id and place is None):
        raise not_found()
    where = None
    if is_system(actor):
        if district_id is None:
            raise CivicError(ErrorCode.INVALID, _("缺少所属区。"))
    elif service_authority(authorised_by):
        record = household or enterprise
        if record is None or place is not None:  # the authority is over a household or an enterprise, nothing else
            raise CivicError(ErrorCode.INVALID, _("缺少住户或企业。"))
        scope = scope_for(actor)
        if not scope.sees_everything and scope.district_id != record.district_id:
            raise not_found()
        district_id = record.district_id
    else:
        scope = scope_for(actor)
        if not may_register(actor, district_id=district_id):
            raise CivicError(ErrorCode.FORBIDDEN)
        district_id = scope.district_id or district_id
        for p in (place, household and household.building, enterprise and (enterprise.community or enterprise.street)):
            if p is not None and not scope.covers_place(p):
                raise not_found()
        if place is None and household is None and enterprise is None and scope.root_level in (
                PlaceLevel.STREET, PlaceLevel.COMMUNITY):
            # the registrar's own street or committee (ids from the scope: no place lookup)
            where = {"place_id": scope.root_id, "street_id": scope.root_street_id,
                     "community_id": scope.root_id if scope.root_level == PlaceLevel.COMMUNITY else None}
    if where is None:
        where = _where(place=place, household=household, enterprise=enterprise)
        if where.pop("district_id", district_id) != district_id:
            raise not_found()
    if category_id is not None and not (known is not None and category_id in known.categories) and \
            not Category.objects.filter(pk=category_id, active=True).exists():
        raise CivicError(ErrorCode.INVALID, _("分类不存在。"))
    known_district = known is not None and getattr(known.places.get(district_id), "level", None) == PlaceLevel.DISTRICT
    if is_system(actor) and not known_district and \
            not Place.objects.filter(pk=district_id, level=PlaceLevel.DISTRICT).exists():
        raise not_found()
    return Case(
        district_id=district_id, tracking_code="", channel=channel,
        external_id=external_id, category_id=category_id, urgency=urgency, appeal_type=appeal_type, household=household, enterprise=enterprise,
        lat=lat, lng=lng, address=address or _household_address(household), description=description,
        reporter_name="" if reporter_anonymous else reporter_name,
        reporter_phone="" if reporter_anonymous else reporter_phone,
        reporter_id_number="" if reporter_anonymous else reporter_id_number,
        reporter_anonymous=reporter_anonymous, registered_by=None if is_system(actor) else actor,
        state=CaseState.REGISTERED, version=1, **where,
    )  # register notifies nobody (it shows in the territory's inbox)


@transaction.atomic
def case_triage(*, actor, case_id: int, category_id: int, urgency: str = Urgency.NORMAL, layer: str = Layer.LOCAL,
                expected_version: int | None = None, note: str = "") -> Case:
    """Set category, urgency and layer. A 三跨 (cross) case goes to consultation at once (escalate event)."""
    case = load_for_update(actor, case_id, expected_version)
    category = Category.objects.filter(pk=category_id, active=True).first()
    if category is None:
        raise CivicError(ErrorCode.INVALID, _("分类不存在。"))
    apply(actor, case, Action.TRIAGE, note=note,
          changes=triage_changes(category_id=category.pk, urgency=Urgency(urgency), layer=Layer(layer)))
    if triage_follow_up(layer) == Action.ESCALATE:
        apply(actor, case, Action.ESCALATE, permission=False, note=str(_("三跨问题，提交会商。")))
    return case


def units_for_dispatch(actor, district_id: int, lead_unit_id: int, co_unit_ids) -> tuple[Unit, list[int]]:
    """The lead unit and the sorted co-unit ids a dispatch (or a consultation decision) by `actor` may name: active
    units of the case's district, the lead not a consultation body and not its own co-unit (else INVALID), each
    one the actor may dispatch to (`permissions.dispatch_targets_q`, else FORBIDDEN)."""
    ids = {lead_unit_id, *co_unit_ids}
    units = {u.pk: u for u in Unit.objects.filter(pk__in=ids, district_id=district_id, active=True)}
    if set(units) != ids or units[lead_unit_id].kind == UnitKind.CONSULTATION_BODY:
        raise CivicError(ErrorCode.INVALID, _("承办单位无效。"))
    targets = dispatch_targets_q(actor)  # Q() for district-level staff: every unit of the district, nothing to ask
    if targets and Unit.objects.filter(targets, pk__in=ids).count() != len(ids):
        raise CivicError(ErrorCode.FORBIDDEN, _("只能派给本街道办事处、本街道的居委会或区职能部门；"
                                                "其他街道的诉求请报区级派单。"))
    return units[lead_unit_id], sorted(set(co_unit_ids) - {lead_unit_id})


@transaction.atomic
def case_dispatch(*, actor, case_id: int, lead_unit_id: int, co_unit_ids=(), time_limit_days: int | None = None,
                  expected_version: int | None = None, note: str = "") -> Case:
    """Dispatch to a lead unit (+ co-units). Deadline = end of the Nth working day, N from category × urgency."""
    case = load_for_update(actor, case_id, expected_version)
    lead, co = units_for_dispatch(actor, case.district_id, lead_unit_id, co_unit_ids)
    if time_limit_days is None:
        category = Category.objects.filter(pk=case.category_id).first()
        time_limit_days = category.time_limit(case.urgency) if category else DEFAULT_TIME_LIMITS[Urgency(case.urgency)]
    if time_limit_days < 1:
        raise CivicError(ErrorCode.INVALID, _("办理时限至少为1个工作日。"))
    at = now()
    calendar = WorkCalendar()
    deadline = dispatch_deadline(at, time_limit_days, calendar)
    apply(actor, case, Action.DISPATCH, note=note, at=at, co_unit_ids=co, changes=dispatch_changes(
        at=at, deadline=deadline, lead_unit_id=lead.pk, dispatching_unit_id=getattr(actor, "unit_id", None),
        time_limit_days=time_limit_days, calendar=calendar))
    return case

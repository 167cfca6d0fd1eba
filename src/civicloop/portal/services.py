"""The portal's writes: a report (through the cases app's intake: this app never writes a case row), the
reporter's proof, and their rating (through the cases app's rating service). Each counts against its rate limit
first, in its own statement (core.ratelimit), so a refused or failed attempt still counts."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from django.conf import settings

from civicloop.cases.constants import AppealType, Channel
from civicloop.cases.models import Case
from civicloop.cases.services import SYSTEM, case_rate, case_register
from civicloop.cases.services.intake import Known
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.ratelimit import rate_limit_hit
from civicloop.core.sql import insert
from civicloop.files.checking import check_file, read_upload
from civicloop.files.error_codes import FileErrorCode
from civicloop.files.services import attachments_attach, attachments_discard, attachments_write
from civicloop.places.models import Place
from civicloop.places.outlines import outline_contains

from .constants import (
    MAX_PHOTOS,
    PHOTO_MAX_BYTES,
    PROOF_LIMIT_CLIENT,
    PROOF_LIMIT_CODE,
    PROOF_SECONDS,
    PROOF_SESSION_KEY,
    REPORT_LIMIT,
    SECRET_ALPHABET,
    SECRET_LENGTH,
)
from .error_codes import PortalErrorCode
from .models import PortalReport
from .permissions import may_rate, proved
from .selectors import category_ids, outline_of, picked_place, portal_district

OWNER_KIND = "cases.case"


@dataclass(frozen=True)
class Reported:
    case: Case
    secret: str  # shown once, with the tracking code; only its digest is kept


def secret_digest(secret: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), b"portal-secret:" + secret.encode(), hashlib.sha256).hexdigest()


def new_secret() -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


def portal_report(*, client: str, district_code: str | None = None, description: str, category_id: int | None = None,
                  appeal_type: str = AppealType.HELP, place_code: str = "", lat=None, lng=None, address: str = "",
                  phone: str = "", photos=(), district: Place | None = None,
                  offered_categories: frozenset[int] | None = None) -> Reported:
    """Register what a member of the public reports, as the SYSTEM actor on channel `portal`, with up to
    MAX_PHOTOS photos (checked by content, re-encoded, EXIF stripped: civicloop.files). Where: a street,
    community or compound of the district (`district`, else the one `district_code` names), or a point inside
    the district's outline (or both). No phone: an anonymous report (the reporter proves it is them with the
    secret alone). `offered_categories`: the active categories the caller's form offered in this request (not
    read again). The case, its event, the report's secret and the photos' rows are one transaction; the
    tracking number is taken just before it (`case_register(number_first=True)`: reports arriving together do
    not queue behind each other's commit)."""
    rate_limit_hit(f"portal:report:ip:{client}", limit=REPORT_LIMIT[0], window=REPORT_LIMIT[1])
    if district is None:
        district = portal_district(district_code)
    if len(photos) > MAX_PHOTOS:
        raise CivicError(FileErrorCode.TOO_MANY_FILES, max=MAX_PHOTOS)
    place = picked_place(district, place_code) if place_code else None
    if (lat is None) != (lng is None):
        raise CivicError(PortalErrorCode.PLACE_REQUIRED)
    if lat is not None:
        outline = outline_of(district)
        if outline is not None and not outline_contains(outline, float(lat), float(lng)):
            raise CivicError(PortalErrorCode.POINT_OUTSIDE)
    if place is None and lat is None:
        raise CivicError(PortalErrorCode.PLACE_REQUIRED)
    checked = [check_file(read_upload(p, max_bytes=PHOTO_MAX_BYTES), name=getattr(p, "name", ""),
                          max_bytes=PHOTO_MAX_BYTES) for p in photos]
    secret = new_secret()
    pending = attachments_write(checked)

    def report_rows(case: Case) -> None:  # in the registration's transaction
        if pending:
            attachments_attach(pending=pending, owner_kind=OWNER_KIND, owner_id=case.pk, district_id=case.district_id)
        insert(PortalReport(district_id=case.district_id, case=case, secret_digest=secret_digest(secret)))

    try:
        case = case_register(
            actor=SYSTEM, channel=Channel.PORTAL, district_id=district.pk, place_id=place.pk if place else None,
            category_id=category_id, description=description, address=address, lat=lat, lng=lng,
            reporter_phone=phone, reporter_anonymous=not phone, appeal_type=appeal_type,
            attachments=[p.ref for p in pending], also=report_rows, number_first=True,
            # what this service has read already, not read again by the intake's checks
            known=Known(places={district.pk: district, **({place.pk: place} if place else {})},
                        categories=_known_category(category_id, offered_categories)))
    except BaseException:
        attachments_discard(pending)
        raise
    return Reported(case=case, secret=secret)


def _known_category(category_id: int | None, offered: frozenset[int] | None) -> frozenset[int]:
    """{category_id} when it is one of the active categories the report form offers, else nothing (the intake then
    checks it itself)."""
    if category_id is None:
        return frozenset()
    return frozenset({category_id}) & (category_ids() if offered is None else offered)


def _proof_matches(report: PortalReport, proof: str) -> bool:
    proof = "".join(proof.split()).upper()
    if not proof:
        return False
    by_secret = hmac.compare_digest(secret_digest(proof), report.secret_digest)
    phone_digits = "".join(ch for ch in report.case.reporter_phone if ch.isdigit())
    by_phone = (len(proof) == 4 and proof.isdigit() and len(phone_digits) >= 4
                and hmac.compare_digest(phone_digits[-4:], proof))
    return by_secret or by_phone


def portal_prove(*, request, client: str, case: Case, proof: str) -> None:
    """The reporter proves it is them (the secret, or the phone's last four digits): the browser's session holds
    the proof for PROOF_SECONDS. Limited per code and per client address (PROOF_FAILED otherwise)."""
    rate_limit_hit(f"portal:proof:code:{case.pk}", limit=PROOF_LIMIT_CODE[0], window=PROOF_LIMIT_CODE[1])
    rate_limit_hit(f"portal:proof:ip:{client}", limit=PROOF_LIMIT_CLIENT[0], window=PROOF_LIMIT_CLIENT[1])
    report = PortalReport.objects.select_related("case").filter(case=case).first()
    if report is None:
        raise CivicError(ErrorCode.NOT_FOUND)
    if not _proof_matches(report, proof):
        raise CivicError(PortalErrorCode.PROOF_FAILED)
    proofs = {k: v for k, v in (request.session.get(PROOF_SESSION_KEY) or {}).items() if v > time.time()}
    proofs[str(case.pk)] = int(time.time()) + PROOF_SECONDS
    request.session[PROOF_SESSION_KEY] = proofs
    request.session.cycle_key()  # a proved session gets a new id (no fixation)


def portal_rate(*, request, case: Case, value: str) -> Case:
    """The proved reporter rates the answer (满意 / 基本满意 / 不满意) through the cases app's rating service, as
    the SYSTEM actor (the reporter has no account): 不满意 reopens the case as any rating does."""
    if not proved(request, case.pk):
        raise CivicError(PortalErrorCode.PROOF_REQUIRED)
    if not may_rate(case):
        raise CivicError(PortalErrorCode.NOT_RATEABLE)
    return case_rate(actor=SYSTEM, case_id=case.pk, value=value, expected_version=case.version)

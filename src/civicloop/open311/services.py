"""The one writer of the open311 app: a client's request becomes a case through the cases intake service."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from civicloop.cases.constants import Channel
from civicloop.cases.models import Case
from civicloop.cases.permissions import SYSTEM
from civicloop.cases.services.intake import case_register
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.places.models import Place

from .catalogue import NUMBER_MAX, Attribute, extra_for
from .constants import DESCRIPTION_MAX
from .error_codes import Open311ErrorCode
from .locate import place_at_point, place_in_address
from .models import Submission
from .selectors import service_get


def answers_checked(attributes: tuple[Attribute, ...], given: dict[str, str]) -> dict[str, str | int]:
    """The answers to a service definition's questions, checked against it (required, list keys, numbers);
    answers to questions it does not ask are dropped."""
    answers: dict[str, str | int] = {}
    for attribute in attributes:
        value = (given.get(attribute.code) or "").strip()
        params = {"question": attribute.description, "field": attribute.code}
        if not value:
            if attribute.required:
                raise CivicError(Open311ErrorCode.ATTRIBUTE_REQUIRED, **params)
            continue
        if attribute.datatype == "singlevaluelist" and value not in dict(attribute.values):
            raise CivicError(Open311ErrorCode.ATTRIBUTE_INVALID, **params)
        if attribute.datatype == "number":
            if not (value.isascii() and value.isdigit()) or int(value) > NUMBER_MAX:
                raise CivicError(Open311ErrorCode.ATTRIBUTE_INVALID, **params)
            answers[attribute.code] = int(value)
            continue
        if len(value) > 200:
            raise CivicError(Open311ErrorCode.ATTRIBUTE_INVALID, **params)
        answers[attribute.code] = value
    return answers


def answers_in_words(attributes: tuple[Attribute, ...], answers: dict) -> str:
    """The answers as lines under the case's description, in the records' language (zh-Hans), whoever asked."""
    if not answers:
        return ""
    with translation.override("zh-hans"):
        lines = []
        for attribute in attributes:
            if attribute.code in answers:
                value = answers[attribute.code]
                shown = dict(attribute.values).get(value, value) if attribute.values else value
                lines.append(f"{attribute.description}：{shown}")
        return "\n\n【" + gettext("补充信息") + "】\n" + "\n".join(lines)


def _actor(key):
    """Who registers: the key's acting staff account (their scope and role apply), else the system."""
    if key.acting_user_id is None:
        return SYSTEM
    user = get_user_model().objects.filter(pk=key.acting_user_id, is_active=True).first()
    if user is None:  # the account was deactivated after the key was made: nothing is registered in its name
        raise CivicError(ErrorCode.FORBIDDEN)
    return user


def request_submit(*, key, service_code: str, description: str = "", lat: Decimal | None = None,
                   lng: Decimal | None = None, address: str = "", attributes: dict[str, str] | None = None,
                   token: str = "", reporter_name: str = "", reporter_phone: str = "", media_url: str = "") -> Case:
    """Register the client's request as a case of the key's district (channel open311). A repeated `token` of the
    same key answers the case registered the first time (the intake's idempotency by external id)."""
    category = service_get(service_code)
    extra = extra_for(category.code)
    answers = answers_checked(extra.attributes, attributes or {})
    if (lat is None) != (lng is None) or (lat is None and not address):
        raise CivicError(Open311ErrorCode.LOCATION_MISSING)
    district = Place.objects.only("pk", "code", "level").get(pk=key.district_id)
    place = place_at_point(district, lat, lng) if lat is not None else None
    if place is None:
        place = place_in_address(district, address)
    text = (description or "").strip() or category.name
    text = text[:DESCRIPTION_MAX] + answers_in_words(extra.attributes, answers)
    actor = _actor(key)
    case = case_register(
        actor=actor, channel=Channel.OPEN311, external_id=f"{key.prefix}:{token}" if token else "",
        district_id=key.district_id, place_id=place.pk if place is not None else None, category_id=category.pk,
        description=text, lat=lat, lng=lng, address=address, reporter_name=reporter_name,
        reporter_phone=reporter_phone, reporter_anonymous=not (reporter_name or reporter_phone))
    if case.district_id != key.district_id:  # defensive: an acting user always registers into their district
        raise CivicError(ErrorCode.NOT_FOUND)
    with transaction.atomic():
        Submission.objects.get_or_create(case=case, defaults={
            "district_id": case.district_id, "api_key": key, "token": token, "attributes": answers,
            "media_url": media_url})
    return case

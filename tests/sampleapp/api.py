from ninja import Router, Schema

from civicloop.core.api import READ_ERRORS
from civicloop.core.errors import CivicError

from .error_codes import SampleErrorCode

router = Router(tags=["sample"])

FIELD_LABELS = {"count": "样例数量"}


class PingOut(Schema):
    pong: bool


@router.get("/ping", response={200: PingOut, **READ_ERRORS}, auth=None)
def ping(request):
    return {"pong": True}


@router.get("/refuse", response={200: PingOut, 409: READ_ERRORS[404], **READ_ERRORS}, auth=None)
def refuse(request):
    raise CivicError(SampleErrorCode.SAMPLE_REFUSED)


@router.get("/echo", response={200: PingOut, **READ_ERRORS}, auth=None)
def echo(request, count: int):
    return {"pong": count > 0}

"""The vocabulary of the Open311 server. One comment per word."""

from civicloop.cases.constants import CaseState

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


class Status:
    """The spec's two request states."""

    OPEN = "open"
    CLOSED = "closed"


# Our states counted as the spec's "closed" (the request "has been resolved"): the work is done from the result on;
# hearing back and rating follow in `status_notes`. A reopened case (不满意) is open again. Everything else is open.
CLOSED_STATES = (CaseState.RESOLVED, CaseState.REPLIED, CaseState.RATED, CaseState.CLOSED, CaseState.MERGED,
                 CaseState.WITHDRAWN)
OPEN_STATES = tuple(s for s in CaseState if s not in CLOSED_STATES)

# GET requests: the spec's default window (the past 90 days) and the paging of the city servers that page.
DEFAULT_WINDOW_DAYS = 90
PAGE_SIZE_DEFAULT = 50
PAGE_SIZE_MAX = 100
PAGE_MAX = 10_000  # past this, narrow the dates: deep offsets cost the database more than any client needs
IDS_MAX = 100  # service_request_id / service_code lists in one query
# A point matches the nearest place with coordinates within this distance (metres); else the case has the point only.
MATCH_RADIUS_M = 500
TOKEN_MAX = 40  # a client's idempotency token (external id = key prefix + ":" + token, within Case.external_id)
ADDRESS_MAX = 200  # Case.address
DESCRIPTION_MAX = 4000

"""Schemathesis hooks for Camau's spec fuzzing (loaded by run.py through SCHEMATHESIS_HOOKS).

A resumable upload's parts are `application/offset+octet-stream` (tus 1.0): raw bytes, sent as
any other binary body.

The rest makes schema-valid requests (positive mode) valid in the server's *state* too, so that
`positive_data_acceptance` reports only rules the spec does not state. Each value changed here
is one a schema cannot promise: it is issued by the server or depends on what is stored.
Negative cases are left as generated.
"""

import datetime
import uuid

import schemathesis

schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")


def _positive(case):
    meta = getattr(case, "meta", None)
    return meta is not None and meta.generation.mode.is_positive


def _set(mapping, name, value):
    for key in list(mapping or {}):
        if key.lower() == name.lower():
            mapping[key] = value


@schemathesis.hook
def before_call(context, case, kwargs):
    if not _positive(case):
        return
    # The same Idempotency-Key with another body is 422 `idempotency_key_reused` by design: a
    # generator repeats keys across cases, a client never would. A fresh key per request.
    _set(case.headers, "Idempotency-Key", f"fuzz-{uuid.uuid4()}")
    # `If-Match` names a version the server gave (412 when stale); `*` is "whatever is current".
    _set(case.headers, "If-Match", "*")
    if case.query:
        # Cursors (`cursor`, sync's `since`) are opaque and issued by the server: an invented
        # one is 400 however well formed. Without one, the first page.
        for name in ("cursor", "since"):
            case.query.pop(name, None)
        # A report covers one whole period that has ended (a cross-field rule, in the
        # parameters' descriptions): the last calendar year.
        if "from" in case.query and "to" in case.query and "/reports/" in case.path:
            year = datetime.date.today().year - 1
            case.query["from"], case.query["to"] = f"{year}-01-01", f"{year}-12-31"
    body = case.body if isinstance(case.body, dict) else None
    if body is not None and case.path == "/v1/concerns":
        # A concern is about a story or a comment, exactly one (described in the schema).
        if body.get("story_id") is not None and body.get("comment_id") is not None:
            body.pop("comment_id")
        elif body.get("story_id") is None and body.get("comment_id") is None:
            body["story_id"] = str(uuid.uuid4())  # no such story: 404, as for any invented id
    if body is not None and case.path.endswith("/consents"):
        # `audience` must be the purpose's own audience, which is also its default
        # (audience_not_for_purpose; described in the schema): left to the default.
        body.pop("audience", None)
    if body is not None and isinstance(body.get("date_of_birth"), str):
        # Not in the future (described in the schema): a bound that moves with today.
        if body["date_of_birth"] > datetime.date.today().isoformat():
            body["date_of_birth"] = "2000-01-01"

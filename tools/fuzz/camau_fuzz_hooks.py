"""Schemathesis hooks for Camau's spec fuzzing (loaded by run.py through SCHEMATHESIS_HOOKS).

A resumable upload's parts are `application/offset+octet-stream` (tus 1.0): raw bytes, sent as
any other binary body.
"""

import schemathesis

schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")

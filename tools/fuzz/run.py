"""Spec fuzzing: schemathesis against a live server, from the committed openapi/openapi.json,
signed in as each main role in turn.

Usage: run.py API_URL LOGINS_JSON [--long]

LOGINS_JSON names how each role signs in (written by the README walkthrough step of
scripts/test): staff, supporter and commissioner by email and password, the person by device key
and PIN. A token is fetched just before its role's run (access tokens live ten minutes) and the
operations that would end that session (sign-out, password and PIN changes, session removal)
are left out, so a role's run stays signed in. Passes when schemathesis finds no server error, no
response outside its documented schema, no undocumented status code, no undocumented media
type, no schema-valid request refused (positive_data_acceptance: the spec states every rule
the server enforces) and no schema-violating request accepted (negative_data_rejection), for
any role. What a schema cannot state (ids and cursors the server issues, versions, stored
references) is set aside narrowly in camau_fuzz_hooks.py and schemathesis.toml. `--long` (or CAMAU_FUZZ_LONG=1) runs many more examples per operation;
CAMAU_FUZZ_ONLY=<regex> fuzzes only the matching paths.
"""

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKS = (
    "not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance,"
    "positive_data_acceptance,negative_data_rejection"
)
# Operations that end or change the caller's own credentials would sign the run out.
EXCLUDE = r"^/v1/auth/(logout|logout-all|password)$|^/v1/me/pin$"


def post(api, path, body, token=None):
    req = urllib.request.Request(
        api + path,
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json"}
        | ({"authorization": f"Bearer {token}"} if token else {}),
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.load(res)


def token(api, login):
    if "device_key" in login:
        answer = post(api, "/v1/auth/person-login", {"device_key": login["device_key"], "secret": login["pin"]})
    else:
        answer = post(api, "/v1/auth/login", {"email": login["email"], "password": login["password"]})
    return answer.get("tokens", answer)["access_token"]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    long = "--long" in sys.argv or os.environ.get("CAMAU_FUZZ_LONG") == "1"
    api, logins = args[0], json.loads(Path(args[1]).read_text())
    examples = "100" if long else "3"
    spec = str(ROOT / "openapi" / "openapi.json")
    failed = []
    # The admin last: it can suspend the others' accounts.
    for role, login in logins.items():
        print(f"\n==> schemathesis as {role}", flush=True)
        bearer = token(api, login)
        run = subprocess.run(
            [
                str(Path(sys.executable).parent / "schemathesis"),
                "--config-file", str(Path(__file__).parent / "schemathesis.toml"),
                "run", spec,
                "--url", api,
                "--header", f"Authorization: Bearer {bearer}",
                "--checks", CHECKS,
                "--phases", "examples,coverage,fuzzing",
                "--max-examples", examples,
                "--workers", "2",
                "--exclude-path-regex", EXCLUDE, *(["--include-path-regex", os.environ["CAMAU_FUZZ_ONLY"]] if os.environ.get("CAMAU_FUZZ_ONLY") else []),
                "--continue-on-failure",
                "--seed", os.environ.get("CAMAU_FUZZ_SEED", "20261130"),
                "--no-color",
            ],
            cwd=ROOT,
            env=os.environ
            | {"SCHEMATHESIS_HOOKS": "camau_fuzz_hooks", "PYTHONPATH": str(Path(__file__).parent)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines = run.stdout.splitlines()
        summary = lines[lines.index(next((l for l in lines if "SUMMARY" in l), lines[-1])):] if lines else []
        print("\n".join(summary[-25:] if run.returncode == 0 else lines[-400:]), flush=True)
        if run.returncode != 0:
            failed.append(role)
    if failed:
        sys.exit(f"schemathesis found problems as: {', '.join(failed)}")
    print(f"\nschemathesis: no failures as {', '.join(logins)}")


if __name__ == "__main__":
    main()

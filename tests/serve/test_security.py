"""The console's defences, against a real `acctrace serve` on 127.0.0.1: nothing without a
login, no state change from another site, logged markup stays text, roles hold, and the
ledger names the logged-in person whatever the form says."""

from __future__ import annotations

import re

from click.testing import CliRunner

from acctrace.cli import cli
from acctrace.serve.auth import Gate, Identity, load_users
from acctrace.serve.ledger import Ledger
from tests.report.conftest import HOSTILE_NAME, HOSTILE_SHELL
from tests.serve.conftest import Served, csrf_token, finding_ids


def _review_form(client, finding: str, **fields: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    page = client.get(f"/findings/{finding}")
    assert page.status_code == 200
    return {"csrftoken": csrf_token(page.text), "finding_id": finding, **fields}


def test_nothing_is_served_without_a_login(demo_served: Served) -> None:
    client = demo_served.client()
    for path in ("/", "/ledger", "/attestation", "/attestation.csv", "/workflow?finding=x"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
        assert "data-finding-id" not in response.text
    refused = client.post("/review", data={"finding_id": "x", "disposition": "false_positive"})
    assert refused.status_code in (401, 403)
    wrong = client.get("/login", params={"token": "not-the-token"})
    assert wrong.status_code == 403 and "did not match" in wrong.text
    assert client.get("/").status_code == 303  # still not logged in
    right = client.get("/login", params={"token": demo_served.token})
    session = next(c for c in right.headers.get_list("set-cookie") if "acctrace_session" in c)
    assert "httponly" in session.lower() and "samesite=strict" in session.lower()


def test_every_page_carries_the_strict_policy(demo_served: Served) -> None:
    client = demo_served.logged_in()
    page = client.get("/")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy
    assert "'unsafe-inline'" not in policy and "frame-ancestors 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in page.text and " style=" not in page.text  # nothing inline
    assert 'src="/static/report.js"' in page.text
    assert client.get("/static/report.js").headers["content-type"].startswith("text/javascript")


def test_a_forged_cross_site_post_is_refused(demo_served: Served) -> None:
    client = demo_served.logged_in()
    finding = finding_ids(client.get("/").text)[0]
    before = Ledger(demo_served.ledger).head()
    form = _review_form(client, finding, disposition="false_positive")
    forged = {k: v for k, v in form.items() if k != "csrftoken"}
    # a page elsewhere can make the browser post the form with its cookies, not the token
    assert client.post("/review", data=forged).status_code == 403
    assert client.post("/review", data=form | {"csrftoken": "guessed"}).status_code == 403
    # and a browser says where the request comes from
    evil = {"origin": "https://evil.example"}
    assert client.post("/review", data=form, headers=evil).status_code == 403
    cross = {"sec-fetch-site": "cross-site"}
    assert client.post("/review", data=form, headers=cross).status_code == 403
    assert Ledger(demo_served.ledger).head() == before  # nothing was recorded


def test_hostile_names_are_inert_on_every_page(hostile_served: Served) -> None:
    client = hostile_served.logged_in("rita")
    table = client.get("/").text
    assert HOSTILE_NAME not in table and "&lt;img src=x onerror=alert(1)&gt;" in table
    rows = re.findall(r'<tr data-finding-id="(\w+)">(.*?)</tr>', table, re.S)
    (hostile,) = [i for i, cells in rows if "&lt;img src=x" in cells]
    form = _review_form(
        client, hostile, disposition="needs_owner", owner=HOSTILE_NAME, note=HOSTILE_SHELL
    )
    assert client.post("/review", data=form).status_code == 303
    searched = client.get("/", params={"q": "onerror"}).text
    assert finding_ids(searched) == [hostile]
    pages = [
        table,
        searched,
        client.get(f"/findings/{hostile}").text,
        client.get(f"/workflow?finding={hostile}").text,
        client.get("/attestation").text,
        client.get("/ledger").text,
    ]
    for page in pages:
        assert HOSTILE_NAME not in page and "<script>alert(2)" not in page
        assert not re.search(r"<(img|svg|iframe)[^>]*on\w+=", page)
    assert "&lt;/script&gt;&lt;script&gt;alert(2)" in pages[2]  # the note and shell, as text
    csv = client.get("/attestation.csv").text
    assert HOSTILE_NAME in csv  # text in a CSV, where markup means nothing


def test_a_viewer_cannot_review_and_nobody_signs_as_someone_else(hostile_served: Served) -> None:
    viewer = hostile_served.logged_in("vera")
    finding = finding_ids(viewer.get("/").text)[0]
    page = viewer.get(f"/findings/{finding}").text
    assert 'action="/review"' not in page and "needs the reviewer role" in page
    ledger = Ledger(hostile_served.ledger)
    before = ledger.head()
    form = {
        "csrftoken": csrf_token(page),
        "finding_id": finding,
        "disposition": "approved",
        "ticket": "CHG-1",
    }
    assert viewer.post("/review", data=form).status_code == 403
    assert ledger.head() == before
    reviewer = hostile_served.logged_in("rita")
    form = _review_form(
        reviewer,
        finding,
        disposition="approved",
        ticket="CHG-1",
        reviewer="adam",
        actor="adam",
        who="adam",
    )
    assert reviewer.post("/review", data=form).status_code == 303
    entry = ledger.entries(finding)[-1]
    assert (entry.actor, entry.role, entry.after["review"]["reviewer"]) == (
        "rita",
        "reviewer",
        "rita",
    )
    wrong = hostile_served.client()
    csrf = csrf_token(wrong.get("/login").text)
    bad = wrong.post("/login", data={"csrftoken": csrf, "name": "rita", "password": "nope"})
    assert bad.status_code == 403


def test_what_the_address_bar_carries_is_inert_too(demo_served: Served) -> None:
    client = demo_served.logged_in()
    payload = '"><script>alert(3)</script>'
    for params in ({"q": payload}, {"since": payload}, {"host": payload}, {"sort": payload}):
        page = client.get("/", params=params)
        assert page.status_code == 200 and "<script>alert(3)" not in page.text
    stranger = demo_served.client()
    for away in ("//evil.example/", "/\\evil.example/", "https://evil.example/"):
        page = stranger.get("/login", params={"token": demo_served.token, "next": away})
        assert page.status_code == 303 and page.headers["location"] == "/"


def test_users_file_keeps_only_argon2_hashes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    users = tmp_path / "team.yaml"
    added = CliRunner().invoke(
        cli, ["users", "add", str(users), "alice", "--role", "reviewer"], input="s3cret-pw\n" * 2
    )
    assert added.exit_code == 0, added.output
    text = users.read_text(encoding="utf-8")
    assert "s3cret-pw" not in text and "$argon2id$" in text and "role: reviewer" in text
    gate = Gate(load_users(users))
    assert gate.with_password("alice", "s3cret-pw") == Identity("alice", "reviewer")
    assert gate.with_password("alice", "wrong") is None and gate.token is None

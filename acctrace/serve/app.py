"""The review console: a Starlette application over the store, the ledger and the policy.

Every page is rendered by Jinja2 with autoescaping (log-derived strings are text, never
markup), with the report's content security policy tightened for a server: scripts and
styles only from this server's own static files, nothing inline, no framing, forms only to
itself. Every state-changing request needs a login (session cookie, SameSite=Strict) and a
CSRF token (asgi-csrf, double submit); one a browser marks as cross-site is refused first.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from io import StringIO
from typing import Any
from urllib.parse import urlencode

from asgi_csrf import asgi_csrf
from jinja2 import ChoiceLoader, PackageLoader
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from acctrace import __version__
from acctrace.assess.policy import Workflow
from acctrace.errors import AcctraceError
from acctrace.findings import Finding
from acctrace.report.casefile import build_case
from acctrace.report.html import case_parts, environment
from acctrace.serve import attestation as attest
from acctrace.serve import table, workflow
from acctrace.serve.auth import Gate, Identity
from acctrace.serve.ledger import Ledger, verify
from acctrace.serve.review import DISPOSITIONS, STATES, Review, snapshot
from acctrace.serve.source import StoreFindings

CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]
STATE_CHANGING = {"/login", "/logout", "/review", "/workflow"}
# The static files: the console's own, and the report's style and copy-button script.
STATIC = {
    "serve.css": ("acctrace.serve", "static/serve.css", "text/css"),
    "report.css": ("acctrace.report", "templates/report.css", "text/css"),
    "report.js": ("acctrace.report", "templates/report.js", "text/javascript"),
}


@dataclass
class Console:
    """What the application serves: the store's findings, the ledger, who may log in."""

    findings: StoreFindings
    ledger: Ledger
    gate: Gate


def create_app(console: Console) -> ASGIApp:
    templates = Jinja2Templates(
        env=environment(
            ChoiceLoader(
                [PackageLoader("acctrace.serve", "templates"), PackageLoader("acctrace.report")]
            )
        )
    )
    pages = _Pages(console, templates)
    app = Starlette(
        routes=[
            Route("/login", pages.login, methods=["GET", "POST"]),
            Route("/logout", pages.logout, methods=["POST"]),
            Route("/", pages.findings),
            Route("/findings/{finding_id}", pages.case),
            Route("/review", pages.review, methods=["POST"]),
            Route("/workflow", pages.workflow, methods=["GET", "POST"]),
            Route("/attestation", pages.attestation),
            Route("/attestation.csv", pages.attestation_csv),
            Route("/ledger", pages.ledger_page),
            Route("/static/{name}", pages.static),
        ]
    )
    secret = secrets.token_urlsafe(32)  # sessions end when the console stops
    with_session = SessionMiddleware(
        app, secret, session_cookie="acctrace_session", max_age=8 * 3600, same_site="strict"
    )
    with_csrf = asgi_csrf(
        with_session,
        signing_secret=secrets.token_urlsafe(32),
        always_protect=STATE_CHANGING,
        cookie_samesite="Strict",
    )
    return _Guard(with_csrf)


class _Guard:
    """Security headers on every response; state-changing requests a browser marks as
    cross-site (Sec-Fetch-Site, or an Origin that is not this server) refused outright."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        if scope["method"] not in ("GET", "HEAD") and _cross_site(scope):
            response = PlainTextResponse("cross-site request refused", status_code=403)
            await response(scope, receive, with_headers)
            return
        await self.app(scope, receive, with_headers)


def _cross_site(scope: Scope) -> bool:
    """What the browser says about where a request comes from. Sec-Fetch-Site decides where
    sent; else a foreign Origin. (Under this no-referrer policy, Chromium sends `Origin: null`
    from the console's own forms: the CSRF token decides those.)"""
    headers = dict(scope.get("headers", []))
    site = headers.get(b"sec-fetch-site")
    if site is not None:
        return site not in (b"same-origin", b"none")
    origin = headers.get(b"origin", b"null")
    host = headers.get(b"host", b"")
    return origin != b"null" and origin not in (b"http://" + host, b"https://" + host)


class _Pages:
    def __init__(self, console: Console, templates: Jinja2Templates):
        self.c = console
        self.templates = templates

    # --- who is asking -------------------------------------------------------------------

    def _who(self, request: Request) -> Identity | None:
        data = request.session.get("identity")
        if not data:
            return None
        identity = Identity(data["name"], data["role"])
        return identity if self.c.gate.still_valid(identity) else None

    def _page(self, request: Request, name: str, who: Identity | None, **context: Any) -> Response:
        hunted = self.c.findings.current() if who else None
        base = {
            "who": who,
            "csrftoken": request.scope["csrftoken"](),
            "version": __version__,
            "hunted": hunted,
            "states": STATES,
            "token_mode": self.c.gate.token is not None,
        }
        status = context.pop("status_code", 200)
        return self.templates.TemplateResponse(request, name, base | context, status_code=status)

    def _refuse(self, request: Request, who: Identity | None, need: str) -> Response:
        if who is None:
            if request.method == "GET":
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse("/login?" + urlencode({"next": target}), 303)
            return PlainTextResponse("log in first", status_code=401)
        return self._page(
            request,
            "message.html.j2",
            who,
            title="Not allowed",
            message=f"This needs the role {need}; you are {who.name} ({who.role}).",
            status_code=403,
        )

    async def _needs(self, request: Request, role: str) -> Identity | Response:
        """The person asking, when they hold `role`; else the refusal. The store is hunted
        again here when it changed, in a worker thread, so the server keeps answering."""
        who = self._who(request)
        if who is None or not who.may(role):
            return self._refuse(request, who, role)
        await run_in_threadpool(self.c.findings.current)
        return who

    # --- login ---------------------------------------------------------------------------

    async def login(self, request: Request) -> Response:
        gate = self.c.gate
        target = request.query_params.get("next", "/")
        # only a path on this server: "//host" and "/\\host" would leave it
        target = target if target.startswith("/") and target[1:2] not in "/\\" else "/"
        if request.method == "GET" and "token" not in request.query_params:
            return self._page(request, "login.html.j2", None, next=target, failed=False)
        if request.method == "GET":
            who = gate.with_token(request.query_params["token"])
        else:
            form = await request.form()
            if gate.token is not None:
                who = gate.with_token(str(form.get("token", "")))
            else:
                who = gate.with_password(str(form.get("name", "")), str(form.get("password", "")))
        if who is None:
            context = {"next": target, "failed": True, "status_code": 403}
            return self._page(request, "login.html.j2", None, **context)
        request.session.clear()
        request.session["identity"] = {"name": who.name, "role": who.role}
        return RedirectResponse(target, 303)

    async def logout(self, request: Request) -> Response:
        request.session.clear()
        return RedirectResponse("/login", 303)

    # --- findings ------------------------------------------------------------------------

    def _rows(self) -> tuple[list[table.Row], dict[str, dict]]:
        reviews = self.c.ledger.reviews()
        findings = self.c.findings.current().result.findings
        return [table.row(f, reviews.get(f.id)) for f in findings], reviews

    async def findings(self, request: Request) -> Response:
        who = await self._needs(request, "viewer")
        if isinstance(who, Response):
            return who
        rows, _ = self._rows()
        view = table.View.from_query(request.query_params)
        shown = view.select(rows)
        return self._page(
            request,
            "findings.html.j2",
            who,
            rows=shown,
            total=len(rows),
            view=view,
            facets=table.facets(rows),
            sorts=table.SORTS,
            urlencode=urlencode,
        )

    async def case(self, request: Request) -> Response:
        who = await self._needs(request, "viewer")
        if isinstance(who, Response):
            return who
        hunted = self.c.findings.current()
        finding = hunted.by_id.get(request.path_params["finding_id"])
        if finding is None:
            return self._page(
                request,
                "message.html.j2",
                who,
                title="No such finding",
                message="The store holds no finding with this id.",
                status_code=404,
            )
        reviews = self.c.ledger.reviews()
        review = reviews.get(finding.id)
        case = build_case(finding)
        related, case.related = case.related, []  # shown above the case, with review states
        return self._page(
            request,
            "finding.html.j2",
            who,
            case=case,
            parts=case_parts(case),
            row=table.row(finding, review),
            review=review,
            history=self.c.ledger.entries(finding.id),
            related=[
                (words, total, [table.row(hunted.by_id[r.id], reviews.get(r.id)) for r in these])
                for words, total, these in related
            ],
            dispositions=DISPOSITIONS,
            error=None,
        )

    async def review(self, request: Request) -> Response:
        who = await self._needs(request, "reviewer")
        if isinstance(who, Response):
            return who
        form = await request.form()
        finding = self.c.findings.current().by_id.get(str(form.get("finding_id", "")))
        if finding is None:
            return PlainTextResponse("no such finding", status_code=404)
        fields = {
            k: str(form.get(k, "")) or None for k in ("disposition", "ticket", "owner", "note")
        }
        try:
            decided = Review.model_validate(fields)
        except ValidationError as exc:
            message = exc.errors()[0]["msg"].removeprefix("Value error, ")
            return PlainTextResponse(f"review not recorded: {message}", status_code=400)
        before = self.c.ledger.reviews().get(finding.id)
        at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        after = decided.model_dump() | {"reviewer": who.name, "at": at}
        self.c.ledger.append(
            who.name,
            who.role,
            "review",
            finding.id,
            snapshot(finding, before),
            snapshot(finding, after),
        )
        return RedirectResponse(f"/findings/{finding.id}", 303)

    # --- decisions become policy ---------------------------------------------------------

    async def workflow(self, request: Request) -> Response:
        need = "admin" if request.method == "POST" else "viewer"
        who = await self._needs(request, need)
        if isinstance(who, Response):
            return who
        form = await request.form() if request.method == "POST" else request.query_params
        hunted = self.c.findings.current()
        finding = hunted.by_id.get(str(form.get("finding", "")))
        if finding is None:
            return PlainTextResponse("no such finding", status_code=404)
        error = None
        try:
            policy = self.c.findings.policy()
        except AcctraceError as exc:  # edited by hand into something invalid meanwhile
            title, message = "The policy cannot be read", f"{exc}; fix it, then try again."
            context = {"title": title, "message": message, "status_code": 409}
            return self._page(request, "message.html.j2", who, **context)
        try:
            edited = "name" in form  # the form was sent back, possibly changed
            proposal = workflow.from_form(form) if edited else workflow.propose(finding, policy)
        except AcctraceError as exc:
            proposal, error = workflow.propose(finding, policy), str(exc)
        would = workflow.matches(proposal, policy, hunted.result.findings)
        reviews = self.c.ledger.reviews()
        if request.method == "POST" and error is None:
            return await self._save_workflow(who, finding, proposal, would)
        return self._page(
            request,
            "workflow.html.j2",
            who,
            finding=finding,
            proposal=proposal,
            lists={k: "\n".join(getattr(proposal, k)) for k in workflow.LIST_FIELDS},
            would=[table.row(f, reviews.get(f.id)) for f in would],
            covers_finding=finding in would,
            policy_path=self.c.findings.policy_path,
            error=error,
        )

    async def _save_workflow(
        self, who: Identity, finding: Finding, proposal: Workflow, would: list[Finding]
    ) -> Response:
        if self.c.findings.policy_path is None:
            return PlainTextResponse("start acctrace serve with --policy FILE", status_code=409)
        if finding not in would:
            return PlainTextResponse("the workflow does not approve its own finding", 400)
        try:
            saved = workflow.save(self.c.findings.policy_path, proposal)
        except AcctraceError as exc:
            return PlainTextResponse(f"policy not changed: {exc}", status_code=400)
        review = self.c.ledger.reviews().get(finding.id)
        hunted = await run_in_threadpool(self.c.findings.current)  # with the new policy
        after = hunted.by_id.get(finding.id, finding)
        self.c.ledger.append(
            who.name,
            who.role,
            "approve_as_workflow",
            finding.id,
            snapshot(finding, review)
            | {"policy_sha256": saved.sha256_before, "kept_as": str(saved.previous or "")},
            snapshot(after, review)
            | {
                "policy_sha256": saved.sha256_after,
                "workflow": proposal.model_dump(mode="json"),
                "approves": [f.id for f in would],
            },
        )
        return RedirectResponse("/?review=workflow", 303)

    # --- attestation and ledger ----------------------------------------------------------

    def _attestation(self, request: Request) -> attest.Attestation:
        view = table.View.from_query(
            {k: request.query_params.get(k, "") for k in ("since", "until")}
        )
        rows, reviews = self._rows()
        chosen = [r.finding for r in sorted(view.select(rows), key=lambda r: r.time)]
        entries, head = self.c.ledger.head()
        return attest.Attestation(
            since=view.since,
            until=view.until,
            generated=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            accounts=[attest.account(f, reviews.get(f.id)) for f in chosen],
            creators=attest.creators(chosen, reviews),
            ledger_entries=entries,
            ledger_head=head,
            store=str(self.c.findings.store.name),
            policy_sha256=self.c.findings.policy_sha256(),
        )

    async def attestation(self, request: Request) -> Response:
        who = await self._needs(request, "viewer")
        if isinstance(who, Response):
            return who
        report = self._attestation(request)
        csv_link = "/attestation.csv?" + urlencode({"since": report.since, "until": report.until})
        return self._page(request, "attestation.html.j2", who, report=report, csv_link=csv_link)

    async def attestation_csv(self, request: Request) -> Response:
        who = await self._needs(request, "viewer")
        if isinstance(who, Response):
            return who
        report = self._attestation(request)
        out = StringIO()
        attest.write_csv(report, out)
        name = f"attestation-{report.since or 'start'}-{report.until or 'now'}.csv"
        name = "".join(ch if ch.isalnum() or ch in "-._" else "_" for ch in name)
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )

    async def ledger_page(self, request: Request) -> Response:
        who = await self._needs(request, "viewer")
        if isinstance(who, Response):
            return who
        return self._page(
            request,
            "ledger.html.j2",
            who,
            entries=list(reversed(self.c.ledger.entries())),
            check=verify(self.c.ledger.path),
            ledger_name=self.c.ledger.path.name,
        )

    async def static(self, request: Request) -> Response:
        known = STATIC.get(request.path_params["name"])
        if known is None:
            return PlainTextResponse("not found", status_code=404)
        package, path, media = known
        text = resources.files(package).joinpath(path).read_text("utf-8")
        return Response(text, media_type=media)

"""The Starlette application of ``educluster web``: the upload page, the report page with its
downloads, the REST API ``POST /api/validate`` and its OpenAPI document.

Each request's files go to a private temporary folder, removed after the answer unless the
service keeps uploads (``--keep-uploads DIR``); validation runs in a killable worker process
behind a bounded queue (:mod:`educluster.web.limits`). Pages are Jinja2 templates with
autoescape on, styles bundled, a Content-Security-Policy that forbids every outside request.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import shutil
import tempfile
import uuid
from functools import partial
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from educluster.i18n import LANGUAGES
from educluster.web import job, uploads
from educluster.web.limits import (Busy, Gate, Limits, OutOfMemory, TimedOut, WorkerFailed,
                                   run_killable)
from educluster.web.texts import LANGUAGE_NAMES, lang_of, table, text

HERE = Path(__file__).parent
LOG = logging.getLogger("educluster.web")
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
                    # the language follows Accept-Language when the page names none
                    "Vary": "Accept-Language"}

_ENV = Environment(loader=FileSystemLoader(HERE / "templates"),
                   autoescape=select_autoescape(default=True, default_for_string=True))


class Refused(Exception):
    """A request the service answers with ``status`` and the page text ``key``."""

    def __init__(self, status: int, key: str, **fields):
        super().__init__(key)
        self.status, self.key, self.fields = status, key, fields

    def message(self, lang: str) -> str:
        return text(self.key, lang).format(**self.fields)


def _lang(request: Request, chosen: str | None = None) -> str:
    """The answer's language: the form's choice, else ``?lang=``, else the browser's
    ``Accept-Language``, else English."""
    return lang_of(chosen or request.query_params.get("lang"),
                   request.headers.get("accept-language"))


def _page(name: str, lang: str, status: int = 200, **context) -> HTMLResponse:
    """A rendered page in ``lang`` with the security headers."""
    html = _ENV.get_template(name).render(t=table(lang), lang=lang, languages=LANGUAGES,
                                          language_names=LANGUAGE_NAMES, **context)
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


async def _body(request: Request, limits: Limits) -> bytes:
    """The request body, refused early (413) when its declared or actual size is too large."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limits.max_upload_bytes:
        raise Refused(413, "too_large", mb=f"{limits.max_upload_mb:g}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limits.max_upload_bytes:
            raise Refused(413, "too_large", mb=f"{limits.max_upload_mb:g}")
        chunks.append(chunk)
    return b"".join(chunks)


async def _form(request: Request, limits: Limits):
    """The multipart form of the request, read from the size-checked body."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise Refused(400, "bad_form")
    body = await _body(request, limits)
    sent = False

    async def replay():
        nonlocal sent
        if sent:
            return {"type": "http.request", "body": b"", "more_body": False}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        return await Request(request.scope, replay).form(max_files=limits.max_zip_members,
                                                         max_fields=50)
    except HTTPException:
        raise Refused(400, "bad_form") from None


async def _validate(request: Request) -> tuple[dict, str]:
    """Read the form and validate its files; (result, language of the answer)."""
    state = request.app.state
    limits: Limits = state.limits
    form = await _form(request, limits)
    lang = _lang(request, form.get("lang"))
    strict = str(form.get("strict") or "").lower() in ("1", "true", "on", "yes")
    try:
        return await _validate_form(request, form, lang, strict), lang
    except Refused as exc:
        exc.lang = lang  # the refusal speaks the language the form asked for
        raise


async def _validate_form(request: Request, form, lang: str, strict: bool) -> dict:
    """Store the form's files privately and validate them in a worker; the result."""
    state = request.app.state
    limits: Limits = state.limits
    files = [f for f in form.getlist("files") if hasattr(f, "read") and f.filename]
    if not files:
        raise Refused(400, "no_files")
    folder = Path(tempfile.mkdtemp(prefix="educluster-web-"))
    try:
        names: list[str] = []
        for f in files:
            data = await f.read()
            try:
                written = uploads.store(folder, f.filename, data, limits.max_zip_members,
                                        int(limits.max_unzipped_mb * 1024 * 1024))
            except uploads.BadUpload as exc:
                message = exc.message(lang)
                return ({"exit_code": 2, "status": "unreadable",
                         "errors": [{"file": uploads.safe_name(f.filename), "line": None,
                                     "message": message}],
                         "json": {"conforms": False, "readable": False,
                                  "errors": [{"file": uploads.safe_name(f.filename),
                                              "message": message}]}})
            names += [p.name for p in written]
        try:
            async with state.gate:
                loop = asyncio.get_running_loop()
                result = await loop.run_in_executor(
                    None, partial(run_killable, job.validate,
                                  (str(folder), names, lang, strict), limits.timeout_s,
                                  limits.memory_mb))
        except Busy:
            raise Refused(503, "busy") from None
        except TimedOut:
            raise Refused(504, "timeout", s=f"{limits.timeout_s:g}") from None
        except OutOfMemory:
            raise Refused(413, "memory", mb=f"{limits.memory_mb:g}") from None
        except WorkerFailed as exc:
            LOG.error("validation failed: %s", exc)
            raise Refused(500, "failed") from None
        return result
    finally:
        if state.keep_uploads is not None:
            dest = Path(state.keep_uploads) / uuid.uuid4().hex
            shutil.copytree(folder, dest)
        shutil.rmtree(folder, ignore_errors=True)


def _data_url(content: str, mime: str) -> str:
    """A data: URL for a download link (no state kept on the server)."""
    return f"data:{mime};charset=utf-8;base64," + base64.b64encode(content.encode()).decode()


def _grouped(rows: list[dict], lang: str) -> list[dict]:
    """The findings grouped by file, then by row, in the report's order."""
    files: dict[str, dict] = {}
    for r in rows:
        fname = r.get("file") or r.get("source") or "-"
        group = files.setdefault(fname, {"file": fname, "rows": {}})
        key = r.get("row") or ""
        label = text("row", lang).format(n=key) if key else text("no_row", lang)
        if r.get("sheet"):
            label = f"{r['sheet']}: {label}"
        else:   # a heading: "Row 3", "Строка 3" ("row {n}" is lower case inside sentences)
            label = label[:1].upper() + label[1:]
        group["rows"].setdefault(label, []).append(r)
    return [{"file": g["file"], "rows": list(g["rows"].items())} for g in files.values()]


async def home(request: Request) -> Response:
    lang = _lang(request)
    base = str(request.base_url).rstrip("/")
    return _page("index.html", lang, base=base, limits=request.app.state.limits,
                 accept=",".join(uploads.DATA_SUFFIXES + (".zip",)))


async def validate_page(request: Request) -> Response:
    lang = _lang(request)
    try:
        result, lang = await _validate(request)
    except Refused as exc:
        lang = getattr(exc, "lang", lang)
        return _page("error.html", lang, status=exc.status, message=exc.message(lang))
    downloads = []
    if result["exit_code"] != 2:
        downloads = [("dl_json", "report.json",
                      _data_url(json.dumps(result["json"], indent=2, ensure_ascii=False),
                                "application/json")),
                     ("dl_csv", "report.csv", _data_url(result["csv"], "text/csv")),
                     ("dl_html", "report.html", _data_url(result["html"], "text/html"))]
        if result.get("turtle"):
            downloads.append(("dl_ttl", "data.ttl", _data_url(result["turtle"], "text/turtle")))
    return _page("report.html", lang, status=200 if result["exit_code"] != 2 else 422,
                 result=result, downloads=downloads, groups=_grouped(result.get("rows", []), lang))


async def api_validate(request: Request) -> Response:
    lang = _lang(request)
    try:
        result, lang = await _validate(request)
    except Refused as exc:
        lang = getattr(exc, "lang", lang)
        return JSONResponse({"error": exc.key, "message": exc.message(lang)},
                            status_code=exc.status, headers=SECURITY_HEADERS)
    doc = {"exit_code": result["exit_code"], "status": result["status"], "lang": lang,
           "report": result["json"]}
    if result.get("turtle"):
        doc["turtle"] = result["turtle"]
    return JSONResponse(doc, status_code=200 if result["exit_code"] != 2 else 422,
                        headers=SECURITY_HEADERS)


async def openapi(request: Request) -> Response:
    """The OpenAPI description; ``?lang=`` gives its texts in that language (names, codes and
    schemas are the same in every language)."""
    from educluster.web.openapi import document

    doc = document(_lang(request))
    doc["info"]["x-limits"] = {"max_upload_mb": request.app.state.limits.max_upload_mb,
                               "timeout_s": request.app.state.limits.timeout_s}
    return JSONResponse(doc, headers=SECURITY_HEADERS)


async def not_found(request: Request, exc) -> Response:
    lang = _lang(request)
    status = getattr(exc, "status_code", 404)
    key = {404: "not_found", 405: "wrong_method"}.get(status, "bad_request")
    return _page("error.html", lang, status=status,
                 message=text(key, lang).format(status=status),
                 title=text("no_page_title", lang) if status == 404 else None)


class SecurityHeaders:
    """ASGI wrapper adding the security headers to every answer (static files too)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()
                         if k.lower().encode() not in have]
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(limits: Limits | None = None, keep_uploads: str | None = None) -> Starlette:
    """The application with its limits; ``keep_uploads`` a folder to copy uploads into."""
    app = Starlette(routes=[
        Route("/", home),
        Route("/validate", validate_page, methods=["POST"]),
        Route("/api/validate", api_validate, methods=["POST"]),
        Route("/api/openapi.json", openapi),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ], exception_handlers={HTTPException: not_found})
    app.add_middleware(SecurityHeaders)
    app.state.limits = limits or Limits()
    app.state.keep_uploads = keep_uploads
    app.state.gate = Gate(app.state.limits.workers, app.state.limits.queue)
    return app

"""The capture receiver: Zeeschuimer's "upload to 4CAT" button, pointed at Netra.

The extension POSTs the NDJSON of one platform to ``<server>/api/import-dataset/`` with an
``X-Zeeschuimer-Platform`` header, then polls ``/api/check-query/?key=...`` until ``done``. It
keeps only scheme, host and port of the configured URL and sends no token of its own, only the
browser's cookies, so an analyst first opens ``<server>/masuk?token=...`` once in that browser
(which sets an HttpOnly cookie); scripts may send the token as ``Authorization: Bearer``. Only a
hash of each token is stored; an unknown, missing or non-analyst token gets 403 before the body
is read, and a body over the size limit gets 413 without being buffered.
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from ..evidence import audit
from ..store import connect
from ..store import captures as capture_rows
from . import capture_import
from .zeeschuimer import MAPPERS

COOKIE = "netra_capture_token"
DEFAULT_MAX_BYTES = 25 * 1024 * 1024


class _TooLarge(Exception):
    pass


def _token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.headers.get("authentication") or request.cookies.get(COOKIE) or None


async def _read_capped(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _TooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def make_app(db_path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, fetch_media=None) -> Starlette:
    """The ASGI app. Each request opens its own connection (imports run in a worker thread)."""

    def who(token: str | None) -> dict | None:
        if not token:
            return None
        store = connect(db_path, create=False)
        try:
            return capture_rows.user_for_token(store, token)
        finally:
            store.close()

    def run_import(body: bytes, user: dict, platform: str) -> dict:
        store = connect(db_path, create=False)
        try:
            report = capture_import.import_capture(store, body, captured_by=user["username"],
                                                   source_name=f"unggahan {platform}", fetch_media=fetch_media)
            audit.record(store, user["username"], "capture_upload", target=f"capture:{report.import_id}",
                         platform=platform, **report.counts)
            return {"key": f"netra-{report.import_id}", "counts": report.counts}
        finally:
            store.close()

    async def import_dataset(request: Request) -> Response:
        user = await run_in_threadpool(who, _token(request))
        if user is None:
            return JSONResponse({"status": "error", "error": "Token unggah tidak sah atau tidak ada. "
                                 "Buat dengan `netra users token NAMA`, lalu buka /masuk?token=... di peramban ini."},
                                status_code=403)
        platform = (request.headers.get("x-zeeschuimer-platform") or "").strip().lower()
        if platform not in MAPPERS:
            return PlainTextResponse(f"Unknown platform or source format: platform {platform!r} tidak didukung Netra",
                                     status_code=404)
        try:
            body = await _read_capped(request, max_bytes)
        except _TooLarge:
            return JSONResponse({"status": "error", "error": f"Berkas terlalu besar (batas {max_bytes // (1024 * 1024)} MB). "
                                 "Ekspor per platform atau per sesi yang lebih kecil."}, status_code=413,
                                headers={"Connection": "close"})
        result = await run_in_threadpool(run_import, body, user, platform)
        key = result["key"]
        return JSONResponse({"status": "queued", "key": key, "url": f"/api/check-query/?key={key}",
                             "counts": result["counts"]})

    def status_of(key: str) -> dict | None:
        if not key.startswith("netra-") or not key[6:].isdigit():
            return None
        store = connect(db_path, create=False)
        try:
            return capture_rows.get_import(store, int(key[6:]))
        finally:
            store.close()

    async def check_query(request: Request) -> Response:
        if await run_in_threadpool(who, _token(request)) is None:
            return JSONResponse({"status": "error", "error": "Token unggah tidak sah atau tidak ada."}, status_code=403)
        found = await run_in_threadpool(status_of, request.query_params.get("key", ""))
        if found is None:
            return JSONResponse({"status": "error", "error": "Impor tidak ditemukan."}, status_code=404)
        counts = found["counts"]
        return JSONResponse({
            "done": found["finished_at"] is not None, "key": f"netra-{found['id']}",
            "status": (f"{counts.get('new', 0)} baru, {counts.get('dropped_unregistered', 0)} dibuang (tidak terdaftar), "
                       f"{counts.get('errors', 0)} baris rusak"),
            "rows": counts.get("new", 0) + counts.get("edited", 0) + counts.get("duplicates", 0),
            "datasource": (found["platforms"] or "").split(".")[0], "url": "/tangkapan_peramban",
        })

    async def sign_in(request: Request) -> Response:
        token = request.query_params.get("token", "")
        user = await run_in_threadpool(who, token)
        if user is None:
            return PlainTextResponse("Token tidak sah.", status_code=403)
        response = PlainTextResponse(f"Peramban ini siap mengunggah tangkapan sebagai {user['username']}. "
                                     "Tutup tab ini dan tekan 'to 4CAT' di Zeeschuimer.")
        response.set_cookie(COOKIE, token, httponly=True, samesite="lax", max_age=30 * 86400)
        return response

    return Starlette(routes=[
        Route("/api/import-dataset/", import_dataset, methods=["POST"]),
        Route("/api/check-query/", check_query, methods=["GET"]),
        Route("/masuk", sign_in, methods=["GET"]),
    ])


def serve(db_path: str | Path, *, host: str = "127.0.0.1", port: int = 8765, max_bytes: int = DEFAULT_MAX_BYTES,
          fetch_media=None) -> None:
    import uvicorn

    uvicorn.run(make_app(db_path, max_bytes=max_bytes, fetch_media=fetch_media), host=host, port=port,
                log_level="warning")


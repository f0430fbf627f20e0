"""Static assets and page images: served from memory and the store, never from a request path.

The static files (styles, scripts, vendored htmx) are read from the package once,
into a fixed table by name; a request can only pick an entry of that table. Page
images are looked up in the store by their SHA-256 (the store refuses anything that
is not 64 lowercase hex digits), so no part of a URL ever reaches the file system.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import Response

from zhanchi.review.audit_log import log_image_view
from zhanchi.review.state import NotFoundError, app_state, current_user

router = APIRouter()

STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8"}
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp", "image/tiff"})


@lru_cache(maxsize=1)
def static_files() -> dict[str, tuple[bytes, str, str]]:
    """Name → (bytes, media type, ETag) for every file shipped in ``review/static``."""
    table = {}
    for entry in resources.files("zhanchi.review").joinpath("static").iterdir():
        suffix = "." + entry.name.rsplit(".", 1)[-1] if "." in entry.name else ""
        if entry.is_file() and suffix in STATIC_TYPES:
            data = entry.read_bytes()
            table[entry.name] = (data, STATIC_TYPES[suffix], hashlib.sha256(data).hexdigest()[:16])
    return table


def asset_version(name: str) -> str:
    """The content hash of a static file, for cache-busting URLs (``?v=…``)."""
    entry = static_files().get(name)
    return entry[2] if entry else ""


@router.get("/static/{name}")
def static(name: str, request: Request) -> Response:
    """A shipped asset by exact name (anything else is 404)."""
    entry = static_files().get(name)
    if entry is None:
        raise NotFoundError()
    data, media_type, etag = entry
    headers = {"ETag": f'"{etag}"', "Cache-Control": "public, max-age=86400"}
    if request.headers.get("if-none-match") == f'"{etag}"':
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=media_type, headers=headers)


@router.get("/images/{sha256}")
def page_image(sha256: str, request: Request) -> Response:
    """A cleaned page image by its hash (logged-in reviewers only: it shows personal data).

    Every image served is logged (who, which page, which submission).
    """
    user = current_user(request)
    image = app_state(request).store.get_page_image(sha256)
    if image is None or image.media_type not in IMAGE_TYPES:
        raise NotFoundError()
    log_image_view(request, user.name, image.sha256)
    # personal data: not kept in the browser's disk cache of a shared office computer
    return Response(image.data, media_type=image.media_type,
                    headers={"Cache-Control": "no-store"})

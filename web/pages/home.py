"""The front page, the language switch and the quick exit."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response

from web.i18n import LANGUAGES
from web.pages.common import call, local_path, redirect, suara
from web.sessions import end_current_sessions
from web.templating import render

FAVICON = Path(__file__).resolve().parent.parent / "static" / "favicon.ico"


async def home(request: Request) -> Response:
    # Anonymous visitors see only listed congresses (a name can say who meets); a signed-in
    # visitor sees their own too. An unlisted congress is reached by its address.
    own = request.session.get("cid")
    congresses = await call(suara(request).queries.congresses, listed_only=True, shown_to=own)
    if len(congresses) == 1:
        return redirect(f"/congresses/{congresses[0].id}")
    return render(request, "home.html", {"congresses": congresses})


async def set_language(request: Request) -> Response:
    language = str(request.path_params["language"])
    target = local_path(request.query_params.get("next", "/"))
    response = RedirectResponse(target, status_code=303)
    if language in LANGUAGES:
        response.set_cookie("lang", language, max_age=365 * 86400, httponly=True, samesite="lax")
    return response


async def quick_exit(request: Request) -> Response:
    """One tap clears the session and leaves a page that says nothing about the meeting."""
    await end_current_sessions(request)
    request.session.clear()
    return render(request, "exit.html", no_store=True)


async def favicon(request: Request) -> Response:
    """A plain dot: browsers ask for /favicon.ico on every site, and a 404 fills the logs."""
    return FileResponse(
        FAVICON, media_type="image/x-icon", headers={"Cache-Control": "public, max-age=86400"}
    )


async def health(request: Request) -> Response:
    """
    ---
    summary: Whether this web process can reach its database
    responses:
      200:
        description: Healthy.
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Health"}
      503:
        description: The database is unavailable.
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Error"}
    """
    ok = await call(suara(request).queries.ping)
    return JSONResponse({"status": "ok" if ok else "degraded"}, status_code=200 if ok else 503)

"""Sign-in with an identity card, switching to an anonymous voting card, and sign-out."""

from __future__ import annotations

import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from governance.domain.errors import CongressNotFound, InvalidCredentials
from governance.service_layer import auth
from web.errors import message
from web.forms import single
from web.i18n import _
from web.pages.common import call, checked_form, redirect, suara
from web.security import fresh_session
from web.sessions import SessionSealer, end_current_sessions
from web.templating import render
from web.throttle import SignInThrottle, card_number


def _throttle(request: Request) -> SignInThrottle:
    throttle: SignInThrottle = request.app.state.throttle
    return throttle


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


# A browser that signed in with a card before carries a sealed "known device" cookie, scoped to
# this congress's sign-in page: its attempts for that card are counted for the device, not
# for the address, so a guesser behind the same hotel NAT cannot lock the card's owner out.
DEVICE_COOKIE = "suara_device"
DEVICE_MAX_AGE_S = 14 * 86400
DEVICE_CARDS = 8


def _device(request: Request) -> dict[str, Any]:
    value = request.cookies.get(DEVICE_COOKIE)
    if not value:
        return {}
    device = SessionSealer(suara(request).settings.secret_key, "device").open(value)
    ok = isinstance(device.get("d"), str) and isinstance(device.get("n"), list)
    return device if ok else {}


def _subject(request: Request, device: dict[str, Any], number: str | None) -> str:
    """Whom the throttle counts: this known device for a card it signed in with, else the
    address."""
    if number is not None and int(number) in device.get("n", []):
        return "device:" + str(device["d"])
    return _address(request)


def _remember_device(
    request: Request, response: Response, device: dict[str, Any], number: int
) -> None:
    known = [n for n in device.get("n", []) if isinstance(n, int) and n != number]
    device = {"d": device.get("d") or secrets.token_urlsafe(16), "n": [number, *known]}
    device["n"] = device["n"][:DEVICE_CARDS]
    sealed = SessionSealer(suara(request).settings.secret_key, "device").seal(device)
    response.set_cookie(
        DEVICE_COOKIE,
        sealed,
        max_age=DEVICE_MAX_AGE_S,
        path=f"/congresses/{request.path_params['congress_id']}/signin",
        httponly=True,
        samesite="lax",
        secure=suara(request).settings.secure_cookies,
    )


def _refused(
    request: Request, template: str, congress_id: str, error: str, status: int
) -> Response:
    context = {"congress_id": congress_id, "error": error}
    return render(request, template, context, status=status, no_store=True)


def _throttled(request: Request, template: str, congress_id: str, wait: int) -> Response:
    text = _("Too many failed attempts. Please wait %(seconds)s seconds and try again.")
    response = _refused(request, template, congress_id, text % {"seconds": wait}, 429)
    response.headers["retry-after"] = str(wait)
    return response


async def _congress(request: Request) -> str:
    congress_id = str(request.path_params["congress_id"])
    if await call(suara(request).queries.congress, congress_id) is None:
        raise CongressNotFound()
    return congress_id


async def sign_in_form(request: Request) -> Response:
    congress_id = await _congress(request)
    return render(request, "auth/signin.html", {"congress_id": congress_id}, no_store=True)


async def sign_in(request: Request) -> Response:
    congress_id = await _congress(request)
    form = await checked_form(request)
    app = suara(request)
    code = single(form, "code", max_length=80)
    number = card_number(code)
    device = _device(request)
    card, address, throttle = (
        f"{congress_id}:{number}" if number else None,
        _subject(request, device, number),
        _throttle(request),
    )
    wait = throttle.wait_seconds("signin", address, card)
    if wait:
        # Hammering lengthens the address's wait, not the card's: the owner is elsewhere.
        throttle.refused("signin", address, card)
        return _throttled(request, "auth/signin.html", congress_id, wait)
    try:
        principal = await call(auth.sign_in, app.uow_factory, app.hasher, congress_id, code)
    except InvalidCredentials:
        throttle.failed("signin", address, card)
        error = message("invalid_credentials")
        return _refused(request, "auth/signin.html", congress_id, error, 401)
    await end_current_sessions(request)  # a card switch signs the previous card out
    # Read after that: signing in again with the same card must not carry the ended version.
    current = await call(app.queries.identity_session, congress_id, principal.card_number)
    if current is None:
        raise InvalidCredentials()
    fresh_session(
        request,
        cid=congress_id,
        role=principal.role.value,
        card=principal.card_number,
        label=principal.label,
        did=principal.delegate_id,
        ver=auth.epoch_of(*current),
    )
    response = redirect(f"/congresses/{congress_id}")
    _remember_device(request, response, device, principal.card_number)
    return response


async def voting_card_form(request: Request) -> Response:
    congress_id = await _congress(request)
    context = {"congress_id": congress_id, "next": _poll_id(request.query_params.get("poll"))}
    return render(request, "auth/voting_card.html", context, no_store=True)


def _poll_id(value: object) -> str:
    """A poll id to return to, or nothing: 32 lowercase hex digits, never a URL."""
    text = str(value or "")
    return text if len(text) == 32 and all(c in "0123456789abcdef" for c in text) else ""


async def _return_to(request: Request, congress_id: str, poll_id: str) -> str:
    """After the switch, back to the poll the voter came from, if it is this congress's."""
    if poll_id:
        poll = await call(suara(request).queries.poll, poll_id)
        if poll is not None and poll.congress_id == congress_id:
            return f"/polls/{poll_id}"
    return f"/congresses/{congress_id}"


async def use_voting_card(request: Request) -> Response:
    """Swap whatever session there was for one that knows only the anonymous card."""
    congress_id = await _congress(request)
    form = await checked_form(request)
    app = suara(request)
    code = single(form, "code", max_length=80)
    # Not throttled: a 120-bit code cannot be guessed, and a per-address limit let one phone
    # behind the hotel's NAT lock every voting card there out (issue 18).
    try:
        tag = await call(
            auth.voting_card, app.uow_factory, app.settings.secret_key, congress_id, code
        )
    except InvalidCredentials:
        error = message("invalid_credentials")
        return _refused(request, "auth/voting_card.html", congress_id, error, 401)
    await end_current_sessions(request)  # the identity card's session ends with the switch
    current = await call(app.queries.voting_session, congress_id, tag)  # after that
    if current is None:
        raise InvalidCredentials()
    fresh_session(request, cid=congress_id, vtag=tag, vver=current)
    back = single(form, "poll", required=False, max_length=32)
    return redirect(await _return_to(request, congress_id, _poll_id(back)))


async def sign_out(request: Request) -> Response:
    await checked_form(request)
    congress_id = request.session.get("cid")
    await end_current_sessions(request)
    fresh_session(request)
    return redirect(f"/congresses/{congress_id}" if congress_id else "/")

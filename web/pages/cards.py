"""The secretariat's card desk: issue identity cards (a PDF to print), register the voting
cards printed offline (their tags only), revoke a voting card by its code, revoke or re-issue
an identity card by its printed number."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from governance.documents.cards import identity_cards_pdf, read_tags_file
from governance.domain.codes import normalise_serial
from governance.domain.commands import (
    IssueIdentityCards,
    RegisterVotingCards,
    ReissueIdentityCard,
    RevokeVotingCard,
)
from governance.domain.errors import CongressNotFound, InvalidInput
from governance.domain.limits import MAX_TAGS_BYTES, MAX_VOTING_CARDS
from web.forms import single
from web.i18n import number
from web.pages.common import call, checked_form, checked_upload, redirect, suara
from web.pages.delegates import _secretariat
from web.security import acting_official
from web.templating import render

# A tags file is 65 bytes a card: the file of one print run at the cap (20,000 cards).
MAX_TAGS_FILE = MAX_TAGS_BYTES


async def cards_page(request: Request) -> Response:
    congress_id = await _secretariat(request)
    app = suara(request)
    delegates = await call(app.queries.delegates, congress_id)
    holding = await call(app.queries.delegates_with_card, congress_id)
    # A re-issued code is shown once, then it leaves the session.
    context = {
        "congress_id": congress_id,
        "delegates": len(delegates),
        "identity": sum(d.id in holding for d in delegates),
        "voting": await call(app.queries.voting_cards, congress_id),
        "reissued": request.session.pop("reissued", None),
        "done": request.session.pop("card_done", None),
        "fingerprint": request.session.pop("fingerprint", None),
        "max_cards": number(MAX_VOTING_CARDS),
    }
    return render(request, "delegates/cards.html", context, no_store=True)


async def issue_identity_cards(request: Request) -> Response:
    """The codes exist only in this PDF: it is the answer itself, never stored or redirected."""
    congress_id = await _secretariat(request)
    await checked_form(request)
    app = suara(request)
    congress = await call(app.queries.congress, congress_id)
    if congress is None:
        raise CongressNotFound()
    printed = await call(
        app.bus.handle, IssueIdentityCards(congress_id), by=acting_official(request, congress_id)
    )
    sheet = await call(identity_cards_pdf, printed, congress.name)
    headers = {
        "Content-Disposition": 'attachment; filename="identity-cards.pdf"',
        "Cache-Control": "no-store",
    }
    return Response(sheet, media_type="application/pdf", headers=headers)


async def register_voting_cards(request: Request) -> Response:
    """The tags file written by `suara cards voting`: only HMACs, never a printed code."""
    congress_id = await _secretariat(request)
    request.state.back = f"/congresses/{congress_id}/cards"
    _form, text = await checked_upload(request, "tags", MAX_TAGS_FILE)
    read = read_tags_file(text)
    if not read or not read[0]:
        raise InvalidInput("tags")
    tags, serials = read
    fingerprint = await call(
        suara(request).bus.handle,
        RegisterVotingCards(congress_id, tags, serials),
        by=acting_official(request, congress_id),
    )
    request.session["card_done"] = "registered"
    request.session["fingerprint"] = fingerprint
    return redirect(f"/congresses/{congress_id}/cards")


async def revoke_voting_card(request: Request) -> Response:
    congress_id = await _secretariat(request)
    request.state.back = f"/congresses/{congress_id}/cards"
    form = await checked_form(request)
    typed = single(form, "code", max_length=80)
    # A lost card is gone with its code: the serial noted from it (linked to nobody) will do.
    serial = normalise_serial(typed)
    command = (
        RevokeVotingCard(congress_id, serial=serial)
        if serial
        else RevokeVotingCard(congress_id, typed)
    )
    await call(
        suara(request).bus.handle,
        command,
        by=acting_official(request, congress_id),
    )
    request.session["card_done"] = "voting"
    return redirect(f"/congresses/{congress_id}/cards")


async def change_identity_card(request: Request) -> Response:
    """A delegate's card only: an official's is refused (the desk would make itself the chair)."""
    congress_id = await _secretariat(request)
    request.state.back = f"/congresses/{congress_id}/cards"
    form = await checked_form(request)
    number = single(form, "number", max_length=6)
    if not (number.isascii() and number.isdigit()):
        raise InvalidInput("number")
    reissue = single(form, "action", max_length=10) == "reissue"
    printed = await call(
        suara(request).bus.handle,
        ReissueIdentityCard(congress_id, int(number), reissue),
        by=acting_official(request, congress_id),
    )
    if printed:
        request.session["reissued"] = printed
    request.session["card_done"] = "identity"
    return redirect(f"/congresses/{congress_id}/cards")

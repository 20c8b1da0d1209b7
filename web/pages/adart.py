"""AD/ART pages: the draft, an article with its amendments and diffs, and the adopted text."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from governance.adart import commands as c
from governance.adart.consolidated import consolidate, to_markdown
from governance.adart.diff import amendment_diff
from governance.adart.model import COMMISSIONS, KINDS, AdartRules, StatuteStatus
from governance.adart.statute import Statute
from governance.domain.delegates import Role
from governance.domain.errors import (
    CongressNotFound,
    InvalidCredentials,
    InvalidInput,
    NotAllowed,
    NotFound,
)
from web import i18n
from web.forms import single
from web.pages.common import call, checked_form, redirect, suara
from web.security import require_role, role
from web.templating import TEMPLATES, render

STAFF = (Role.CHAIR, Role.SECRETARIAT)


async def _congress(request: Request) -> str:
    congress_id = str(request.path_params["congress_id"])
    if await call(suara(request).queries.congress, congress_id) is None:
        raise CongressNotFound()
    return congress_id


def _require_member(request: Request, congress_id: str) -> None:
    """The draft and its amendments are for the congress, not the public (only decisions are)."""
    if request.session.get("cid") != congress_id:
        raise NotAllowed()


async def _statute(request: Request, congress_id: str) -> Statute:
    statute = await call(suara(request).queries.adart.statute, congress_id, settled=True)
    if statute is None:
        raise NotFound("statute")
    return statute


async def _delegate(request: Request, congress_id: str) -> str:
    """The signed-in delegate (identity card session); anonymous voting cards cannot propose."""
    require_role(request, congress_id, Role.DELEGATE)
    card = request.session.get("card")
    delegate_id = await call(suara(request).queries.adart.delegate_for_card, congress_id, card)
    if delegate_id is None:
        raise InvalidCredentials()
    return delegate_id


def _context(request: Request, congress_id: str) -> dict[str, object]:
    here = request.session.get("cid") == congress_id
    current = role(request) if here else None
    return {
        "congress_id": congress_id,
        "is_staff": current in STAFF,
        "is_secretariat": current is Role.SECRETARIAT,
        "is_delegate": current is Role.DELEGATE,
        "commissions": COMMISSIONS,
    }


async def statute_page(request: Request) -> Response:
    congress_id = await _congress(request)
    _require_member(request, congress_id)
    statute = await call(suara(request).queries.adart.statute, congress_id, settled=True)
    context = _context(request, congress_id) | {"statute": statute}
    return render(request, "adart/show.html", context)


async def import_draft(request: Request) -> Response:
    congress_id = await _congress(request)
    form = await checked_form(request)
    actor = require_role(request, congress_id, Role.SECRETARIAT)
    source = single(form, "draft", max_length=200_000)
    support = single(form, "required_support", required=False, max_length=3) or "2"
    if not (support.isascii() and support.isdigit()) or not 0 <= int(support) <= 100:
        raise InvalidInput("required_support")
    rules = AdartRules(
        required_support=int(support),
        named_votes=single(form, "named_votes", required=False, max_length=3) == "yes",
    )
    await call(suara(request).bus.handle, c.ImportDraft(congress_id, source, rules), by=actor)
    return redirect(f"/congresses/{congress_id}/adart")


async def assign_chapter(request: Request) -> Response:
    congress_id = await _congress(request)
    form = await checked_form(request)
    actor = require_role(request, congress_id, Role.SECRETARIAT)
    chapter = str(request.path_params["chapter"])
    commission = single(form, "commission", max_length=30)
    await call(
        suara(request).bus.handle, c.AssignChapter(congress_id, chapter, commission), by=actor
    )
    return redirect(f"/congresses/{congress_id}/adart")


async def article_page(request: Request) -> Response:
    congress_id = await _congress(request)
    _require_member(request, congress_id)
    statute = await _statute(request, congress_id)
    article = statute.article(str(request.path_params["article"]))
    amendments = [(a, amendment_diff(article.text, a)) for a in statute.amendments_of(article.key)]
    context = _context(request, congress_id) | {
        "statute": statute,
        "article": article,
        "chapter": statute.chapter(article.chapter),
        "amendments": amendments,
        "kinds": KINDS,
    }
    return render(request, "adart/article.html", context)


async def propose(request: Request) -> Response:
    congress_id = await _congress(request)
    form = await checked_form(request)
    delegate_id = await _delegate(request, congress_id)
    article = str(request.path_params["article"])
    command = c.ProposeAmendment(
        congress_id,
        article,
        single(form, "kind", max_length=10),
        single(form, "target", max_length=20),
        single(form, "text", required=False, max_length=5000),
        single(form, "reason", max_length=2000),
        delegate_id,
    )
    await call(suara(request).bus.handle, command)
    return redirect(f"/congresses/{congress_id}/adart/articles/{article}")


async def _amendment_article(request: Request, congress_id: str) -> tuple[str, str]:
    statute = await _statute(request, congress_id)
    amendment = statute.amendment(str(request.path_params["amendment_id"]))
    return amendment.id, amendment.article


async def support(request: Request) -> Response:
    congress_id = await _congress(request)
    await checked_form(request)
    delegate_id = await _delegate(request, congress_id)
    amendment_id, article = await _amendment_article(request, congress_id)
    await call(
        suara(request).bus.handle, c.SupportAmendment(congress_id, amendment_id, delegate_id)
    )
    return redirect(f"/congresses/{congress_id}/adart/articles/{article}")


async def recommend(request: Request) -> Response:
    congress_id = await _congress(request)
    form = await checked_form(request)
    actor = require_role(request, congress_id, Role.SECRETARIAT)
    amendment_id, article = await _amendment_article(request, congress_id)
    command = c.RecommendAmendment(
        congress_id,
        amendment_id,
        single(form, "commission", max_length=30),
        single(form, "recommendation", max_length=10),
    )
    await call(suara(request).bus.handle, command, by=actor)
    return redirect(f"/congresses/{congress_id}/adart/articles/{article}")


async def deliberate(request: Request) -> Response:
    congress_id = await _congress(request)
    form = await checked_form(request)
    actor = require_role(request, congress_id, *STAFF)
    article = str(request.path_params["article"])
    consensus = single(form, "consensus", max_length=3) == "yes"
    accepted = tuple(str(v) for v in form.getlist("accept") if isinstance(v, str))[:50]
    note = single(form, "note", required=False, max_length=2000)
    command = c.RecordDeliberation(congress_id, article, consensus, note, accepted)
    await call(suara(request).bus.handle, command, by=actor)
    return redirect(f"/congresses/{congress_id}/adart/articles/{article}")


async def open_vote(request: Request) -> Response:
    congress_id = await _congress(request)
    form = await checked_form(request)
    actor = require_role(request, congress_id, *STAFF)
    subject = single(form, "subject", max_length=40)
    poll_id = await call(suara(request).bus.handle, c.OpenAdartVote(congress_id, subject), by=actor)
    return redirect(f"/polls/{poll_id}")


async def settle(request: Request) -> Response:
    congress_id = await _congress(request)
    await checked_form(request)
    actor = require_role(request, congress_id, *STAFF)
    await call(suara(request).bus.handle, c.SettleAdartVotes(congress_id), by=actor)
    return redirect(f"/congresses/{congress_id}/adart")


async def text_page(request: Request) -> Response:
    """The consolidated text; `?format=md` or `?format=html` downloads it."""
    congress_id = await _congress(request)
    statute = await _statute(request, congress_id)
    if statute.status is not StatuteStatus.ADOPTED:
        _require_member(request, congress_id)  # public once adopted, like any decision
    text = consolidate(statute)
    wanted = request.query_params.get("format", "")
    if wanted == "md":
        return Response(
            to_markdown(text),
            media_type="text/markdown; charset=utf-8",
            headers={"content-disposition": 'attachment; filename="ad-art.md"'},
        )
    context = _context(request, congress_id) | {"text": text, "lang": i18n.current_language()}
    if wanted == "html":
        body = TEMPLATES.get_template("adart/_text_export.html").render(context)
        headers = {"content-disposition": 'attachment; filename="ad-art.html"'}
        return Response(body, media_type="text/html; charset=utf-8", headers=headers)
    return render(request, "adart/text.html", context)

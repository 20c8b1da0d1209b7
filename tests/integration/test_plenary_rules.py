"""The rules of procedure run the plenary: no poll opens by any path during skorsing, and the
AD/ART's thresholds are those of the rules in force, not constants."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sqlalchemy as sa

from governance.adapters.tables import polls, positions, sittings, statutes
from governance.adart import commands as a
from governance.adart.sample import SAMPLE_DRAFT
from governance.bootstrap import Suara
from governance.domain import plenary_commands as p
from governance.domain.commands import (
    AddAgendaItem,
    AnswerNomination,
    CreatePoll,
    CreatePosition,
    Nominate,
    OpenPoll,
    OpenPosition,
    SecondNomination,
)
from governance.domain.plenary_errors import SittingIsSuspended, SittingNotSuspended
from governance.domain.rules import Rules
from tests import factories


def adopt(app: Suara, congress_id: str, rules: Rules) -> None:
    with app.uow_factory() as uow:
        uow.rules.adopt(congress_id, rules)
        uow.commit()


def stored(app: Suara) -> tuple[object, ...]:
    with app.engine.connect() as conn:
        return tuple(
            tuple(conn.execute(sa.select(t)).all()) for t in (polls, positions, statutes, sittings)
        )


def test_no_poll_opens_by_any_path_while_the_sitting_is_suspended(app: Suara) -> None:
    congress = factories.congress(app, delegates=6, cards=6)
    cid, people = congress.id, congress.delegate_ids
    motion = app.bus.handle(CreatePoll(cid, "Laporan diterima"))
    position = app.bus.handle(CreatePosition(cid, "Bendahara", 1, "irv"))
    for candidate in people[:2]:
        nomination = app.bus.handle(Nominate(position, candidate, candidate))
        app.bus.handle(SecondNomination(nomination, people[5]))
        app.bus.handle(AnswerNomination(nomination, True, candidate))
    app.bus.handle(a.ImportDraft(cid, SAMPLE_DRAFT.read_text(encoding="utf-8")))
    app.bus.handle(a.RecordDeliberation(cid, "AD-1", False, "tidak mufakat"))
    floor = app.bus.handle(p.TableMotion(cid, people[0], "Usul", "Teks."))
    for seconder in people[1:3]:
        app.bus.handle(p.SecondMotion(floor, seconder))
    item = app.bus.handle(AddAgendaItem(cid, "Pleno", "plenary", "Usul"))
    app.bus.handle(p.AdmitMotion(floor, item))
    app.bus.handle(p.RecordMotionDeliberation(floor, False))

    app.bus.handle(p.SuspendSitting(cid, "Gangguan di ruang sidang"))
    before = stored(app)
    for command in (
        OpenPoll(motion),
        OpenPosition(position),
        a.OpenAdartVote(cid, "AD-1"),
        p.OpenMotionVote(floor),
    ):
        with pytest.raises(SittingIsSuspended):
            app.bus.handle(command)
    assert stored(app) == before
    app.bus.handle(p.ResumeSitting(cid))
    with pytest.raises(SittingNotSuspended):
        app.bus.handle(p.ResumeSitting(cid))
    app.bus.handle(OpenPoll(motion))
    assert app.bus.handle(OpenPosition(position)) is not None
    app.bus.handle(a.OpenAdartVote(cid, "AD-1"))
    app.bus.handle(p.OpenMotionVote(floor))


def test_the_adart_thresholds_are_those_of_the_rules_in_force(app: Suara) -> None:
    congress = factories.congress(app, delegates=6, cards=6)
    cid = congress.id
    app.bus.handle(a.ImportDraft(cid, SAMPLE_DRAFT.read_text(encoding="utf-8")))
    # Rules adopted after the draft came in: its votes follow them from then on.
    adopt(app, cid, Rules(ad_majority="3/4", art_majority="3/5", adart_quorum="1/2"))
    for key in ("AD-1", "ART-1"):
        app.bus.handle(a.RecordDeliberation(cid, key, False, ""))
    ad = app.queries.poll(app.bus.handle(a.OpenAdartVote(cid, "AD-1")))
    art = app.queries.poll(app.bus.handle(a.OpenAdartVote(cid, "ART-1")))
    assert ad is not None and ad.rule is not None and art is not None and art.rule is not None
    assert (ad.rule.fraction, ad.rule.strict, ad.rule.quorum) == (
        Fraction(3, 4),
        False,
        Fraction(1, 2),
    )
    assert (art.rule.fraction, art.rule.strict) == (Fraction(3, 5), False)
    assert "sekurang-kurangnya 3/4" in ad.description and "kuorum 1/2" in ad.description


def test_the_default_adart_thresholds_are_the_scenarios(app: Suara) -> None:
    congress = factories.congress(app, delegates=6, cards=6)
    app.bus.handle(a.ImportDraft(congress.id, SAMPLE_DRAFT.read_text(encoding="utf-8")))
    for key in ("AD-1", "ART-1"):
        app.bus.handle(a.RecordDeliberation(congress.id, key, False, ""))
    ad = app.queries.poll(app.bus.handle(a.OpenAdartVote(congress.id, "AD-1")))
    art = app.queries.poll(app.bus.handle(a.OpenAdartVote(congress.id, "ART-1")))
    assert ad is not None and ad.rule is not None and art is not None and art.rule is not None
    assert (ad.rule.fraction, ad.rule.strict, ad.rule.quorum) == (
        Fraction(2, 3),
        False,
        Fraction(2, 3),
    )
    assert (art.rule.fraction, art.rule.strict, art.rule.quorum) == (
        Fraction(1, 2),
        True,
        Fraction(2, 3),
    )

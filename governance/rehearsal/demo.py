"""The demo congress: the reference scenario with invented aliases and one open motion."""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path

from governance.bootstrap import Suara
from governance.domain import codes
from governance.domain.commands import (
    AddAgendaItem,
    CheckInDelegate,
    CreatePoll,
    CreatePosition,
    Nominate,
    OpenPoll,
    SecondNomination,
)
from governance.domain.delegates import (
    CHAIR_CARD,
    OBSERVER_CARD,
    OFFICIALS,
    SECRETARIAT_CARD,
    Delegate,
    Role,
)
from governance.service_layer import setup

REGIONS: dict[str, tuple[str, ...]] = {
    "west": (
        "Aceh",
        "Sumatera Utara",
        "Sumatera Barat",
        "Riau",
        "Kepulauan Riau",
        "Bangka Belitung",
        "Sumatera Selatan",
        "Lampung",
    ),
    "central": (
        "Banten",
        "DKI Jakarta",
        "Jawa Barat",
        "Jawa Tengah",
        "Jawa Timur",
        "DI Yogyakarta",
    ),
    "east": ("Bali", "Nusa Tenggara Timur"),
}
_FLOWERS = (
    "Melati",
    "Mawar",
    "Kenanga",
    "Anggrek",
    "Dahlia",
    "Kamboja",
    "Teratai",
    "Cempaka",
    "Seruni",
    "Kemuning",
    "Asoka",
    "Soka",
    "Aster",
)
_TIMES = ("Pagi", "Senja", "Bulan", "Bintang")
# Caucuses are the congress's own words, written in its language.
CAUCUSES = ("perempuan",) * 27 + ("waria",) * 15 + ("laki-laki",) * 10
DELEGATES = 52
VOTING_CARDS = 60


@dataclass
class DemoCodes:
    """The printed codes of the demo: handed out on cards in real life, printed here."""

    congress_id: str
    identity: dict[str, str] = field(default_factory=dict)
    voting_cards: list[str] = field(default_factory=list)
    motion_id: str = ""


def demo_delegates(congress_id: str) -> list[Delegate]:
    """52 delegates, 3 per province and 4 more, with invented aliases."""
    provinces = [(p, r) for r, names in REGIONS.items() for p in names]
    seats = [p for p in provinces for _ in range(3)] + provinces[:4]
    aliases = [f"{a} {b}" for b, a in itertools.product(_TIMES, _FLOWERS)]
    return [
        Delegate(
            id=codes.new_id(),
            congress_id=congress_id,
            number=i + 1,
            alias=aliases[i],
            province=province,
            region=region,
            caucus=CAUCUSES[i],
        )
        for i, (province, region) in enumerate(seats[:DELEGATES])
    ]


def load_demo(app: Suara, present: int = 48) -> DemoCodes:
    """Load the demo congress into an empty database and return its printed codes."""
    congress_id = setup.create_congress(
        app.uow_factory, "kongres-demo", "Kongres Nasional I (demo)"
    )
    delegates = demo_delegates(congress_id)
    setup.add_delegates(app.uow_factory, congress_id, delegates)
    holders: list[tuple[int, Role, str | None, str]] = [
        (d.number, Role.DELEGATE, d.id, d.alias) for d in delegates
    ]
    holders += [(number, role, None, label) for number, role, label in OFFICIALS]
    printed = setup.issue_identity_cards(app.uow_factory, app.hasher, congress_id, holders)
    voting = [codes.new_voting_code() for _ in range(VOTING_CARDS)]
    tags = [codes.card_tag(app.settings.secret_key, code) for code in voting]
    setup.register_voting_cards(app.uow_factory, congress_id, tags)
    for delegate in delegates[:present]:
        app.bus.handle(CheckInDelegate(congress_id, delegate.id))
    motion_id = app.bus.handle(
        CreatePoll(
            congress_id=congress_id,
            title="Mengesahkan agenda kongres / Adopt the congress agenda",
            description="Mayoritas sederhana dari suara sah; suara abstain tidak dihitung.",
        )
    )
    app.bus.handle(OpenPoll(motion_id))
    _agenda_and_positions(app, congress_id, delegates)
    return DemoCodes(
        congress_id=congress_id,
        identity={
            "delegate": printed[1],
            "chair": printed[CHAIR_CARD],
            "secretariat": printed[SECRETARIAT_CARD],
            "observer": printed[OBSERVER_CARD],
        },
        voting_cards=voting,
        motion_id=motion_id,
    )


AGENDA = (  # session, kind, item, planned start ("" follows the item before), minutes
    (
        "Pleno I",
        "plenary",
        "Pengesahan agenda dan tata tertib / Agenda and rules of procedure",
        "09:00",
        60,
    ),
    ("Komisi Organisasi", "commission", "AD/ART bab I-V / Articles, chapters I-V", "", 120),
    (
        "Pleno II",
        "plenary",
        "Pemilihan Presidium Nasional / Election of the National Presidium",
        "13:00",
        90,
    ),
    (
        "Pleno III",
        "plenary",
        "Pemilihan Badan Pengurus Nasional / Election of the National Board",
        "",
        60,
    ),
)


def _agenda_and_positions(app: Suara, congress_id: str, delegates: list[Delegate]) -> None:
    """The agenda, the presidium (7 seats, every region) with open nominations, the board."""
    for session, kind, title, starts, minutes in AGENDA:
        app.bus.handle(AddAgendaItem(congress_id, session, kind, title, starts, minutes))
    presidium = app.bus.handle(
        CreatePosition(congress_id, "Presidium Nasional", 7, "scottish-stv", region_minimum=1)
    )
    app.bus.handle(CreatePosition(congress_id, "Ketua Badan Pengurus Nasional", 1, "irv"))
    by_region = {r: [d for d in delegates if d.region == r] for r in REGIONS}
    seconder = by_region["central"][-1]
    for region, count in (("west", 3), ("central", 3), ("east", 2)):
        for candidate in by_region[region][:count]:
            nomination = app.bus.handle(Nominate(presidium, candidate.id, candidate.id))
            app.bus.handle(SecondNomination(nomination, seconder.id))


def write_codes(path: Path, demo: DemoCodes) -> None:
    """Keep the demo's printed codes beside the database, readable by the owner only."""
    lines = [f"congress {demo.congress_id}"]
    lines += [f"{role} {code}" for role, code in demo.identity.items()]
    lines += [f"voting-card {code}" for code in demo.voting_cards]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write("\n".join(lines) + "\n")


def read_codes(path: Path) -> DemoCodes | None:
    if not path.exists():
        return None
    demo = DemoCodes(congress_id="")
    for line in path.read_text().splitlines():
        key, _, value = line.partition(" ")
        if key == "congress":
            demo.congress_id = value
        elif key == "voting-card":
            demo.voting_cards.append(value)
        elif key:
            demo.identity[key] = value
    return demo

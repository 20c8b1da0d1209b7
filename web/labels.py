"""What a person reads for Suara's own identifiers: regions, methods, classes, outcomes, options.

Stored values stay stable identifiers ("west", "scottish-stv", "elected"); every page shows them
through these functions, whose words live in the gettext catalogues, so an Indonesian page never
shows an English identifier. An unknown value (a region the congress defined) shows as written.
"""

from __future__ import annotations

from web.i18n import _


def region(key: str) -> str:
    names = {"west": _("West"), "central": _("Central"), "east": _("East")}
    return names.get(key, key)


def membership(key: str) -> str:
    names = {
        "ordinary": _("Ordinary member"),
        "special": _("Special member"),
        "honorary": _("Honorary member"),
    }
    return names.get(key, key)


def method(key: str) -> str:
    """A counting method's short name."""
    names = {
        "yes-no-abstain": _("Yes / no / abstain"),
        "plurality": _("Most votes"),
        "two-round": _("Two rounds"),
        "approval": _("Approval vote"),
        "irv": _("Ranked, one seat (instant runoff)"),
        "scottish-stv": _("Ranked, several seats (STV, Scottish rules)"),
        "meek-stv": _("Ranked, several seats (STV, Meek's method)"),
        "schulze": _("Ranked, pairwise (Schulze)"),
    }
    return names.get(key, key)


def method_help(key: str) -> str:
    """One line on how a method decides, for whoever chooses it."""
    lines = {
        "yes-no-abstain": _("Each voter says yes, no or abstain; abstentions are not counted."),
        "plurality": _("Each voter chooses one; the most votes win."),
        "two-round": _("Each voter chooses one; without a majority, a runoff between the top two."),
        "approval": _("Each voter ticks everyone they accept; the most ticks win."),
        "irv": _(
            "Voters rank candidates; the last is dropped and their votes move on, until one "
            "has a majority."
        ),
        "scottish-stv": _(
            "Voters rank candidates; a quota elects, surpluses and the last candidate's votes "
            "move on (as in Scottish council elections)."
        ),
        "meek-stv": _(
            "Voters rank candidates; like STV, but every surplus is shared exactly, also to "
            "those already elected (Meek's method)."
        ),
        "schulze": _("Voters rank candidates; the one who beats every other head to head wins."),
    }
    return lines.get(key, "")


def outcome(key: str) -> str:
    names = {
        "adopted": _("Adopted"),
        "rejected": _("Rejected"),
        "no_quorum": _("No quorum"),
        "elected": _("Elected"),
        "no_winner": _("No one elected"),
        "runoff": _("Runoff needed"),
    }
    return names.get(key, key)


def option(key: str) -> str:
    """A motion's options; candidates' names are shown as written."""
    names = {"yes": _("Yes"), "no": _("No"), "abstain": _("Abstain")}
    return names.get(key, key)

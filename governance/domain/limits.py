"""Size caps, set for a congress of a few thousand delegates (issue 16: an online assembly of
a national union or party), each named in the refusal that enforces it."""

from __future__ import annotations

from governance.domain.errors import DomainError

MAX_DELEGATE_ROWS = 20_000  # rows of one delegate CSV file (the CLI and the web alike)
MAX_ROSTER_BYTES = 4 * 1024 * 1024  # a delegate CSV sent to the web: 200 bytes a row at the cap
MAX_VOTING_CARDS = 20_000  # voting cards printed, or registered, at once
TAG_LINE_BYTES = 65  # a 64-character tag and its newline
MAX_TAGS_BYTES = MAX_VOTING_CARDS * TAG_LINE_BYTES + 1024  # the tags file of one print run


def megabytes(size: int) -> str:
    return f"{size // (1024 * 1024)} MB"


def thousands(number: int, separator: str = ".") -> str:
    """20000 -> "20.000", as Indonesian writes it (the CLI's one line is in Indonesian)."""
    return f"{number:,}".replace(",", separator)


class TooLarge(DomainError):
    """More than a cap allows; `params["cap"]` names the cap. Nothing was changed."""

    code = "too_large"

    def __init__(self, cap: int | str, detail: str) -> None:
        super().__init__(detail)
        self.params = {"cap": cap}


class RosterTooLong(TooLarge):
    code = "roster_too_long"

    def __init__(self) -> None:
        super().__init__(
            MAX_DELEGATE_ROWS,
            f"daftar delegasi terlalu panjang: paling banyak {thousands(MAX_DELEGATE_ROWS)} "
            "delegasi per berkas; tidak ada yang diubah, bagi berkas menjadi beberapa bagian",
        )


class UploadTooLarge(TooLarge):
    code = "upload_too_large"

    def __init__(self, max_bytes: int) -> None:
        super().__init__(
            megabytes(max_bytes),
            f"berkas terlalu besar: paling banyak {megabytes(max_bytes)}; tidak ada yang diubah",
        )


class TooManyVotingCards(TooLarge):
    code = "too_many_voting_cards"

    def __init__(self) -> None:
        super().__init__(
            MAX_VOTING_CARDS,
            f"terlalu banyak kartu suara: paling banyak {thousands(MAX_VOTING_CARDS)} sekaligus; "
            "tidak ada yang disimpan, bagi menjadi beberapa daftar",
        )

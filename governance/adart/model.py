"""The AD/ART's parts as data: chapters, articles with stable paragraph ids, amendments, rules."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any

from governance.domain.errors import DomainError
from governance.domain.rules import Rules
from governance.tally import MajorityRule

COMMISSIONS = ("organisation", "education", "advocacy")
KINDS = ("replace", "insert", "delete")
RECOMMENDATIONS = ("adopt", "reject")


class ArticleStatus(StrEnum):
    OPEN = "open"  # amendments may be proposed and supported
    VOTING = "voting"  # no consensus: amendments, then the article, are voted
    ADOPTED = "adopted"
    REJECTED = "rejected"


class AmendmentStatus(StrEnum):
    PROPOSED = "proposed"  # still gathering supporters
    ADMITTED = "admitted"  # enough supporters: goes to the plenary
    VOTING = "voting"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    LAPSED = "lapsed"  # never reached the support the rules require

    @property
    def is_open(self) -> bool:
        return self in (AmendmentStatus.PROPOSED, AmendmentStatus.ADMITTED, AmendmentStatus.VOTING)


class StatuteStatus(StrEnum):
    DRAFTING = "drafting"
    FINAL_VOTING = "final_voting"
    ADOPTED = "adopted"
    REJECTED = "rejected"


class ArticleDecided(DomainError):
    """The article is no longer open: it was adopted, rejected or is being voted."""

    code = "article_decided"


class AmendmentsStillOpen(DomainError):
    code = "amendments_open"


class ArticlesUndecided(DomainError):
    code = "articles_undecided"


class StatuteExists(DomainError):
    code = "statute_exists"


class NotInProcedure(DomainError):
    """The step asked for does not follow from where the procedure is now."""

    code = "procedure_order"


# What the default rules of procedure say (the scenario's): the thresholds themselves come from
# the rules in force when each vote opens (`with_thresholds`), never from these constants.
AD_RULE, ART_RULE = Rules().statute_rules()


@dataclass(frozen=True)
class AdartRules:
    """What the rules of procedure say about the AD/ART; defaults follow the scenario."""

    ad: MajorityRule = AD_RULE
    art: MajorityRule = ART_RULE
    final: MajorityRule = AD_RULE
    required_support: int = 2
    named_votes: bool = False

    def for_part(self, part: str) -> MajorityRule:
        return self.ad if part == "AD" else self.art


@dataclass
class Paragraph:
    pid: str  # stable: "3" for the draft's third paragraph, "3a" for one inserted after it
    text: str


@dataclass
class Chapter:
    key: str  # "AD-I"
    part: str
    number: str
    title: str
    commission: str = ""


@dataclass
class Article:
    key: str  # "AD-3"
    part: str
    chapter: str
    number: str
    title: str
    draft: list[Paragraph]
    text: list[Paragraph]
    status: ArticleStatus = ArticleStatus.OPEN
    poll_id: str = ""
    how: str = ""  # "consensus" or "vote"
    deliberation: str = ""


@dataclass
class Amendment:
    id: str
    number: int
    article: str
    kind: str
    target: str  # the pid replaced or deleted, or the one the insertion follows ("0": start)
    text: str
    reason: str
    proposer: str
    supporters: list[str] = field(default_factory=list)
    recommendations: dict[str, str] = field(default_factory=dict)
    status: AmendmentStatus = AmendmentStatus.PROPOSED
    poll_id: str = ""
    adopted_order: int = 0


DEFAULT_RULES = AdartRules()


def with_thresholds(adart: AdartRules, rules: Rules) -> AdartRules:
    """The statute's settings with the majorities and quorum of the rules of procedure."""
    ad, art = rules.statute_rules()
    return replace(adart, ad=ad, art=art, final=ad)


def rules_to_json(rules: AdartRules) -> dict[str, Any]:
    from governance.domain.rules_json import rule_to_json

    return {
        "ad": rule_to_json(rules.ad),
        "art": rule_to_json(rules.art),
        "final": rule_to_json(rules.final),
        "required_support": rules.required_support,
        "named_votes": rules.named_votes,
    }


def rules_from_json(data: dict[str, Any]) -> AdartRules:
    from governance.domain.rules_json import rule_from_json

    default = AdartRules()
    return AdartRules(
        ad=rule_from_json(data.get("ad")) or default.ad,
        art=rule_from_json(data.get("art")) or default.art,
        final=rule_from_json(data.get("final")) or default.final,
        required_support=int(data.get("required_support", default.required_support)),
        named_votes=bool(data.get("named_votes", False)),
    )


def as_json(item: Any) -> dict[str, Any]:
    return asdict(item)

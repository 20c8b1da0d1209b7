"""Fixed wording of the documents, Indonesian first; the legal text is not UI, so it lives here."""

from __future__ import annotations

from governance.tally import MajorityRule

LABELS: dict[str, dict[str, str]] = {
    "id": {
        "decision": "KEPUTUSAN KONGRES",
        "minutes": "BERITA ACARA SIDANG PLENO",
        "number": "Nomor",
        "about": "TENTANG",
        "considering": "Menimbang",
        "recalling": "Mengingat",
        "noting": "Memperhatikan",
        "deciding": "MEMUTUSKAN",
        "establishing": "Menetapkan",
        "considering_text": "bahwa Kongres telah membahas {title} dalam sidang pleno;",
        "considering_vote": "bahwa keputusan diambil melalui pemungutan suara sesuai tata tertib;",
        "recalling_text": "Tata Tertib Kongres yang telah disahkan, dengan ketentuan: {rule};",
        "noting_text": "hasil pemungutan suara sebagaimana tercatat di bawah ini;",
        "adopted": "DITERIMA / DISAHKAN",
        "rejected": "DITOLAK",
        "no_quorum": "TIDAK KUORUM",
        "establishing_text": "{title}: {outcome}.",
        "chair": "Pimpinan Sidang",
        "secretary": "Sekretaris",
        "signed": "Ditetapkan di Kongres, pada tanggal {date}",
        "entitled": "Peserta berhak suara",
        "present": "Hadir",
        "cards": "Kartu suara diterbitkan",
        "cast": "Suara masuk",
        "valid": "Suara sah",
        "invalid": "Suara tidak sah",
        "blank": "Suara kosong",
        "yes": "Setuju",
        "no": "Tidak setuju",
        "abstain": "Abstain",
        "required": "Suara setuju yang diperlukan",
        "outcome": "Hasil",
        "attendance": "Kehadiran",
        "region": "Hadir dari wilayah",
        "deliberations": "Musyawarah",
        "consensus": "mufakat tercapai, disahkan secara aklamasi",
        "no_consensus": "mufakat tidak tercapai, dilanjutkan dengan pemungutan suara",
        "polls": "Pemungutan suara",
        "digest": "Sidik jari hasil (sha256)",
        "withheld": "kurang dari {n} (rincian tidak ditampilkan demi kerahasiaan)",
        "annex": "Lampiran: naskah AD/ART yang disahkan",
        "article": "Pasal",
        "chapter": "Bab",
    },
    "en": {
        "decision": "DECISION OF THE CONGRESS",
        "minutes": "MINUTES OF THE PLENARY SESSION",
        "number": "Number",
        "about": "ON",
        "considering": "Considering",
        "recalling": "Recalling",
        "noting": "Noting",
        "deciding": "DECIDES",
        "establishing": "To establish",
        "considering_text": "that the Congress has deliberated {title} in plenary session;",
        "considering_vote": "that the decision was taken by vote under the rules of procedure;",
        "recalling_text": "the Rules of Procedure of the Congress, with the rule: {rule};",
        "noting_text": "the result of the vote as recorded below;",
        "adopted": "ADOPTED",
        "rejected": "REJECTED",
        "no_quorum": "NO QUORUM",
        "establishing_text": "{title}: {outcome}.",
        "chair": "Session chair",
        "secretary": "Secretary",
        "signed": "Established at the Congress on {date}",
        "entitled": "Delegates entitled to vote",
        "present": "Present",
        "cards": "Voting cards issued",
        "cast": "Ballots cast",
        "valid": "Valid",
        "invalid": "Invalid",
        "blank": "Blank",
        "yes": "Yes",
        "no": "No",
        "abstain": "Abstain",
        "required": "Yes votes required",
        "outcome": "Outcome",
        "attendance": "Attendance",
        "region": "Present from region",
        "deliberations": "Deliberation",
        "consensus": "consensus reached, adopted by acclamation",
        "no_consensus": "no consensus, a vote was held",
        "polls": "Votes",
        "digest": "Result fingerprint (sha256)",
        "withheld": "fewer than {n} (details withheld to protect secrecy)",
        "annex": "Annex: the AD/ART as adopted",
        "article": "Article",
        "chapter": "Chapter",
    },
}


def labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["id"])


_BASES = {
    "id": {
        "valid": "suara sah",
        "present": "peserta yang hadir",
        "members": "peserta berhak suara",
    },
    "en": {
        "valid": "valid votes",
        "present": "delegates present",
        "members": "delegates entitled to vote",
    },
}


def describe_rule(rule: MajorityRule | None, language: str) -> str:
    """A majority rule in words, from its exact fields (never from its free-text name)."""
    en = language == "en"
    if rule is None:
        return "the most votes" if en else "suara terbanyak"
    bases = _BASES["en" if en else "id"]
    share = (
        ("more than" if rule.strict else "at least")
        if en
        else ("lebih dari" if rule.strict else "sekurang-kurangnya")
    )
    text = f"{share} {rule.fraction} {'of' if en else 'dari'} {bases[rule.base]}"
    if rule.quorum is not None:
        quorum = f"{'more than' if en else 'lebih dari'} " if rule.quorum_strict else ""
        text += (
            f", with a quorum of {quorum}{rule.quorum} of delegates entitled to vote"
            if en
            else f", dengan kuorum {quorum}{rule.quorum} dari peserta berhak suara"
        )
    if rule.quorum_count:
        text += f" (minimum {rule.quorum_count})"
    return text

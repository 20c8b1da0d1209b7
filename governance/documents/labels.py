"""Fixed wording of the documents, Indonesian first; the legal text is not UI, so it lives here."""

# ruff: noqa: E501  (the wording tables read best one sentence a line)
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
        "signed": "Ditetapkan di {place}, pada tanggal {date}",
        "signed_minutes": "Dibuat di {place}, pada tanggal {date}",
        "entitled": "Peserta berhak suara",
        "present": "Hadir",
        "cards": "Kartu suara terdaftar",
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
        "considering_election": "bahwa Kongres telah menyelenggarakan pemilihan {title} dalam sidang pleno;",
        "considering_ballot": "bahwa pemilihan dilakukan dengan pemungutan suara rahasia sesuai tata tertib;",
        "recalling_election": "Tata Tertib Kongres yang telah disahkan; metode pemilihan: {method}; jumlah kursi: {seats};",
        "recalling_regions": "setiap wilayah ({regions}) memperoleh sekurang-kurangnya {minimum} kursi;",
        "noting_election": "hasil pemungutan suara dan penghitungan sebagaimana tercatat di bawah ini;",
        "col_candidate": "Kandidat",
        "col_region": "Wilayah",
        "col_first": "Putaran 1",
        "col_final": "Akhir",
        "col_status": "Keterangan",
        "quota": "Kuota: {quota} suara.",
        "first_clause": "PERTAMA: Menetapkan nama-nama berikut sebagai {title}:",
        "first_clause_one": "PERTAMA: Menetapkan {name} sebagai {title}.",
        "composition": "KEDUA: Komposisi wilayah: {parts}.",
        "persons": "{n} orang",
        "third_clause": "KETIGA: {text}",
        "in_force": "Keputusan ini berlaku sejak tanggal ditetapkan.",
        "ratified": "Mengesahkan {name} sebagai {title}.",
        "not_ratified": "Tidak mengesahkan {name} sebagai {title}.",
        "with_text": "{title}: {outcome}, dengan naskah sebagai berikut:",
        "full_text": "Naskah",
        "amendment_text": "Bunyi perubahan yang diterima: {text}",
        "result_elected": "Terpilih: {names}.",
        "none_elected": "Tidak ada yang terpilih.",
        "opening": "Pada hari ini, {date}, bertempat di {venue}, telah diselenggarakan Sidang Pleno {congress}{organisation}. Berita acara ini mencatat kehadiran, hasil musyawarah dan setiap pemungutan suara.",
        "of_organisation": " ({organisation})",
        "region_name": "Wilayah {name}",
        "fingerprint": "Sidik jari kunci penandatangan kongres",
        "keys": "Keabsahan catatan",
        "keys_text": "Setiap titik periksa (checkpoint) yang ditandatangani harus dapat diverifikasi dengan kunci yang sidik jarinya tercatat di bawah ini; sidik jari ini dibacakan dalam sidang.",
        "amendments": "Perubahan AD/ART yang diterima",
        "amendment_item": "Perubahan {n} atas {article} ({kind}): {text}",
        "kind_replace": "mengganti ayat",
        "kind_insert": "menyisipkan ayat",
        "kind_delete": "menghapus ayat",
        "method": "Metode",
        "seats": "Jumlah kursi",
        "role_chair": "Ketua",
        "role_vice": "Wakil Ketua",
        "role_member": "Anggota",
        "blank_place": "..............",
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
        "signed": "Established at {place} on {date}",
        "signed_minutes": "Drawn up at {place} on {date}",
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
        "considering_election": "that the Congress has held the election of {title} in plenary session;",
        "considering_ballot": "that the election was held by secret ballot under the rules of procedure;",
        "recalling_election": "the Rules of Procedure of the Congress; method: {method}; seats: {seats};",
        "recalling_regions": "every region ({regions}) has at least {minimum} seats;",
        "noting_election": "the result of the vote and count as recorded below;",
        "col_candidate": "Candidate",
        "col_region": "Region",
        "col_first": "Round 1",
        "col_final": "Final",
        "col_status": "Note",
        "quota": "Quota: {quota} votes.",
        "first_clause": "FIRST: The following are established as {title}:",
        "first_clause_one": "FIRST: {name} is established as {title}.",
        "composition": "SECOND: Regional composition: {parts}.",
        "persons": "{n}",
        "third_clause": "THIRD: {text}",
        "in_force": "This decision takes effect on the date it is established.",
        "ratified": "{name} is ratified as {title}.",
        "not_ratified": "{name} is not ratified as {title}.",
        "with_text": "{title}: {outcome}, with the text as follows:",
        "full_text": "Text",
        "amendment_text": "Wording of the adopted amendment: {text}",
        "result_elected": "Elected: {names}.",
        "none_elected": "No one is elected.",
        "opening": "On {date}, at {venue}, the Plenary Session of {congress}{organisation} was held. These minutes record the attendance, the deliberations and every vote.",
        "of_organisation": " ({organisation})",
        "region_name": "{name} region",
        "fingerprint": "Congress signing key fingerprint",
        "keys": "Authenticity of the record",
        "keys_text": "Every signed checkpoint must verify with the key whose fingerprint is recorded below; the fingerprint was read out in session.",
        "amendments": "Amendments to the AD/ART adopted",
        "amendment_item": "Amendment {n} to {article} ({kind}): {text}",
        "kind_replace": "replaces a paragraph",
        "kind_insert": "inserts a paragraph",
        "kind_delete": "deletes a paragraph",
        "method": "Method",
        "seats": "Seats",
        "role_chair": "Chair",
        "role_vice": "Vice-chair",
        "role_member": "Member",
        "blank_place": "..............",
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

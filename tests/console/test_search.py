"""Search by every filter, keyset pages, and the CSV export: masked, quoted, formula-proof."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sms_gateway import tracking
from sms_gateway.models import Citizen, Ticket, utcnow

WIB = ZoneInfo("Asia/Jakarta")
FOUND = re.compile(r'data-ticket="(\d+)"')


def _citizen(session, phone: str) -> int:
    citizen = Citizen(phone=phone)
    session.add(citizen)
    session.commit()
    return citizen.id


def _ticket(session, text: str, **values) -> str:
    values.setdefault("created_at", utcnow())
    ticket = Ticket(tracking_number=tracking.generate(), text=text, **values)
    session.add(ticket)
    session.commit()
    return ticket.tracking_number


def _found(client, query: str) -> list[str]:
    page = client.get(f"/console/search?{query}")
    assert page.status_code == 200
    return FOUND.findall(page.get_data(as_text=True))


def _rows(client, query: str) -> list[list[str]]:
    answer = client.get(f"/console/search.csv?{query}")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert "attachment" in answer.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))


def test_search_finds_by_number_with_a_dash_phone_text_in_any_case_and_region_prefix(
    seeded, session, operator_client
):
    budi = _citizen(session, "+6281234500011")
    road = _ticket(
        session,
        "Jalan Raya Darmo BERLUBANG besar, sudah tiga bulan",
        citizen_id=budi,
        region_code="35.78.05",
        category="Infrastruktur",
        status="dispatched",
        agency_code="pu-3578",
    )
    lamp = _ticket(
        session,
        "Lampu jalan mati di gang lima sejak minggu lalu",
        region_code="35.15",
        category="Infrastruktur",
        status="received",
    )
    school = _ticket(
        session,
        "Pungutan liar di sekolah dasar saat daftar ulang",
        region_code="36.71",
        category="Pendidikan",
        status="resolved",
        created_at=utcnow() - timedelta(days=40),
    )
    assert _found(operator_client, f"number={tracking.display(road)}") == [road]
    sharing = [n for n in (lamp, road, school) if n.startswith(road[:5])]  # newest first
    assert _found(operator_client, f"number={road[:5]}") == sharing  # a partial number
    assert _found(operator_client, "phone=0812-3450-0011") == [road]  # local format, dashes
    assert _found(operator_client, "phone=%2B6281234500099") == []
    assert _found(operator_client, "text=berlubang") == [road]
    assert _found(operator_client, "text=LAMPU+JALAN") == [lamp]
    assert sorted(_found(operator_client, "region=35")) == sorted([road, lamp])
    assert _found(operator_client, "region=35.78") == [road]
    assert _found(operator_client, "region=3") == [lamp, road, school]  # malformed: ignored
    assert _found(operator_client, "category=Pendidikan") == [school]
    assert _found(operator_client, "agency=pu-3578") == [road]
    assert _found(operator_client, "status=resolved") == [school]
    assert sorted(_found(operator_client, "status=open")) == sorted([road, lamp])
    old_day = (utcnow() - timedelta(days=40)).astimezone(WIB).date().isoformat()
    assert _found(operator_client, f"date_from={old_day}&date_to={old_day}") == [school]
    assert _found(operator_client, "text=berlubang&category=Pendidikan") == []
    assert _found(operator_client, "text=100%25") == []  # wildcards are taken literally


def test_results_come_in_keyset_pages_newest_first(seeded, session, operator_client):
    start = datetime(2026, 3, 2, 9, tzinfo=WIB)
    numbers = [
        _ticket(session, f"Keluhan nomor {i} soal air PDAM keruh", created_at=start)
        for i in range(53)
    ]  # one timestamp for all: the id breaks the tie
    first = operator_client.get("/console/search?text=pdam").get_data(as_text=True)
    assert FOUND.findall(first) == numbers[::-1][:50]
    after = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = operator_client.get(after).get_data(as_text=True)
    assert FOUND.findall(second) == numbers[::-1][50:]
    assert 'rel="next"' not in second


def test_export_masks_personal_data_hides_anonim_reporters_and_neutralises_formulas(
    seeded, session, operator_client
):
    sari = _citizen(session, "+6285712345678")
    hidden = _citizen(session, "+6281399988877")
    plain = _ticket(
        session,
        'NIK saya 3578011203900004, hubungi 081234567890. Bantuan "BLT" belum cair',
        citizen_id=sari,
        category="Sosial",
    )
    anonim = _ticket(
        session, "Pak lurah minta uang pelicin untuk surat", citizen_id=hidden, is_anonim=True
    )
    formula = _ticket(session, '=HYPERLINK("http://contoh.invalid","klik")', category="Sosial")
    other = _ticket(session, "Sampah menumpuk di pinggir sungai", category="Lingkungan Hidup")

    header, *rows = _rows(operator_client, "category=Sosial")
    assert header[0] == "nomor" and header[-1] == "isi laporan"
    by_number = {row[0].replace("-", ""): row for row in rows}
    assert set(by_number) == {plain, formula}  # the filter applies to the export
    text = by_number[plain][-1]
    assert "3578011203900004" not in text and "081234567890" not in text
    assert "[NIK]" in text and '"BLT"' in text  # quotes survive CSV quoting
    reporter = by_number[plain][6]
    assert "6285712345678" not in reporter and reporter.endswith("678")
    assert by_number[formula][-1].startswith("'=HYPERLINK")

    everything = {row[0].replace("-", ""): row for row in _rows(operator_client, "")[1:]}
    assert everything[anonim][6] == "Anonim" and "81399988877" not in str(everything)
    assert other in everything


def test_export_of_a_large_view_stops_at_the_cap_and_says_so(seeded, session, operator_client):
    from sms_gateway import search

    for i in range(7):
        _ticket(session, f"Antrean puskesmas panjang sekali hari ke {i}")
    with operator_client.application.app_context():
        lines = "".join(search.export_lines(session, search.Filters(text="puskesmas"), cap=5))
    rows = list(csv.reader(io.StringIO(lines.lstrip("\ufeff"))))
    assert len(rows) == 1 + 5 + 1 and rows[-1][0].startswith("# dipotong")
    name = operator_client.get("/console/search.csv").headers["Content-Disposition"]
    assert f"maks{search.EXPORT_CAP}" in name


def test_citizen_text_is_shown_escaped(seeded, session, operator_client):
    number = _ticket(session, "<script>alert('bocor')</script> jalan rusak")
    html = operator_client.get("/console/search?text=script").get_data(as_text=True)
    assert FOUND.findall(html) == [number]
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_an_agency_officer_may_not_search_or_export(officer_client):
    assert officer_client.get("/console/search").status_code == 403
    assert officer_client.get("/console/search.csv").status_code == 403

"""The charts page: server-drawn SVG with the right figures for a small known data set."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from sms_gateway.models import OutboundMessage, Ticket, TicketEvent, utcnow
from sms_gateway.web import svg

SVG = "{http://www.w3.org/2000/svg}"
_numbers = itertools.count(1000000001)

ROADS, HEALTH, EDU = "PEKERJAAN UMUM DAN PENATAAN RUANG", "KESEHATAN", "PENDIDIKAN"
SMALL = ("AGAMA", "CORONA VIRUS", "EKONOMI DAN KEUANGAN", "LINGKUNGAN HIDUP DAN KEHUTANAN")


def ticket(session, category: str, region: str | None, days_ago: float = 0) -> Ticket:  # noqa: ANN001
    at = utcnow() - timedelta(days=days_ago)
    row = Ticket(
        tracking_number=str(next(_numbers)),
        text="jalan rusak parah di dekat sekolah",
        category=category,
        region_code=region,
        created_at=at,
    )
    session.add(row)
    session.flush()
    return row


def verified(session, row: Ticket, actor: str) -> None:  # noqa: ANN001
    session.add(
        TicketEvent(
            ticket_id=row.id, actor=actor, kind="routed", to_status="verified", at=row.created_at
        )
    )


def outbound(session, status: str, days_ago: float = 0) -> None:  # noqa: ANN001
    n = next(_numbers)
    session.add(
        OutboundMessage(
            idempotency_key=f"uji-{n}",
            kind="status",
            to="+6281234500000",
            body="Laporan Anda sudah diteruskan.",
            provider="sandbox",
            status=status,
            created_at=utcnow() - timedelta(days=days_ago),
        )
    )


@pytest.fixture
def known_month(seeded, session):  # noqa: ANN001, ANN201
    """Eleven tickets this month and one from 40 days ago; six outbound SMS today."""
    today = [ticket(session, ROADS, "35.78.05") for _ in range(3)]
    today += [ticket(session, HEALTH, "35.78"), ticket(session, HEALTH, "31.71.01")]
    today += [ticket(session, EDU, "31.71.01"), ticket(session, EDU, None, days_ago=2)]
    today += [ticket(session, name, None, days_ago=3) for name in SMALL]
    ticket(session, ROADS, "35.78.05", days_ago=40)
    for row in today[:3]:
        verified(session, row, "system")
    verified(session, today[3], "operator:ratna")
    for status in ("sent", "sent", "sent", "delivered", "failed", "queued"):
        outbound(session, status)
    session.commit()
    return today


def svgs(page: str) -> dict[str, ET.Element]:
    """Each chart's SVG, parsed as XML (it must be well-formed), by its section id."""
    found = {}
    for section, markup in re.findall(
        r'<section class="card chart" id="chart-(\w+)">\s*(<svg.*?</svg>)', page, re.S
    ):
        found[section] = ET.fromstring(markup)
    return found


def test_charts_render_four_valid_svgs_with_titles_and_axis_labels(operator_client, known_month):
    page = operator_client.get("/console/charts/").get_data(as_text=True)
    charts = svgs(page)
    assert set(charts) == {"categories", "regions", "routing", "delivery"}
    for chart in charts.values():
        assert chart.get("role") == "img"
        assert chart.find(f"{SVG}title").text
        labels = [t.text for t in chart.iter(f"{SVG}text") if t.get("class") == "axis-label"]
        assert len(labels) == 2 and all(labels)
    assert page.count("<details>") == 4 and page.count("<summary>") == 4


def test_categories_keep_the_top_five_and_fold_the_rest_into_lainnya(operator_client, known_month):
    page = operator_client.get("/console/charts/?days=30").get_data(as_text=True)
    totals = dict(re.findall(r'<th class="num" data-category="([^"]+)">(\d+)</th>', page))
    assert totals[ROADS] == "3" and totals[HEALTH] == "2" and totals[EDU] == "2"
    assert totals["lainnya"] == "2"  # seven categories: the two smallest in alphabetical order
    assert len(totals) == 6
    bars = [
        r for r in svgs(page)["categories"].iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None
    ]
    assert sum(int(r.find(f"{SVG}title").text.rsplit(": ", 1)[1]) for r in bars) == 11


def test_top_regions_count_per_kabupaten_kota_with_their_names(operator_client, known_month):
    page = operator_client.get("/console/charts/").get_data(as_text=True)
    regions = re.findall(
        r'<tr data-region="([^"]+)"><td>[^<]+</td><td>([^<]+)</td><td class="num">(\d+)', page
    )
    assert regions == [
        ("35.78", "Kota Surabaya", "4"),
        ("31.71", "Kota Administrasi Jakarta Pusat", "2"),
    ]
    assert "Kota Surabaya (4)" in ET.tostring(svgs(page)["regions"], encoding="unicode")


def test_older_tickets_appear_only_in_the_longer_range(operator_client, known_month):
    page = operator_client.get("/console/charts/?days=90").get_data(as_text=True)
    assert '<tr data-region="35.78"><td>35.78</td><td>Kota Surabaya</td><td class="num">5' in page
    week = operator_client.get("/console/charts/?days=7").get_data(as_text=True)
    assert 'aria-current="page">7 hari terakhir' in week


def test_routing_share_counts_machine_and_operator_verifications(operator_client, known_month):
    page = operator_client.get("/console/charts/").get_data(as_text=True)
    assert '<strong data-share="auto">75%</strong>' in page


def test_delivery_success_counts_sent_and_delivered_of_the_finished(operator_client, known_month):
    page = operator_client.get("/console/charts/").get_data(as_text=True)
    today = re.search(r'<tr data-day="[^"]+">(?:(?!</tr>).)*</tr>(?=\s*</tbody>)', page, re.S)
    cells = re.findall(r'<td class="num">([^<]+)</td>', today.group(0))
    assert cells == ["1", "3", "0", "1", "1", "80%"]
    circles = list(svgs(page)["delivery"].iter(f"{SVG}circle"))
    assert len(circles) == 1 and circles[0].find(f"{SVG}title").text.endswith("80%")


def test_empty_charts_still_render(operator_client):
    page = operator_client.get("/console/charts/?days=7").get_data(as_text=True)
    assert len(svgs(page)) == 4


def test_names_in_a_chart_are_escaped():
    drawn = svg.horizontal_bars(
        "Wilayah <b>", [("<script>alert(1)</script>", 3)], x_label="Tiket", y_label="Wilayah"
    )
    tree = ET.fromstring(str(drawn))
    assert tree.find(f".//{SVG}script") is None and tree.find(f".//{SVG}b") is None
    assert "<script>alert(1)</script> (3)" in [t.text for t in tree.iter(f"{SVG}text")]


def test_charts_are_drawn_at_most_once_a_minute_per_range(operator_client, known_month, session):
    first = operator_client.get("/console/charts/").get_data(as_text=True)
    ticket(session, HEALTH, "35.78")
    session.commit()
    assert (
        operator_client.get("/console/charts/")
        .get_data(as_text=True)
        .count('data-region="35.78"><td>35.78</td><td>Kota Surabaya</td><td class="num">4')
        == 1
        == first.count('data-region="35.78"><td>35.78</td><td>Kota Surabaya</td><td class="num">4')
    )
    fresh = operator_client.get("/console/charts/?days=7").get_data(as_text=True)
    assert '<td>Kota Surabaya</td><td class="num">5' in fresh

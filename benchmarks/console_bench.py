"""Console, portal and public pages over 100,000 tickets: does every page answer within 300 ms?

    python -m benchmarks.console_bench [--database-url URL] [--tickets 100000] [--rounds 5]
                                       [--reuse] [--explain]

Seeds a PostgreSQL database (default: a throwaway ``lapor_bench_console`` on 127.0.0.1, created
and wiped) with tickets, citizens, inbound and outbound SMS, dispatches and the events of a
realistic mix of statuses, categories, regions, agencies and SLA deadlines, by COPY. Then it
times every page through the Flask test client in this process (signed in through the real
/login form as an operator, and as an officer of the busiest agency for /agency/): no network
and no gunicorn, so the figures are the application and the database. Each page is requested
once to warm up, then --rounds times, pages in turns; it prints p50/p95/max per page and flags
anything over --limit-ms. URLs answering 404 (pages not built yet) are skipped and listed.
With --explain it runs EXPLAIN ANALYZE on every query a page makes: one line per query (its time
and the scans it used), and the whole plan of those that take over 20 ms or scan a big table
sequentially, with sequential scans on tickets and ticket_events flagged.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text

from config import Settings
from sms_gateway import create_app, migrate, seed
from sms_gateway.db import make_engine

DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/lapor_bench_console"
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"
PASSWORD = "bench-kata-sandi-123"
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')
SCAN = re.compile(
    r"(Parallel )?(Seq Scan|Index Only Scan|Index Scan|Bitmap Index Scan|Bitmap Heap Scan)"
    r"( Backward)?( using \S+)? on \S+"
)
BIG_TABLES = ("tickets", "ticket_events", "inbound_messages", "outbound_messages", "citizens")


class Browser(FlaskClient):
    """One request, one application context: as in production."""

    def open(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        with self.application.app_context():
            return super().open(*args, **kwargs)


def prepare_database(url: str) -> None:
    """Create the database if needed and empty it."""
    admin = create_engine(
        _driver(url.rsplit("/", 1)[0] + "/postgres"), isolation_level="AUTOCOMMIT"
    )
    name = url.rsplit("/", 1)[1]
    with admin.connect() as conn:
        if not conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).scalar():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = create_engine(_driver(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _driver(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def sign_in(app: Flask, username: str) -> FlaskClient:
    """A client signed in through the real form."""
    app.test_client_class = Browser
    client = app.test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    answer = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert answer.status_code == 302, f"sign-in of {username} failed: {answer.status_code}"
    return client


def pages(facts: dict) -> list[tuple[str, str]]:
    """(who, URL) of every page to time; ``facts`` name real tickets, phones and agencies."""
    number, display = facts["number"], facts["display"]
    console = [
        "/console/",
        "/console/queue/",
        "/console/queue/live/inbound",
        "/console/queue/live/outbound",
        "/console/queue/live/status",
        "/console/triage/",
        f"/console/tickets/{number}",
        "/console/sla",
        "/console/sla?days=90&sort=median_days&dir=asc",
        "/console/charts/",
        "/console/search",
        f"/console/search?number={display}",
        f"/console/search?phone={facts['phone']}",
        "/console/search?text=jalan",
        "/console/search?text=Gorong-Gorong",
        "/console/search?text=tidak+ada+kata+ini",
        "/console/search?region=35",
        "/console/search?region=" + facts["region"],
        f"/console/search?category={facts['category']}&status=open",
        f"/console/search?agency={facts['agency']}",
        f"/console/search?date_from={facts['day']}&date_to={facts['day']}",
        "/console/search?after=" + facts["after"],
        "/console/simulator/",
        "/console/simulator/messages",
    ]
    agency = [
        "/agency/",
        "/agency/?status=dispatched",
        "/agency/?order=urgent",
        f"/agency/tickets/{facts['agency_number']}",
    ]
    public = [f"/t/{number}"]
    return (
        [("operator", u) for u in console]
        + [("officer", u) for u in agency]
        + [("public", u) for u in public]
    )


def time_pages(
    clients: dict[str, FlaskClient], urls: list[tuple[str, str]], rounds: int
) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Milliseconds per page over ``rounds`` rounds (after one warm-up); status of skipped ones."""
    skipped: dict[str, int] = {}
    live = []
    for who, url in urls:
        status = clients[who].get(url).status_code  # warm-up
        if status == 200:
            live.append((who, url))
        else:
            skipped[url] = status
    timings: dict[str, list[float]] = {url: [] for _, url in live}
    for _ in range(rounds):
        for who, url in live:
            start = time.perf_counter()
            answer = clients[who].get(url)
            answer.get_data()
            timings[url].append((time.perf_counter() - start) * 1000)
    return timings, skipped


def report(timings: dict[str, list[float]], skipped: dict[str, int], limit: float) -> None:
    """The table: p50, p95, max per page, flagged over ``limit``."""
    width = max(len(url) for url in timings) if timings else 10
    print(f"\n{'page':<{width}}  {'p50':>8} {'p95':>8} {'max':>8}")
    slow = []
    for url, values in timings.items():
        values = sorted(values)
        p50 = statistics.median(values)
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        flag = f"  << over {limit:.0f} ms" if p95 > limit else ""
        if flag:
            slow.append(url)
        print(f"{url:<{width}}  {p50:8.1f} {p95:8.1f} {max(values):8.1f}{flag}")
    for url, status in skipped.items():
        print(f"skipped (HTTP {status}): {url}")
    print(
        f"\n{len(timings)} pages timed, {len(slow)} over {limit:.0f} ms (p95), {len(skipped)} skipped"
    )


def explain(app: Flask, clients: dict[str, FlaskClient], urls: list[tuple[str, str]]) -> None:
    """EXPLAIN ANALYZE every query of every page: a line each, the plan of slow or seq-scanning ones."""
    engine = app.extensions["db"].engine
    captured: list[tuple[str, object]] = []

    def keep(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        for who, url in urls:
            captured.clear()
            if clients[who].get(url).status_code != 200:
                continue
            print(f"\n--- {url}")
            for statement, parameters in list(captured):
                _explain_one(engine, url, statement, parameters)
    finally:
        event.remove(engine, "before_cursor_execute", keep)


def _explain_one(engine, url: str, statement: str, parameters: object) -> None:  # noqa: ANN001
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        plan = [row[0] for row in cursor.fetchall()]
        raw.rollback()
    finally:
        raw.close()
    took = float(re.search(r"Execution Time: ([\d.]+)", plan[-1]).group(1))
    scans = [m.group(0) for line in plan if (m := SCAN.search(line))]
    print(f"{took:8.1f} ms  {'; '.join(scans) or '(no table scanned)'}")
    seq = [line for line in plan if "Seq Scan on" in line and any(t in line for t in BIG_TABLES)]
    if took < 20 and not seq:
        return
    flag = (
        " SEQUENTIAL SCAN ON "
        + ", ".join(sorted({t for t in BIG_TABLES for line in seq if f"Seq Scan on {t} " in line}))
        if seq
        else ""
    )
    print(f"\n=== {url}: {took:.1f} ms{flag}\n{statement.strip()[:600]}")
    print("\n".join(plan))


OPERATOR, OFFICER = "bench-operator", "bench-petugas"
SUBJECTS = (
    ("Jalan", "berlubang dan tergenang air"),
    ("Lampu jalan", "mati sudah dua minggu"),
    ("Saluran air", "tersumbat sampah, banjir kalau hujan"),
    ("Jembatan", "retak dan goyang kalau dilewati motor"),
    ("Puskesmas", "antrean panjang, dokter jarang ada"),
    ("Sekolah", "minta pungutan untuk seragam"),
    ("Bantuan sosial", "belum cair padahal nama terdaftar"),
    ("KTP elektronik", "belum jadi sudah tiga bulan"),
    ("Pinjaman online", "menagih dengan ancaman ke keluarga"),
    ("Sampah", "tidak diangkut seminggu, bau sekali"),
    ("Air PDAM", "keruh dan sering mati malam hari"),
    ("Gorong-gorong", "ambrol di depan rumah warga"),
)
PLACES = ("pasar", "balai desa", "perempatan", "gang mawar", "kampung baru", "depan masjid")
PLEAS = (
    "Mohon segera ditindak.",
    "Tolong dibantu pak.",
    "Sudah lapor RT tapi belum ada hasil.",
    "",
)


def _pick(rng, weighted: list[tuple[object, float]]):  # noqa: ANN001, ANN202
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _status(rng, age_days: float) -> str:  # noqa: ANN001
    if age_days > 30:
        mix = [
            ("closed", 70),
            ("rejected", 10),
            ("resolved", 8),
            ("withdrawn", 3),
            ("responded", 4),
            ("dispatched", 5),
        ]
    elif age_days > 5:
        mix = [
            ("dispatched", 35),
            ("responded", 25),
            ("resolved", 15),
            ("closed", 10),
            ("rejected", 7),
            ("transferred", 3),
            ("verified", 2),
            ("needs_info", 3),
        ]
    else:
        mix = [
            ("received", 20),
            ("needs_info", 10),
            ("verified", 10),
            ("dispatched", 40),
            ("responded", 10),
            ("rejected", 5),
            ("transferred", 5),
        ]
    return _pick(rng, mix)


def seed_tickets(engine, count: int, now: datetime, password: str) -> None:  # noqa: ANN001, PLR0915
    """Bulk-load ``count`` tickets with their SMS, citizens, events and dispatches (COPY)."""
    import json
    import random

    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from sms_gateway import accounts, tracking
    from sms_gateway.models import Agency, Category
    from sms_gateway.sla.calendar import add_working_days

    rng = random.Random(1708)
    with Session(engine) as session:
        categories = list(session.scalars(select(Category.name).where(Category.is_top.is_(True))))
        local = list(
            session.execute(
                select(Agency.code, Agency.region_code)
                .where(Agency.level == "kabupaten_kota", Agency.region_code.is_not(None))
                .order_by(Agency.code)
            )
        )
        national = list(
            session.scalars(
                select(Agency.code).where(Agency.level == "nasional").order_by(Agency.code)
            )
        )
    rng.shuffle(local)
    local = local[:400]
    agency_weights = [1 / (i + 1) ** 0.8 for i in range(len(local))]
    citizens = max(1, int(count * 0.6))
    numbers: set[str] = set()
    tickets, inbound, outbound, events, dispatches = [], [], [], [], []
    event_id = 0
    for i in range(1, count + 1):
        age = rng.random() ** 1.3 * 200  # more recent tickets than old ones
        created = now - timedelta(days=age, seconds=rng.randint(0, 3600))
        status = _status(rng, age)
        code, region = rng.choices(local, agency_weights)[0]
        if rng.random() < 0.1 and national:
            code = rng.choice(national)
        region = region + f".{rng.randint(1, 20):02d}" if rng.random() < 0.5 else region
        subject, problem = rng.choice(SUBJECTS)
        body = f"{subject} di {rng.choice(PLACES)} {problem}. {rng.choice(PLEAS)}".strip()
        if rng.random() < 0.03:
            body += f" NIK saya 35780112039{rng.randint(10000, 99999)}"
        number = tracking.generate()
        while number in numbers:
            number = tracking.generate()
        numbers.add(number)
        citizen = rng.randint(1, citizens)
        phone = f"+62813{citizen:08d}"
        times = {"received": created}
        path = {
            "received": ["received"],
            "needs_info": ["received", "needs_info"],
            "verified": ["received", "verified"],
            "rejected": ["received", "rejected"],
            "withdrawn": ["received", "withdrawn"],
            "dispatched": ["received", "verified", "dispatched"],
            "transferred": ["received", "verified", "dispatched", "transferred"],
            "responded": ["received", "verified", "dispatched", "responded"],
            "resolved": ["received", "verified", "dispatched", "responded", "resolved"],
            "closed": ["received", "verified", "dispatched", "responded", "resolved", "closed"],
        }[status]
        at = created
        for step in path[1:]:
            gap = {
                "verified": rng.uniform(0.05, 3),
                "dispatched": rng.uniform(0.001, 0.1),
                "responded": rng.lognormvariate(1.2, 0.7),
                "resolved": rng.uniform(1, 10),
                "closed": 10,
                "transferred": rng.uniform(0.5, 4),
                "rejected": rng.uniform(0.05, 2),
                "withdrawn": rng.uniform(0.1, 2),
                "needs_info": rng.uniform(0.05, 1),
            }[step]
            at = min(at + timedelta(days=gap), now - timedelta(minutes=5))
            times[step] = at
        routed = "dispatched" in times or status == "verified"
        agency = code if routed or rng.random() < 0.5 else None
        clock = due = overdue = None
        if status in ("received", "needs_info"):
            clock, due = "verification", add_working_days(created, 3, "Asia/Jakarta")
        elif status == "dispatched":
            clock, due = "response", add_working_days(times["dispatched"], 5, "Asia/Jakarta")
        if due is not None and due <= now:
            overdue = due + timedelta(minutes=5)
        triage = status in ("received", "needs_info", "transferred") and rng.random() < 0.6
        tickets.append(
            (
                i,
                number,
                status,
                "sms",
                citizen,
                body,
                "id",
                rng.random() < 0.05,
                rng.random() < 0.08,
                rng.random() < 0.02,
                "pengaduan",
                rng.choice(categories) if categories else None,
                round(rng.uniform(0.3, 0.99), 2),
                region,
                agency,
                triage,
                "low_confidence" if triage else None,
                None,
                created,
                at,
                times.get("verified"),
                times.get("dispatched"),
                times.get("responded"),
                times.get("resolved"),
                times.get("closed"),
                clock,
                due,
                overdue,
            )
        )
        inbound.append(
            (
                i,
                "twilio",
                f"SMbench{i:08d}",
                phone,
                True,
                "1708",
                body,
                "{}",
                created - timedelta(seconds=2),
                "processed",
                "complaint",
                citizen,
                i,
                created,
                1,
            )
        )
        outbound.append(
            (
                i,
                f"ack:{i}",
                citizen,
                i,
                i,
                "ack",
                phone,
                f"LAPOR! 1708: laporan diterima, nomor {tracking.display(number)}",
                "GSM-7",
                1,
                "twilio",
                "failed" if rng.random() < 0.02 else "delivered",
                1,
                created,
                created,
                created,
            )
        )
        for step in path:
            event_id += 1
            actor = {
                "received": "citizen",
                "responded": f"agency:{code}",
                "resolved": f"agency:{code}",
                "transferred": f"agency:{code}",
                "withdrawn": "citizen",
                "verified": "system",
                "rejected": "operator:bench",
            }.get(step, "system")
            data = json.dumps({"agency": code}) if step == "dispatched" else None
            events.append((event_id, i, times[step], actor, "status", None, step, data))
        if "dispatched" in times:
            dispatches.append(
                (
                    i,
                    f"dispatch:{i}",
                    i,
                    "dispatched",
                    code,
                    "portal",
                    "dead" if rng.random() < 0.005 else "delivered",
                    1,
                    times["dispatched"],
                    times["dispatched"],
                    times["dispatched"],
                )
            )
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        _copy(
            cursor,
            "citizens",
            ("id", "phone", "phone_valid", "language", "opted_out", "flagged", "created_at"),
            (
                (c, f"+62813{c:08d}", True, "id", False, False, now - timedelta(days=200))
                for c in range(1, citizens + 1)
            ),
        )
        _copy(
            cursor,
            "tickets",
            (
                "id",
                "tracking_number",
                "status",
                "channel",
                "citizen_id",
                "text",
                "language",
                "is_rahasia",
                "is_anonim",
                "is_urgent",
                "report_type",
                "category",
                "confidence",
                "region_code",
                "agency_code",
                "needs_triage",
                "triage_reason",
                "masked_text",
                "created_at",
                "updated_at",
                "verified_at",
                "dispatched_at",
                "responded_at",
                "resolved_at",
                "closed_at",
                "sla_clock",
                "sla_due_at",
                "overdue_since",
            ),
            tickets,
        )
        _copy(
            cursor,
            "inbound_messages",
            (
                "id",
                "provider",
                "provider_message_id",
                "sender",
                "sender_valid",
                "recipient",
                "body",
                "raw_payload",
                "received_at",
                "state",
                "kind",
                "citizen_id",
                "ticket_id",
                "processed_at",
                "attempts",
            ),
            inbound,
        )
        cursor.execute("UPDATE tickets SET source_message_id = id")
        _copy(
            cursor,
            "outbound_messages",
            (
                "id",
                "idempotency_key",
                "citizen_id",
                "ticket_id",
                "in_reply_to_id",
                "kind",
                '"to"',
                "body",
                "encoding",
                "segments",
                "provider",
                "status",
                "attempts",
                "created_at",
                "sent_at",
                "status_at",
            ),
            outbound,
        )
        _copy(
            cursor,
            "ticket_events",
            ("id", "ticket_id", "at", "actor", "kind", "from_status", "to_status", "data"),
            events,
        )
        _copy(
            cursor,
            "dispatches",
            (
                "id",
                "key",
                "ticket_id",
                "purpose",
                "agency_code",
                "channel",
                "status",
                "attempts",
                "created_at",
                "updated_at",
                "delivered_at",
            ),
            dispatches,
        )
        for table in (
            "citizens",
            "tickets",
            "inbound_messages",
            "outbound_messages",
            "ticket_events",
            "dispatches",
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        raw.commit()
        raw.driver_connection.autocommit = True
        raw.driver_connection.execute("VACUUM ANALYZE")
    finally:
        raw.close()
    busiest = rng.choices(local, agency_weights)[0][0] if local else None
    with Session(engine) as session:
        busiest = (
            session.scalar(
                text(
                    "SELECT agency_code FROM tickets WHERE agency_code IS NOT NULL GROUP BY agency_code ORDER BY count(*) DESC LIMIT 1"
                )
            )
            or busiest
        )
        accounts.create_user(session, OPERATOR, password, "operator", name="Operator Bench")
        accounts.create_user(
            session, OFFICER, password, "agency", name="Petugas Bench", agency_code=busiest
        )
        session.commit()


def _copy(cursor, table: str, columns: tuple[str, ...], rows) -> None:  # noqa: ANN001
    """COPY rows into a table."""
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def page_facts(engine) -> dict:  # noqa: ANN001
    """Real values the page list needs: a ticket, a phone, an agency and one of its tickets."""
    from sms_gateway import tracking

    with engine.connect() as conn:
        number, phone, region, category, day = conn.execute(
            text(
                "SELECT t.tracking_number, c.phone, t.region_code, t.category, "
                "to_char(t.created_at AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM-DD') "
                "FROM tickets t JOIN citizens c ON c.id = t.citizen_id "
                "WHERE t.status = 'dispatched' ORDER BY t.id LIMIT 1"
            )
        ).one()
        agency = conn.execute(
            text("SELECT agency_code FROM users WHERE username = :u"), {"u": OFFICER}
        ).scalar()
        agency_number = conn.execute(
            text(
                "SELECT tracking_number FROM tickets WHERE agency_code = :a ORDER BY created_at DESC LIMIT 1"
            ),
            {"a": agency},
        ).scalar()
    return {
        "number": number,
        "display": tracking.display(number),
        "phone": "0" + phone[3:],
        "region": region,
        "category": category,
        "day": day,
        "agency": agency,
        "agency_number": agency_number,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--limit-ms", type=float, default=300)
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()

    settings = Settings(
        app_env="development",
        database_url=args.database_url,
        redis_url=args.redis_url,
        sms_provider="sandbox",
        log_level="WARNING",
    )
    now = datetime.now(UTC)
    if not args.reuse:
        started = time.perf_counter()
        prepare_database(args.database_url)
        engine = make_engine(settings)
        migrate.upgrade(engine)
        with engine.connect() as conn:
            from sqlalchemy.orm import Session

            with Session(bind=conn) as session:
                seed.seed(session)
                session.commit()
        seed_tickets(engine, args.tickets, now, PASSWORD)
        engine.dispose()
        print(f"seeded {args.tickets} tickets in {time.perf_counter() - started:.0f} s")
    app = create_app(settings)
    with app.app_context():
        facts = page_facts(app.extensions["db"].engine)
    clients = {
        "operator": sign_in(app, OPERATOR),
        "officer": sign_in(app, OFFICER),
        "public": _public(app),
    }
    first = clients["operator"].get("/console/search").get_data(as_text=True)
    after = re.search(r'after=([^&"]+)', first)
    facts["after"] = after.group(1) if after else ""
    urls = pages(facts)
    timings, skipped = time_pages(clients, urls, args.rounds)
    report(timings, skipped, args.limit_ms)
    if args.explain:
        explain(app, clients, [(w, u) for w, u in urls if u not in skipped])
    app.extensions["db"].dispose()


def _public(app: Flask) -> FlaskClient:
    app.test_client_class = Browser
    return app.test_client()


if __name__ == "__main__":
    main()

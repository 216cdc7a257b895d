"""A tiny synthetic complaint set written by the project (never the real complaints)."""

from __future__ import annotations

import csv
import random

import pytest

TEMPLATES = {
    "PERHUBUNGAN": [
        "lampu jalan di {place} mati sudah {n} hari, gelap sekali malam hari",
        "parkir liar di depan {place} bikin macet, jukir minta uang terus",
        "lampu lalu lintas perempatan {place} tidak menyala mohon diperbaiki",
    ],
    "PEKERJAAN UMUM DAN PENATAAN RUANG": [
        "jalan di {place} berlubang besar, sudah {n} motor jatuh",
        "aspal jalan {place} rusak parah mohon segera ditambal",
        "saluran got di {place} mampet jadi banjir kalau hujan",
    ],
    "SOSIAL DAN KESEJAHTERAAN": [
        "bansos untuk keluarga kami di {place} belum cair sudah {n} bulan",
        "bantuan sembako tidak sampai ke warga miskin {place}",
        "nama ibu saya hilang dari data penerima bantuan sosial di {place}",
    ],
    "KEPENDUDUKAN": [
        "ktp elektronik saya belum jadi padahal rekam {n} bulan lalu di {place}",
        "mau urus kartu keluarga baru di {place} syaratnya apa saja",
        "akta kelahiran anak saya salah nama, mohon dibetulkan dispendukcapil",
    ],
    "KESEHATAN": [
        "puskesmas {place} tidak ada dokter jaga, pasien menunggu {n} jam",
        "pelayanan rumah sakit {place} lambat, perawat tidak ramah",
        "minta fogging di {place} banyak warga kena demam berdarah",
    ],
}
PLACES = ["rt 3 rw 2", "gang mawar", "pasar baru", "dekat masjid", "blok c", "perumahan indah"]


def synthetic_rows(per_category: int = 24, seed: int = 7) -> list[dict]:
    """Rows shaped like the complaints CSV, dated across six months of 2022 and two of 2023."""
    rng = random.Random(seed)
    months = [
        "2022-01",
        "2022-02",
        "2022-03",
        "2022-04",
        "2022-05",
        "2022-06",
        "2023-01",
        "2023-02",
    ]
    rows = []
    for category, templates in TEMPLATES.items():
        for i in range(per_category):
            text = rng.choice(templates).format(place=rng.choice(PLACES), n=rng.randint(2, 9))
            if rng.random() < 0.3:
                text = "mohon bantuannya, " + text
            rows.append(
                {
                    "id": str(len(rows)),
                    "text": text,
                    "lapor_category": category,
                    "instansi": "",
                    "topik": "",
                    "kecamatan": "",
                    "kelurahan": "",
                    "kota": "",
                    "provinsi": "",
                    "tanggal": f"{months[i % len(months)]}-1{i % 9}",
                }
            )
    rows.append({**rows[0], "id": "x", "lapor_category": ""})  # unlabelled rows are skipped
    return rows


@pytest.fixture(scope="session")
def synthetic_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "synthetic.csv"
    rows = synthetic_rows()
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="session")
def synthetic_model(synthetic_csv, tmp_path_factory):
    from sms_gateway.classifier.train import train

    out = tmp_path_factory.mktemp("model")
    report = train([synthetic_csv], seed=0, out_dir=out, log=lambda s: None)
    return out, report

"""CSV export and import of agencies."""

import io

import pytest

from sms_gateway.directory import CsvImportError, agencies, export_csv, import_csv
from sms_gateway.directory.csvio import HEADER

GOOD = (
    "code,name,kind,level,region_code,function,parent_code,channel,email,webhook_url\n"
    "PEMKOT-35.78,Pemerintah Kota Surabaya,pemkot,kabupaten_kota,35.78,,,portal,,\n"
    "35.78-DINKES,Dinas Kesehatan Kota Surabaya,dinas,kabupaten_kota,35.78,kesehatan,"
    "PEMKOT-35.78,email,dinkes@surabaya.go.id,\n"
)


def test_whole_directory_survives_a_round_trip():
    buf = io.StringIO()
    assert export_csv(agencies(), buf) == len(agencies())
    buf.seek(0)
    assert buf.readline().strip() == ",".join(HEADER)
    buf.seek(0)
    assert import_csv(buf) == agencies()


def test_contacts_are_read_and_optional_columns_may_be_left_out():
    rows = import_csv(io.StringIO(GOOD), known_codes=())
    assert rows[1].email == "dinkes@surabaya.go.id" and rows[1].channel == "email"
    minimal = import_csv(io.StringIO("name,code,kind,level\nBPOM,BPOM,lembaga,nasional\n"))
    assert minimal[0].channel == "portal" and minimal[0].region_code is None


def test_bad_rows_are_all_reported_with_line_numbers_and_nothing_is_imported():
    bad = GOOD + (
        "35.78-dinkes,X,dinas,kabupaten_kota,35.78,kesehatan,,portal,,\n"
        "X-1,X,dinass,kabupaten_kota,35,kesehatan,,portal,,\n"
        "X-2,X,dinas,provinsi,35,obat,NOPE,webhook,,\n"
        "PEMKOT-35.78,Dup,pemkot,kabupaten_kota,35.78,,,portal,bukan-email,\n"
    )
    with pytest.raises(CsvImportError) as err:
        import_csv(io.StringIO(bad), known_codes=())
    text = "\n".join(err.value.problems)
    assert "line 4: code '35.78-dinkes'" in text
    assert "line 5: kind 'dinass'" in text
    assert "line 5: region_code '35' is not a kabupaten/kota code" in text
    assert "line 6: function 'obat' is unknown" in text
    assert "line 6: channel 'webhook' needs a webhook_url" in text
    assert "line 6: parent_code 'NOPE' is not a known agency" in text
    assert "line 7: code 'PEMKOT-35.78' already used on line 2" in text
    assert "line 7: email 'bukan-email'" in text


def test_a_header_with_unknown_or_missing_columns_is_refused():
    with pytest.raises(CsvImportError, match="line 1"):
        import_csv(io.StringIO("code,nama,kind,level\nX,Y,lembaga,nasional\n"))


def test_a_row_with_extra_values_is_refused():
    with pytest.raises(CsvImportError, match="line 2: more values than columns"):
        import_csv(io.StringIO("code,name,kind,level\nX,Y,lembaga,nasional,extra\n"))

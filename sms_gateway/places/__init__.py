"""Administrative regions of Indonesia (Kemendagri 2025) and finding them in SMS text.

Levels: "provinsi", "kabupaten", "kota", "kecamatan" (Papua's distrik too), "kelurahan" (codes
1xxx) and "desa" (2xxx, and desa adat 3xxx). Names are Kemendagri's own: "Kota Surabaya",
"Kabupaten Banyumas", "Jawa Timur", and bare names below ("Kalimanah", "Tegalsari").
Data loads on first use (once per process), never at import.
"""

from .keyword import region_keyword
from .locate import Location, Match, locate
from .regions import Level, Region, get, parents, timezone, timezone_label

__all__ = [
    "Level",
    "Location",
    "Match",
    "Region",
    "get",
    "locate",
    "parents",
    "region_keyword",
    "timezone",
    "timezone_label",
]

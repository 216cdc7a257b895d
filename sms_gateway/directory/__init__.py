"""Agency directory and routing: who must act on a complaint, by category and region.

Nothing is loaded at import; the directory and the rules are built on first use and cached.
See README.md in this folder for the code scheme and the routing decisions.
"""

from .build import NATIONAL_ADMIN_CODE, agencies, national_admin
from .csvio import HEADER, CsvImportError, export_csv, import_csv
from .model import CHANNELS, FUNCTIONS, KINDS, LEVELS, Agency
from .router import DirectoryIndex, RouteDecision, RuleSet, route
from .rules import RULE_HEADER, RoutingRule, check_rules, export_rules_csv, load_rules

__all__ = [
    "CHANNELS",
    "FUNCTIONS",
    "HEADER",
    "KINDS",
    "LEVELS",
    "NATIONAL_ADMIN_CODE",
    "RULE_HEADER",
    "Agency",
    "CsvImportError",
    "DirectoryIndex",
    "RouteDecision",
    "RoutingRule",
    "RuleSet",
    "agencies",
    "check_rules",
    "export_csv",
    "export_rules_csv",
    "import_csv",
    "load_rules",
    "national_admin",
    "route",
]

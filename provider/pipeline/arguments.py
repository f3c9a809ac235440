"""The arguments of an ingestion pipeline, checked before anything is declared: one rule set for the components
(provider/pipeline/ingestion.py) and the stack config (provider/dataflow_config.py), each problem as
(argument path, what is wrong and the fix), so each caller reports it in its own terms.

Which flow spec a pipeline uses follows from its source's category in the catalog: databases and CRMs read
tables through ``CRMToAEP``, cloud storage reads files through ``CloudStorageToAEP`` (Adobe's flow specs).
"""

from __future__ import annotations

from typing import Any, Mapping, NamedTuple, Optional

from provider.catalog import load_catalog
from provider.pipeline.mapping_set import mapping_problems
from provider.pipeline.schedule import schedule_params, schedule_problems, start_seconds

CRM_TO_AEP = "14518937-270c-4525-bdec-c2ba7cce3860"
CLOUD_STORAGE_TO_AEP = "9753525b-82c7-4dce-8a9b-5ccfce2b9876"
TABLE_CATEGORIES = frozenset({"databases", "crm"})
FILE_CATEGORIES = frozenset({"cloud-storage"})
FILE_FORMATS = ("delimited", "json", "parquet")
NOUNS = {"databases": "database", "crm": "CRM", "cloud-storage": "cloud-storage"}
Problem = tuple[str, str]


class Dataset(NamedTuple):
    id: Optional[str] = None
    name: Optional[str] = None


def category(connection_spec_id: str) -> Optional[str]:
    specs = load_catalog().by_id(connection_spec_id)
    return specs[0].category if specs else None


def flow_spec_for(connection_spec_id: str, files: bool) -> tuple[Optional[str], Optional[str]]:
    """(flow spec id, None) for a source of the right kind; (None, the problem and the fix) otherwise."""
    specs = load_catalog().by_id(connection_spec_id)
    shown = specs[0].displayName if specs else connection_spec_id
    kind = category(connection_spec_id)
    if files and kind in FILE_CATEGORIES:
        return CLOUD_STORAGE_TO_AEP, None
    if not files and kind in TABLE_CATEGORIES:
        return CRM_TO_AEP, None
    if kind in FILE_CATEGORIES | TABLE_CATEGORIES:
        other = "a table ingestion (table:)" if files else "a file ingestion (path:, format:)"
        return None, f"{shown} is a {NOUNS.get(kind, kind)} source: use {other}"
    return None, (f"{shown} ({kind or 'unknown category'}) has no batch ingestion here yet: table ingestion takes "
                  "database and CRM sources, file ingestion cloud-storage sources")


def dataset_of(value: Any) -> tuple[Optional[Dataset], list[Problem]]:
    """A dataset given as an id, or as ``{name: ...}`` (or ``{id: ...}``)."""
    if isinstance(value, str) and value.strip():
        return Dataset(id=value.strip()), []
    if isinstance(value, Mapping) and len(value) == 1:
        (key, given), = value.items()
        if key in ("id", "name") and isinstance(given, str) and given.strip():
            return Dataset(**{key: given.strip()}), []
    return None, [("dataset", "must be a dataset id, or {name: <dataset name>} looked up in the stack's sandbox")]


def mappings_of(value: Any) -> tuple[list[dict[str, str]], list[Problem]]:
    """``{source field: XDM path}`` (or a list of ``{source, destination}``) as Data Prep mappings."""
    if isinstance(value, Mapping):
        listed = [{"source": str(k), "destination": v} for k, v in value.items()]
    elif isinstance(value, list):
        listed = list(value)
    else:
        return [], [("mapping", "must be a map of source field -> XDM path, e.g. {order_id: _acme.orderId}")]
    problems = [(f"mapping{where}", why) for where, why in mapping_problems(listed)]
    if isinstance(value, Mapping):  # name problems by source field, as the user wrote them
        problems = [(_by_field(path, listed), why) for path, why in problems]
    return listed, problems


def _by_field(path: str, listed: list[dict[str, Any]]) -> str:
    if not path.startswith("mapping["):
        return path
    index = int(path[len("mapping["):].split("]", 1)[0])
    return f"mapping.{listed[index]['source']}"


def schedule_of(value: Any) -> tuple[Optional[dict[str, Any]], list[Problem]]:
    """``{frequency, interval, start, backfill}`` (start as ISO 8601) as Adobe's ``scheduleParams``."""
    if not isinstance(value, Mapping):
        return None, [("schedule", "must be a map: {frequency: hour, interval: 1, start: 2027-01-01T00:00:00Z}")]
    problems = [(f"schedule.{k}", "unknown key; a schedule takes frequency, interval, start, backfill")
                for k in value if k not in ("frequency", "interval", "start", "backfill")]
    try:
        start = start_seconds(value.get("start")) if value.get("start") is not None else None
    except ValueError as err:
        return None, problems + [("schedule.start", str(err))]
    params = {"frequency": value.get("frequency"), "interval": _whole(value.get("interval")), "startTime": start,
              "backfill": _flag(value.get("backfill"))}
    params = {k: v for k, v in params.items() if v is not None}
    for key, why in schedule_problems(params):
        problems.append((f"schedule.{'start' if key == 'startTime' else key}",
                         why.replace("in epoch seconds (start: ISO 8601 in programs)", "as ISO 8601, e.g. "
                                     "2027-01-01T00:00:00Z")))
    if problems:
        return None, problems
    return schedule_params(params["frequency"], params.get("interval"), start, params.get("backfill")), []


def _whole(value: Any) -> Any:
    """``"15"`` as 15: `pulumi config set --path` stores what it is given as text."""
    return int(value) if isinstance(value, str) and value.strip().isdigit() else value


def _flag(value: Any) -> Any:
    return {"true": True, "false": False}.get(value.strip().lower(), value) if isinstance(value, str) else value


def source_problems(files: bool, table: Any = None, path: Any = None, fmt: Any = None) -> list[Problem]:
    if not files:
        if not isinstance(table, str) or not table.strip():
            return [("table", "required: the table to read, e.g. public.orders")]
        return []
    problems = []
    if not isinstance(path, str) or not path.strip():
        problems.append(("path", "required: the file or folder to read, e.g. /exports/orders/"))
    if fmt not in FILE_FORMATS:
        problems.append(("format", f"must be one of {', '.join(FILE_FORMATS)}"))
    return problems

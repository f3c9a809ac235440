"""Read the settings out of a PostgreSQL connection string, whichever of the three usual shapes it has.

- ODBC / ADO.NET (Adobe's tutorial shape): `Server=h;Database=d;Port=5432;UID=u;Password=p;SSL Mode=Require`;
  a value may be wrapped in `{...}` (a `}` inside doubled, ODBC style), or in '...' / "..." (quote doubled)
- libpq key/value: `host=h dbname=d user=u password=p sslmode=require`
- URI: `postgresql://u:p@h:5432/d?sslmode=require`

Keys come back normalised (lower case, spaces, `_` and `-` removed), so `SSL Mode`, `ssl_mode` and `sslmode` all
read as `sslmode`. A key given twice keeps every value, in order.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit

_LIBPQ_PAIR = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*('(?:[^'\\]|\\.)*'|[^\s']*)\s*")
PASSWORD_KEYS = ("password", "pwd")


def normalize_key(key: str) -> str:
    return re.sub(r"[\s_\-]", "", key).lower()


def parse_connection_string(text: str) -> dict[str, list[str]]:
    """Map of normalised key -> values; a string that is none of the three shapes gives `{}`."""
    text = text.strip()
    if re.match(r"^postgres(ql)?://", text, re.IGNORECASE):
        return _parse_uri(text)
    if ";" not in text and _is_libpq(text):
        return _collect((m.group(1), _unquote_libpq(m.group(2))) for m in _LIBPQ_PAIR.finditer(text))
    return _collect(_ado_pairs(text))


def passwords_in(text: str) -> list[str]:
    """Every password a connection string carries (used to find credentials copied into other fields)."""
    parsed = parse_connection_string(text)
    return [value for key in PASSWORD_KEYS for value in parsed.get(key, []) if value]


def _collect(pairs) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for key, value in pairs:
        result.setdefault(normalize_key(key), []).append(value)
    return result


def _is_libpq(text: str) -> bool:
    position = 0
    for match in _LIBPQ_PAIR.finditer(text):
        if match.start() != position:
            return False
        position = match.end()
    return position == len(text) and position > 0


def _unquote_libpq(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def _ado_pairs(text: str):
    """`key=value` pairs separated by `;`; a quoted value may contain `;` (a doubled closing mark escapes it)."""
    i, n = 0, len(text)
    while i < n:
        eq = text.find("=", i)
        if eq < 0:
            return
        key = text[i:eq].strip().lstrip(";").strip()
        j = eq + 1
        while j < n and text[j] == " ":
            j += 1
        if j < n and text[j] in "{'\"":
            quote, j, chars = "}" if text[j] == "{" else text[j], j + 1, []
            while j < n:
                if text[j] == quote and j + 1 < n and text[j + 1] == quote:
                    chars.append(quote)
                    j += 2
                elif text[j] == quote:
                    j += 1
                    break
                else:
                    chars.append(text[j])
                    j += 1
            value = "".join(chars)
            end = text.find(";", j)
        else:
            end = text.find(";", j)
            value = text[j:] if end < 0 else text[j:end]
            value = value.strip()
        if key:
            yield key, value
        i = n if end < 0 else end + 1


def _parse_uri(text: str) -> dict[str, list[str]]:
    parts = urlsplit(text)
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    if parts.username:
        pairs.append(("user", unquote(parts.username)))
    if parts.password:
        pairs.append(("password", unquote(parts.password)))
    return _collect(pairs)

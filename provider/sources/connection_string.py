"""ODBC-style connection strings (`Key=value;Key=value`), as the PostgreSQL source takes them.

Quoting rule (ODBC `SQLDriverConnect` grammar, also used by DataDirect drivers): a value that contains
`;`, `{`, `}`, `=`, a quote, ODBC's other reserved characters `[](),?*!@`, or any whitespace or control
character is wrapped in braces, and each `}` inside is doubled. So `p;w}d` is written `{p;w}}d}`, and a
value can never end its own pair early or add another key. Plain values are written as they are, so the
common case reads exactly like Adobe's pattern `Server=...;Database=...;Port=...;UID=...;Password=...`.
"""

from __future__ import annotations

_NEEDS_BRACES = set(";{}=[](),?*!@'\"")


class ConnectionStringError(ValueError):
    """The text is not a well-formed `Key=value;...` connection string."""


def quote_value(value: str) -> str:
    if "\x00" in value:
        raise ConnectionStringError("a connection string value cannot contain a NUL character")
    if value and not any(c in _NEEDS_BRACES or c.isspace() or not c.isprintable() for c in value):
        return value
    return "{" + value.replace("}", "}}") + "}"


def format_connection_string(pairs: list[tuple[str, str]]) -> str:
    """Join (key, value) pairs; keys must be plain words and unique (case-insensitively)."""
    seen: set[str] = set()
    parts = []
    for key, value in pairs:
        if not key or not key.replace("_", "").isalnum():
            raise ConnectionStringError(f"connection string key {key!r} must be letters, digits or '_'")
        if key.lower() in seen:
            raise ConnectionStringError(f"connection string key {key!r} appears twice")
        seen.add(key.lower())
        parts.append(f"{key}={quote_value(value)}")
    return ";".join(parts)


def parse_connection_string(text: str) -> list[tuple[str, str]]:
    """Split a connection string into (key, value) pairs, undoing the brace quoting.

    Errors name the position, never the text around it (the text holds a password).
    """
    pairs: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        eq = text.find("=", i)
        if eq < 0:
            raise ConnectionStringError(f"missing '=' after the key starting at position {i}")
        key = text[i:eq].strip()
        if not key or ";" in key or "{" in key:
            raise ConnectionStringError(f"empty or malformed key at position {i}")
        i = eq + 1
        if i < n and text[i] == "{":
            value, i = _read_braced(text, i)
            if i < n and text[i] != ";":
                raise ConnectionStringError(f"unexpected text after the closing brace at position {i}")
        else:
            end = text.find(";", i)
            end = n if end < 0 else end
            value = text[i:end]
            if "{" in value or "}" in value:
                raise ConnectionStringError(f"unquoted value at position {i} contains a brace")
            i = end
        if any(key.lower() == seen.lower() for seen, _ in pairs):
            raise ConnectionStringError(f"key '{key}' appears twice; give each key once")
        pairs.append((key, value))
        i += 1  # skip ';'
    return pairs


def _read_braced(text: str, start: int) -> tuple[str, int]:
    out = []
    i = start + 1
    while i < len(text):
        c = text[i]
        if c == "}":
            if text[i + 1 : i + 2] == "}":
                out.append("}")
                i += 2
                continue
            return "".join(out), i + 1
        out.append(c)
        i += 1
    raise ConnectionStringError(f"the brace opened at position {start} is never closed")

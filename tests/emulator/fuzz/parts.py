"""Hypothesis strategies for the parts of a request the spec barely describes: query strings, header fields,
methods and paths, and IMS token requests (forms, multipart parts, query parameters, Basic credentials)."""
from __future__ import annotations

import base64
import json
import zlib

from hypothesis import strategies as st

FLOW = "/data/foundation/flowservice"
FIELDS = ["name", "id", "state", "createdAt", "auth.specName", "auth.params.port", "connectionSpec.id",
          "scheduleParams.interval", "params.dataSetId", "transformations", "targetConnectionIds",
          "description", "auth", "sourceConnectionIds", "a.b.c.d.e", "_x", "9bad", ""]
OPS = ["==", "!=", ">", "<", ">=", "<=", "~", "=", "===", ""]
latin1 = st.text(st.characters(codec="latin-1", exclude_categories=["Cc"]), max_size=40)
any_text = st.text(max_size=40)


@st.composite
def conditions(draw: st.DrawFn) -> str:
    parts = [draw(st.sampled_from(FIELDS)) + draw(st.sampled_from(OPS)) + draw(any_text)
             for _ in range(draw(st.integers(1, 3)))]
    return ",".join(parts)


def _forged_token(state: object) -> str:
    return base64.urlsafe_b64encode(zlib.compress(json.dumps(state).encode())).decode().rstrip("=")


tokens = st.one_of(
    st.text(st.characters(codec="ascii"), max_size=40),
    st.sampled_from(["", "=", "b2Zmc2V0OjE", "eJyrVgooyk9KLS5RsgIA", "x" * 5000, "%", "a&b", "eJwDAAAAAAE"]),
    st.builds(lambda o, q: _forged_token({"o": o, "q": q}), st.integers(-5, 2**40),
              st.lists(st.tuples(st.sampled_from(["property", "orderby", "limit", "count", "x"]), any_text)
                       .map(list), max_size=3)),
    st.builds(_forged_token, st.recursive(st.none() | st.integers() | any_text,
                                          lambda i: st.lists(i, max_size=3) | st.dictionaries(any_text, i, max_size=3),
                                          max_leaves=6)),
)
query_values = {
    "property": st.one_of(conditions(), any_text),
    "orderby": st.one_of(st.sampled_from(["name", "-createdAt", "+name", "-", "name,-id", "auth", "a..b", ",,"]),
                         any_text),
    "limit": st.one_of(st.integers(-3, 2**40).map(str), st.sampled_from(["", "²", "٣", "1.5", "1e3", " 2", "0x10"]),
                       st.text("0123456789", min_size=11, max_size=5000)),
    "count": st.sampled_from(["true", "false", "TRUE", "1", "", "yes"]),
    "continuationToken": tokens,
}
query_pairs = st.lists(
    st.one_of(*(st.tuples(st.just(k), v) for k, v in query_values.items()), st.tuples(any_text, any_text)),
    max_size=6,
)

HEADER_NAMES = ["x-sandbox-name", "If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since",
                "Content-Type", "Content-Encoding", "Accept", "Accept-Encoding", "x-api-key", "x-gw-ims-org-id",
                "Authorization", "Expect", "Range", "Origin", "Access-Control-Request-Method", "X-Forwarded-For",
                "Forwarded", "Host", "Upgrade", "Connection", "TE", "Transfer-Encoding", "X-HTTP-Method-Override"]
HEADER_VALUES = ["*", '"x"', 'W/"x"', "prod", "PROD", "dev, prod", "", "Sun, 06 Nov 1994 08:49:37 GMT",
                 "Tue, 01 Jan 2999 00:00:00 GMT", "not a date", "gzip", "identity", "application/json",
                 "Bearer", "Basic Og==", "100-continue", "bytes=0-1", "websocket", "h2c", "close", "DELETE"]
header_sets = st.dictionaries(
    st.sampled_from(HEADER_NAMES) | st.from_regex(r"\A[A-Za-z0-9!#$%&'*+.^_`|~-]{1,20}\Z"),
    st.sampled_from(HEADER_VALUES) | latin1 | st.text("a", min_size=8000, max_size=9000),
    max_size=5,
)

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND", "FOO"]
path_segments = st.one_of(st.sampled_from(["connections", "connectionSpecs", "sourceConnections", "flows", "test",
                                           "targetConnections", "flowSpecs", "action", "mappingSets", "dataSets",
                                           "x", "..", ".", "%2e%2e", "%00", "%ff", "", "ids;x=1", "%E2%82%AC"]),
                          st.text(st.characters(codec="ascii", categories=["L", "N"]), max_size=12))
paths = st.one_of(
    st.lists(path_segments, min_size=1, max_size=4).map(lambda s: FLOW + "/" + "/".join(s)),
    st.lists(path_segments, max_size=3).map(lambda s: "/" + "/".join(s)),
    st.lists(path_segments, min_size=1, max_size=3).map(lambda s: "/data/foundation/conversion/" + "/".join(s)),
    st.lists(path_segments, min_size=1, max_size=3).map(lambda s: "/data/foundation/catalog/" + "/".join(s)),
    st.lists(path_segments, max_size=3).map(lambda s: "/_emulator/sandboxes/" + "/".join(s)),
    st.sampled_from(["/ims/token/v3", "/ims/token/v3/", "/ims/token/v2", "/_emulator/faults", "/_emulator/nope", "/"]),
)


@st.composite
def ims_requests(draw: st.DrawFn, client_id: str, client_secret: str) -> dict:
    """Keyword arguments for ``requests.post`` to the IMS token endpoint, right or wrong in many ways."""
    good = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret,
            "scope": "openid,AdobeID,read_organizations"}
    names = list(good) + ["code", "", "client_id[]"]
    fields = draw(st.lists(st.tuples(st.sampled_from(names), st.sampled_from([*good.values(), ""]) | any_text),
                           max_size=6)) if draw(st.booleans()) else list(good.items())
    kwargs: dict = {}
    shape = draw(st.sampled_from(["form", "multipart", "files", "query", "json", "raw", "basic"]))
    if shape == "form":
        kwargs["data"] = fields
    elif shape == "multipart":
        kwargs["files"] = [(k, (None, v)) for k, v in fields]
    elif shape == "files":
        kwargs["files"] = [(k, (draw(st.sampled_from(["f.txt", ""])), v.encode())) for k, v in fields]
    elif shape == "query":
        kwargs["params"] = fields
    elif shape == "json":
        kwargs["json"] = dict(fields)
    elif shape == "raw":
        ctype = draw(st.sampled_from(["application/x-www-form-urlencoded", "multipart/form-data",
                                      "multipart/form-data; boundary=x", "multipart/form-data; boundary=x; charset=x",
                                      "text/plain", ""]))
        kwargs.update(data=draw(st.binary(max_size=200)), headers={"Content-Type": ctype})
    else:
        kwargs.update(data=[(k, v) for k, v in fields if k != "client_secret"],
                      auth=(draw(st.sampled_from([client_id, "", "x:y"])), draw(st.sampled_from([client_secret, ""]))))
    if draw(st.booleans()):
        kwargs.setdefault("headers", {})["Authorization"] = draw(st.sampled_from(
            ["Basic !!!", "Basic " + base64.b64encode(b"\xff:\xfe").decode(), "Basic " + base64.b64encode(b"no-colon")
             .decode(), "Bearer x", "Basic"]))
    return kwargs

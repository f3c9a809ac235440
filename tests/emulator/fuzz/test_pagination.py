"""Property: a client following ``_links.next.href`` page after page sees every listed item exactly once, in
the unpaged order, and the links do not grow - whether it follows the href as is, follows it and adds its own
query parameters again, cuts the token out and re-sends its own parameters (as this project's provider does),
or takes what follows the first ``=`` (as aepp does)."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from tests.emulator.fuzz.harness import fuzz
from tests.emulator.seeds import postgresql_body

NAMES = ["alpha", "beta", "beta", "gamma", "delta", "Epsilon", "zeta", "eta", "theta", "iota", "kappa"]
FILTERS = [None, "name~a", "name!=beta", "name>c", "state==enabled", "name==nobody", "description"]
ORDERS = [None, "name", "-name", "createdAt", "-createdAt,name", "description,-name", "auth"]


def _page(fuzz_client, emulator, url: str, params: list) -> dict:
    response = fuzz_client.send("GET", url, params=params, headers=emulator.headers())
    assert response.status_code == 200, response.text
    return response.json()


def test_following_next_links(fuzz_client, emulator):
    for name in NAMES:
        body = postgresql_body(name=name)
        assert fuzz_client.session.post(emulator.flow_url + "/connections", json=body,
                                        headers=emulator.headers(), timeout=10).status_code == 201

    @fuzz(examples=100)
    @given(limit=st.integers(1, 13), prop=st.sampled_from(FILTERS), order=st.sampled_from(ORDERS),
           style=st.sampled_from(["href", "href and own params", "token and own params", "aepp split"]))
    def run(limit, prop, order, style):
        fuzz_client.case()
        own = [("limit", str(limit))] + [(k, v) for k, v in (("property", prop), ("orderby", order)) if v]
        expected = [c["id"] for c in _page(fuzz_client, emulator, emulator.flow_url + "/connections",
                                            [p for p in own if p[0] != "limit"])["items"]]
        seen, hrefs, body = [], [], _page(fuzz_client, emulator, emulator.flow_url + "/connections", own)
        while True:
            seen += [c["id"] for c in body["items"]]
            href = body.get("_links", {}).get("next", {}).get("href")
            if href is None:
                break
            hrefs.append(href)
            assert len(hrefs) <= len(NAMES), "the links never end"
            if style.startswith("href"):
                body = _page(fuzz_client, emulator, emulator.flow_url + href, own if "own" in style else [])
            elif style == "token and own params":
                token = dict(parse_qsl(urlsplit(href).query))["continuationToken"]
                body = _page(fuzz_client, emulator, emulator.flow_url + "/connections",
                             own + [("continuationToken", token)])
            else:
                body = _page(fuzz_client, emulator, emulator.flow_url + "/connections",
                             own + [("continuationToken", href.split("=")[1])])
        assert seen == expected
        assert all(h.startswith("/connections?continuationToken=") for h in hrefs)
        assert not hrefs or max(map(len, hrefs)) - min(map(len, hrefs)) <= 4, hrefs

    run()

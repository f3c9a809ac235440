"""emulator/backend/catalog.py: what the emulator serves from emulator/data/connection_specs.json."""
from __future__ import annotations

import json
import re

from emulator.backend.catalog import DATA_FILE, load_catalog

UNVERIFIED = {"sugarcrm-accounts-contacts", "linkedin-ads", "oracle-netsuite-activities", "oracle-netsuite-entities",
              "pathfactory", "salesforce-marketing-cloud"}


def test_serves_only_verified_specs_with_unique_ids():
    specs = load_catalog().all()
    raw = json.loads(DATA_FILE.read_text())["specs"]
    assert len(specs) == len([s for s in raw if s.get("verified")]) == 61
    assert not {s.source for s in specs} & UNVERIFIED
    assert len({s.id for s in specs}) == len(specs)


def test_param_types_are_ours():
    for spec in load_catalog().all():
        for auth in spec.auth_specs:
            for p in auth.params:
                expected = {"port": "integer", "maxConcurrentConnections": "integer", "enableSsl": "boolean",
                            "includeDeletedObjects": "boolean", "authenticationRequired": "boolean"}.get(p.name,
                                                                                                        "string")
                assert p.type == expected, (spec.source, p.name)


def test_credential_like_params_are_flagged_secret():
    """Secrets drive masking: anything named like a credential must be flagged, or GET would echo it."""
    credential = re.compile(r"password|secret|connectionstring|token$|^accesstoken$|privatekey|keyfilecontent|"
                            r"saskey$|apikey|principalkey|passphrase|sasuri|^credentials$", re.I)
    flagged = 0
    for spec in load_catalog().all():
        for auth in spec.auth_specs:
            for p in auth.params:
                if credential.search(p.name):
                    assert p.secret, (spec.source, auth.name, p.name)
                    flagged += 1
    assert flagged >= 61

"""The ingestion components as a user's own program writes them, run against the emulator through the real plugin:
a file ingestion on Amazon S3 (flow spec CloudStorageToAEP, the path and format it reads), and the argument
mistakes refused before anything is registered, all at once."""

from __future__ import annotations

from tests.harness.program import ProgramHarness

SCHEMA = "https://ns.adobe.com/acme/schemas/clicks"
FILES = '''
import pulumi
from provider.pipeline.ingestion import FileIngestion
from provider.sources import AmazonS3Connection

aep = pulumi.Config("aep")
bucket = AmazonS3Connection("clicks-bucket", s3_access_key="AKIAEXAMPLE", s3_secret_key="not-a-real-key",
                            bucket_name="acme-clicks")
clicks = FileIngestion("clicks-daily", connection=bucket, path="/exports/clicks/", format="json",
                       dataset="{dataset}", mapping={{"click_id": "_acme.clickId"}},
                       schedule={{"frequency": "day", "interval": 1, "start": "2027-01-01T06:00:00+02:00"}},
                       enabled=False)
pulumi.export("flow", clicks.dataflow_id)
'''
WRONG = '''
from provider import PostgreSqlConnection, TableIngestion
from provider.pipeline.ingestion import FileIngestion

db = PostgreSqlConnection("orders-db", host="h", database="d", username="u", password="p")
FileIngestion("oops", connection=db, path="", format="csv", dataset={"title": "x"}, mapping={"a": "not a path"},
              schedule={"frequency": "minute", "interval": 5, "start": "tomorrow"})
'''


def test_a_file_ingestion_on_s3_creates_its_pipeline(emulator, tmp_path):
    dataset = emulator.create_dataset("dev", "Clicks", SCHEMA)
    program = tmp_path / "__main__.py"
    program.write_text(FILES.format(dataset=dataset))
    run = ProgramHarness.for_emulator(emulator, program=program).up().raise_for_error()
    assert run.ops() == {"create": 5}
    (flow,) = emulator.flows("dev")
    (source,) = emulator.source_connections("dev")
    assert run.exports["flow"] == flow["id"]
    assert flow["flowSpec"]["id"] == "9753525b-82c7-4dce-8a9b-5ccfce2b9876" and flow["state"] == "disabled"
    assert int(flow["scheduleParams"]["startTime"]) == 1798776000  # 06:00 at +02:00 is 04:00 UTC
    assert source["params"] == {"path": "/exports/clicks/"} and source["data"]["format"] == "json"


def test_every_argument_mistake_at_once_before_anything_is_registered(emulator, tmp_path):
    program = tmp_path / "__main__.py"
    program.write_text(WRONG)
    run = ProgramHarness.for_emulator(emulator, program=program).up()
    assert run.error  # the connection declared before it is the program's own business; nothing of the pipeline:
    assert emulator.source_connections("dev") == [] and emulator.flows("dev") == []
    for part in ("FileIngestion('oops'): path: required", "format: must be one of delimited, json, parquet",
                 "connection: PostgreSQL is a database source: use a table ingestion (table:)",
                 "dataset: must be a dataset id, or {name: <dataset name>}",
                 "mapping.a: 'not a path' is not an XDM path",
                 "schedule.start: start 'tomorrow' is not an ISO 8601 date-time"):
        assert part in run.error, (part, run.error)
    assert not [r for r in run.resources if r.type.startswith("aep:pipelines")]

"""The batch ingestion pipeline as Pulumi resources: one module per Flow Service object (source connection,
target connection, mapping set, dataflow), each a ``ManagedObjectProvider`` (provider/managed_object.py), and
the ingestion components that declare all four (provider/pipeline/ingestion.py)."""

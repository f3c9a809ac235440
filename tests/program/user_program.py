"""A user's own Pulumi program (not this repo's __main__.py): it imports the package and declares one connection
itself, as a component (DECLARES=component, the default) or as the dynamic resource (DECLARES=resource)."""

import os

import pulumi

from provider import FlowServiceBaseConnection, PostgreSqlConnection

if os.environ.get("DECLARES", "component") == "resource":
    connection = FlowServiceBaseConnection(
        "orders",
        name="Orders (resource)",
        connection_spec_id="74a1c565-4e59-48d7-9d67-7c03b8a13137",
        auth_spec_name="Connection String Based Authentication",
        auth_params={"connectionString": "Server=orders.db.example;Database=orders;UID=aep;Password=pw-user-1"},
    )
    pulumi.export("connection_id", connection.id)
else:
    component = PostgreSqlConnection(
        "orders", host="orders.db.example", database="orders", username="aep", password="pw-user-1",
        name="Orders (component)",
    )
    pulumi.export("connection_id", component.connection_id)

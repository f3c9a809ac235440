"""Pipeline objects as `TableIngestion` registers them, for feeding the pipeline rules and the running pack.

Properties follow the dynamic resources' registered inputs: a dataflow's `schedule` is Adobe's `scheduleParams`
(start as epoch seconds), ids of the other pipeline objects are unknown until they exist (`UNKNOWN` in a preview).
"""

from __future__ import annotations

from typing import Any

from policy.rules.pipeline_model import DATAFLOW_TYPE, TARGET_CONNECTION_TYPE, Dataflow, TargetConnection
from tests.harness.analyzer import AnalyzedResource, urn_for

CRM_TO_AEP = "14518937-270c-4525-bdec-c2ba7cce3860"
START_2027 = 1798761600  # 2027-01-01T00:00:00Z
ORDERS_DATASET_ID = "5f1a2b3c4d5e6f7a8b9c0d1e"
COMPONENT = "aep:pipelines:TableIngestion"


def schedule(frequency: str = "hour", interval: Any = 1, **more: Any) -> dict[str, Any]:
    params = {"frequency": frequency, "startTime": START_2027, **more}
    if interval is not None:
        params["interval"] = interval
    return params


def dataflow(**overrides: Any) -> dict[str, Any]:
    props = {
        "name": "orders-hourly",
        "description": None,
        "flow_spec_id": CRM_TO_AEP,
        "flow_spec_version": "1.0",
        "source_connection_id": "src-0001",
        "target_connection_id": "tgt-0001",
        "mapping_id": "map-0001",
        "mapping_version": 0,
        "schedule": schedule(),
        "enabled": True,
        "sandbox": "prod",
        "adopt_id": None,
    }
    props.update(overrides)
    return props


def target(**overrides: Any) -> dict[str, Any]:
    props = {"name": "orders-hourly (target)", "description": None, "dataset_id": None, "dataset_name": "Orders",
             "sandbox": "prod", "adopt_id": None, "adopt_from_flow": None}
    props.update(overrides)
    return props


def flow_view(props: dict[str, Any], resource_name: str = "orders-hourly", stack: str = "prod") -> Dataflow:
    return Dataflow(urn=_urn(stack, DATAFLOW_TYPE, resource_name), resource_name=resource_name, props=props)


def target_view(props: dict[str, Any], resource_name: str = "orders-hourly", stack: str = "prod") -> TargetConnection:
    return TargetConnection(urn=_urn(stack, TARGET_CONNECTION_TYPE, resource_name), resource_name=resource_name,
                            props=props)


def flow_resource(props: dict[str, Any], resource_name: str = "orders-hourly", stack: str = "prod"
                  ) -> AnalyzedResource:
    return AnalyzedResource(DATAFLOW_TYPE, resource_name, _urn(stack, DATAFLOW_TYPE, resource_name), props)


def target_resource(props: dict[str, Any], resource_name: str = "orders-hourly", stack: str = "prod"
                    ) -> AnalyzedResource:
    return AnalyzedResource(TARGET_CONNECTION_TYPE, resource_name,
                            _urn(stack, TARGET_CONNECTION_TYPE, resource_name), props)


def _urn(stack: str, type_: str, name: str) -> str:
    return urn_for(stack, type_, name, parent_types=(COMPONENT,))

"""Binds the pure rules in `policy.rules` to pulumi-policy: names, enforcement levels, config schemas, reporting.

The engine tells the pack process which stack it analyses: older engines in the environment it starts it with
(`PULUMI_STACK`, and the stack's config as JSON in `PULUMI_CONFIG`), v3.274.1 in its ConfigureStack call, which
`policy.engine_stack` writes into those same variables. pulumi-policy applies the config before every
Analyze / AnalyzeStack call, so `aep:sandbox` is read from it then. Every message about base connections passes
through `redact` with the credentials of the connections involved before it is reported, whatever rule produced
it; the pipeline policies judge dataflows and target connections, which carry no credentials.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Iterable

import pulumi
from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from policy.rules import (
    approved_datasets,
    approved_sources,
    connection_naming,
    dataflow_backfill_in_prod,
    dataflow_min_interval,
    force_delete_in_prod,
    no_credentials_in_metadata,
    postgres_tls,
    sandbox_matches_stack,
    verify_in_prod,
)
from policy.rules.connection_string import passwords_in
from policy.rules.model import Connection, StackContext, is_base_connection, redact
from policy.rules.pipeline_model import Dataflow, PipelineObject, TargetConnection

SANDBOX_PER_RESOURCE = "sandbox-matches-stack-per-resource"
PACK_NAME = "aep-flow-connections"


def stack_context() -> StackContext:
    """The stack under analysis, as the engine described it to this process."""
    return StackContext(
        stack=os.environ.get("PULUMI_STACK") or None,
        configured_sandbox=pulumi.Config("aep").get("sandbox"),
    )


def _secrets(connections: Iterable[Connection]) -> list[str]:
    values = []
    for connection in connections:
        for _, text in connection.known_auth_strings():
            values += [text, *passwords_in(text)]
    return values


ResourceCheck = Callable[[Connection, ResourceValidationArgs], list[str]]


def _resource_policy(name: str, description: str, level: EnforcementLevel, severity: Severity, schema: dict,
                     check: ResourceCheck) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if not is_base_connection(args.resource_type):
            args.not_applicable("not an aep:BaseConnection")
        connection = Connection(urn=args.urn, resource_name=args.name, props=args.props)
        secrets = None
        for message in check(connection, args):
            secrets = secrets if secrets is not None else _secrets([connection])
            report_violation(redact(message, secrets), None)

    return ResourceValidationPolicy(name=name, description=description, validate=validate, enforcement_level=level,
                                    severity=severity, config_schema=PolicyConfigSchema(properties=schema))


def _stack_policy(name: str, description: str, level: EnforcementLevel, severity: Severity, schema: dict,
                  check: Callable[[list[Connection], StackValidationArgs], list]) -> StackValidationPolicy:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        connections = [Connection(urn=r.urn, resource_name=r.name, props=r.props)
                       for r in args.resources if is_base_connection(r.resource_type)]
        violations = check(connections, args)
        secrets = _secrets(connections) if violations else []
        for violation in violations:
            report_violation(redact(violation.message, secrets), violation.urn)

    return StackValidationPolicy(name=name, description=description, validate=validate, enforcement_level=level,
                                 severity=severity, config_schema=PolicyConfigSchema(properties=schema))


def _pipeline_policy(name: str, description: str, level: EnforcementLevel, severity: Severity, schema: dict,
                     view: type[PipelineObject], check: Callable[[Any, ResourceValidationArgs], list[str]]
                     ) -> ResourceValidationPolicy:
    """A resource policy for one pipeline type (`view.TYPE`); other resources are not applicable."""
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type != view.TYPE:
            args.not_applicable(f"not an {view.type_name()}")
        for message in check(view(urn=args.urn, resource_name=args.name, props=args.props), args):
            report_violation(message, None)

    return ResourceValidationPolicy(name=name, description=description, validate=validate, enforcement_level=level,
                                    severity=severity, config_schema=PolicyConfigSchema(properties=schema))


def _not_applicable_unless(reason: str | None, args: ResourceValidationArgs) -> None:
    if reason is not None:
        args.not_applicable(reason)


def _tls(connection: Connection, args: ResourceValidationArgs) -> list[str]:
    settings, stack = postgres_tls.parse_settings(args.get_config()), stack_context()
    _not_applicable_unless(postgres_tls.applies(connection, settings, stack), args)
    return postgres_tls.check(connection, settings, stack)


def _verify(connection: Connection, args: ResourceValidationArgs) -> list[str]:
    settings, stack = verify_in_prod.parse_settings(args.get_config()), stack_context()
    _not_applicable_unless(verify_in_prod.applies(connection, settings, stack), args)
    return verify_in_prod.check(connection, settings, stack)


def _force_delete(connection: Connection, args: ResourceValidationArgs) -> list[str]:
    settings, stack = force_delete_in_prod.parse_settings(args.get_config()), stack_context()
    _not_applicable_unless(force_delete_in_prod.applies(connection, settings, stack), args)
    return force_delete_in_prod.check(connection, settings, stack)


def _min_interval(flow: Dataflow, args: ResourceValidationArgs) -> list[str]:
    settings, stack = dataflow_min_interval.parse_settings(args.get_config()), stack_context()
    _not_applicable_unless(dataflow_min_interval.applies(flow, settings, stack), args)
    return dataflow_min_interval.check(flow, settings, stack)


def _datasets(target: TargetConnection, args: ResourceValidationArgs) -> list[str]:
    settings = approved_datasets.parse_settings(args.get_config())
    _not_applicable_unless(approved_datasets.applies(settings), args)
    return approved_datasets.check(target, settings)


def _backfill(flow: Dataflow, args: ResourceValidationArgs) -> list[str]:
    settings, stack = dataflow_backfill_in_prod.parse_settings(args.get_config()), stack_context()
    _not_applicable_unless(dataflow_backfill_in_prod.applies(flow, settings, stack), args)
    return dataflow_backfill_in_prod.check(flow, settings, stack)


def build_policies() -> list[Policy]:
    """Every policy of the pack with its default enforcement level (overridable per policy in the config)."""
    mandatory, advisory = EnforcementLevel.MANDATORY, EnforcementLevel.ADVISORY
    return [
        _stack_policy(
            sandbox_matches_stack.RULE,
            "Every aep:BaseConnection writes to the sandbox its stack stands for (a dev stack never writes to prod).",
            mandatory, Severity.CRITICAL, sandbox_matches_stack.SCHEMA,
            lambda conns, args: sandbox_matches_stack.check_stack(
                conns, stack_context(), sandbox_matches_stack.parse_settings(args.get_config())),
        ),
        _resource_policy(
            SANDBOX_PER_RESOURCE,
            "The same sandbox check per resource, before its create/update runs (holds under --skip-preview too).",
            mandatory, Severity.CRITICAL, sandbox_matches_stack.SCHEMA,
            lambda conn, args: sandbox_matches_stack.check_connection(
                conn, stack_context(), sandbox_matches_stack.parse_settings(args.get_config()), SANDBOX_PER_RESOURCE),
        ),
        _resource_policy(
            postgres_tls.RULE,
            "PostgreSQL connections in the listed sandboxes ask for TLS (sslmode require/verify-ca/verify-full).",
            mandatory, Severity.HIGH, postgres_tls.SCHEMA, _tls,
        ),
        _resource_policy(
            approved_sources.RULE,
            "Connections use an approved connection spec (default: every verified catalog id).",
            mandatory, Severity.HIGH, approved_sources.schema(),
            lambda conn, args: approved_sources.check(conn, approved_sources.parse_settings(args.get_config())),
        ),
        _stack_policy(
            connection_naming.RULE,
            "Connection names match the configured pattern and are unique within the stack.",
            advisory, Severity.LOW, connection_naming.SCHEMA,
            lambda conns, args: connection_naming.check_stack(
                conns, connection_naming.parse_settings(args.get_config())),
        ),
        _resource_policy(
            no_credentials_in_metadata.RULE,
            "No auth param value appears in a connection's name or description.",
            mandatory, Severity.CRITICAL, no_credentials_in_metadata.SCHEMA,
            lambda conn, args: no_credentials_in_metadata.check(
                conn, no_credentials_in_metadata.parse_settings(args.get_config())),
        ),
        _resource_policy(
            verify_in_prod.RULE,
            "Connections in the listed sandboxes set verify=True.",
            advisory, Severity.MEDIUM, verify_in_prod.SCHEMA, _verify,
        ),
        _resource_policy(
            force_delete_in_prod.RULE,
            "Connections in the listed sandboxes do not set force_delete=True (it deletes them while in use).",
            advisory, Severity.HIGH, force_delete_in_prod.SCHEMA, _force_delete,
        ),
        _pipeline_policy(
            dataflow_min_interval.RULE,
            "Dataflows in the listed sandboxes run at most once every minimumMinutes (schedule frequency x interval).",
            mandatory, Severity.MEDIUM, dataflow_min_interval.SCHEMA, Dataflow, _min_interval,
        ),
        _pipeline_policy(
            approved_datasets.RULE,
            "Target connections write only to the datasets (names or ids) on the allow-list, when one is set.",
            mandatory, Severity.HIGH, approved_datasets.SCHEMA, TargetConnection, _datasets,
        ),
        _pipeline_policy(
            dataflow_backfill_in_prod.RULE,
            "Dataflows in the listed sandboxes do not set backfill: true (the first run ingests the full history).",
            advisory, Severity.MEDIUM, dataflow_backfill_in_prod.SCHEMA, Dataflow, _backfill,
        ),
    ]

"""approved-datasets: a target connection's dataset name or id must be on the list, when a list is configured."""

import pytest
from pulumi.runtime.rpc import UNKNOWN
from pulumi_policy import Secret
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from policy.rules.approved_datasets import SCHEMA, applies, check, declared_dataset, parse_settings
from policy.rules.config import PolicyConfigError
from tests.policy.sample_pipelines import ORDERS_DATASET_ID, target, target_view

APPROVED = parse_settings({"datasets": ["Orders", ORDERS_DATASET_ID, "Customers"]})


def test_no_list_approves_everything():
    for settings in (parse_settings(None), parse_settings({}), parse_settings({"datasets": []}),
                     parse_settings({"datasets": None})):
        assert settings.datasets == ()
        assert applies(settings) == "no approved datasets configured (approved-datasets.datasets is empty)"
        assert check(target_view(target(dataset_name="Anything")), settings) == []
        assert check(target_view(target(dataset_name=None)), settings) == []
    assert SCHEMA["datasets"]["default"] == []


@pytest.mark.parametrize("props", [
    target(dataset_name="Orders"), target(dataset_name="Customers"),
    target(dataset_name=None, dataset_id=ORDERS_DATASET_ID), target(dataset_name=Secret("Orders")),
])
def test_listed_names_and_ids_pass(props):
    assert applies(APPROVED) is None
    assert check(target_view(props), APPROVED) == []


def test_an_unlisted_name_fails_with_the_list_and_the_fix():
    [message] = check(target_view(target(dataset_name="Scratch")), APPROVED)
    assert message.startswith("[approved-datasets] target connection 'orders-hourly' writes to dataset name "
                              "'Scratch', which is not on the approved list.")
    assert f"Fix: write to an approved dataset ('Orders', '{ORDERS_DATASET_ID}', 'Customers')" in message
    assert "add its name or id to approved-datasets.datasets in the --policy-pack-config file" in message


def test_an_unlisted_id_fails():
    [message] = check(target_view(target(dataset_name=None, dataset_id="0123abcd")), APPROVED)
    assert "writes to dataset id '0123abcd'" in message


@pytest.mark.parametrize("name", ["orders", "Orders ", "Order", "ORDERS"])
def test_names_match_exactly_as_the_provider_looks_them_up(name):
    assert check(target_view(target(dataset_name=name)), APPROVED)


def test_a_name_is_not_approved_by_an_id_of_the_same_text_only_by_being_listed():
    settings = parse_settings({"datasets": ["Orders"]})
    assert check(target_view(target(dataset_name=None, dataset_id="Orders")), settings) == []
    assert check(target_view(target(dataset_name=None, dataset_id=ORDERS_DATASET_ID)), settings)


@pytest.mark.parametrize("props", [target(dataset_name=None), target(dataset_name="", dataset_id=""), {}])
def test_a_target_without_a_dataset_fails_closed(props):
    [message] = check(target_view(props), APPROVED)
    assert "declares no dataset" in message and "Fix:" in message


def test_long_lists_are_cut_in_messages():
    many = parse_settings({"datasets": [f"ds-{i}" for i in range(14)]})
    [message] = check(target_view(target(dataset_name="other")), many)
    assert "'ds-9' and 4 more" in message and "ds-10" not in message


def test_the_name_is_read_first_so_an_unknown_id_does_not_matter():
    named = target_view(unknown_checking_proxy(target(dataset_name="Orders", dataset_id=UNKNOWN)))
    assert declared_dataset(named) == ("name", "Orders") and check(named, APPROVED) == []


@pytest.mark.parametrize("props", [target(dataset_name=None, dataset_id=UNKNOWN), target(dataset_name=UNKNOWN)])
def test_an_unknown_dataset_cannot_be_judged_yet(props):
    with pytest.raises(UnknownValueError):
        check(target_view(unknown_checking_proxy(props)), APPROVED)


def test_an_unknown_dataset_is_not_read_when_no_list_is_set():
    assert check(target_view(unknown_checking_proxy(target(dataset_name=UNKNOWN))), parse_settings(None)) == []


@pytest.mark.parametrize("config", [{"datasets": "Orders"}, {"datasets": ["Orders", 3]}])
def test_bad_config_names_the_rule_and_property(config):
    with pytest.raises(PolicyConfigError, match="approved-datasets: config property 'datasets'"):
        parse_settings(config)

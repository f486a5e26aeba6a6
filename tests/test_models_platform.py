"""Platform response models: the spec examples parse, and the parsers are tolerant but typed."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest

from verisoul._models import _fields
from verisoul._models._fields import json_key, model_parser
from verisoul._models.account import (
    AccountDeletion,
    AccountReport,
    AccountSessions,
    LinkedAccounts,
    parse_account_deletion,
    parse_account_report,
    parse_account_sessions,
    parse_linked_accounts,
)
from verisoul._models.email import (
    EmailBatchSubmission,
    EmailSubmission,
    parse_email_batch_submission,
    parse_email_submission,
)
from verisoul._models.lists import (
    ListChange,
    ListDetails,
    Lists,
    parse_list_change,
    parse_list_details,
    parse_lists,
)
from verisoul._models.phone import PhoneVerification, parse_phone_verification
from verisoul._models.session import (
    Session,
    SessionEvaluation,
    parse_session,
    parse_session_evaluation,
)
from verisoul._shape import ResponseShapeError
from verisoul.types import DeviceCategory, DomainType

EXAMPLES: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "platform_examples.json").read_text()
)["responses"]

PARSERS: dict[str, tuple[Callable[[object], object], type]] = {
    "session_get": (parse_session, Session),
    "session_authenticate": (parse_session_evaluation, SessionEvaluation),
    "session_authenticate_linked": (parse_session_evaluation, SessionEvaluation),
    "session_unauthenticated": (parse_session_evaluation, SessionEvaluation),
    "session_unauthenticated_linked": (parse_session_evaluation, SessionEvaluation),
    "account_get": (parse_account_report, AccountReport),
    "account_update": (parse_account_report, AccountReport),
    "account_delete": (parse_account_deletion, AccountDeletion),
    "account_sessions": (parse_account_sessions, AccountSessions),
    "account_linked": (parse_linked_accounts, LinkedAccounts),
    "list_all": (parse_lists, Lists),
    "list_get": (parse_list_details, ListDetails),
    "list_create": (parse_list_change, ListChange),
    "list_delete": (parse_list_change, ListChange),
    "list_add_account": (parse_list_change, ListChange),
    "list_remove_account": (parse_list_change, ListChange),
    "phone": (parse_phone_verification, PhoneVerification),
    "email": (parse_email_submission, EmailSubmission),
    "email_batch": (parse_email_batch_submission, EmailBatchSubmission),
}


def wire_key(field: attrs.Attribute[Any]) -> str:
    key = field.metadata.get("verisoul.json_key", field.name)
    assert isinstance(key, str)
    return key


def assert_nothing_dropped(model: Any, data: Mapping[str, Any], path: str = "body") -> None:
    """Every key of ``data`` that the model declares was read into a non-None value."""
    for field in attrs.fields(type(model)):
        key = wire_key(field)
        if data.get(key) is None:
            continue
        value = getattr(model, field.name)
        assert value is not None, f"{path}.{key} was dropped"
        raw = data[key]
        if attrs.has(type(value)):
            assert_nothing_dropped(value, raw, f"{path}.{key}")
        elif isinstance(value, tuple):
            assert len(value) == len(raw), f"{path}.{key} lost items"
            for i, (item, raw_item) in enumerate(zip(value, raw, strict=True)):
                if attrs.has(type(item)):
                    assert_nothing_dropped(item, raw_item, f"{path}.{key}[{i}]")


def test_every_operation_has_an_example() -> None:
    assert set(PARSERS) == set(EXAMPLES)


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_spec_example_parses_without_losing_fields(name: str) -> None:
    parser, model = PARSERS[name]
    parsed = parser(EXAMPLES[name])
    assert type(parsed) is model
    assert_nothing_dropped(parsed, EXAMPLES[name])


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_models_are_frozen(name: str) -> None:
    parser, _ = PARSERS[name]
    parsed = parser(EXAMPLES[name])
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        parsed.request_id = "changed"  # type: ignore[attr-defined]


def test_get_session_example_values() -> None:
    session = parse_session(EXAMPLES["session_get"])
    assert session.account_ids == ("john-doe",)
    assert session.start_time == "2025-06-10T16:45:21.822Z"
    assert session.device is not None
    assert session.device.category == DeviceCategory.DESKTOP == "desktop"
    assert session.device.screen_width == 2056.0
    assert session.location is not None
    assert session.location.latitude == 30.4521
    assert session.risk_signals is not None
    assert session.risk_signals.vpn is False
    assert session.risk_signal_scores is not None
    assert session.risk_signal_scores.device_risk == 0.3971
    assert session.risk_signal_scores.proxy == 0.0
    assert isinstance(session.risk_signal_scores.proxy, float)
    assert session.bot is not None
    assert session.bot.mouse_num_events == 84


def test_authenticate_example_values() -> None:
    plain = parse_session_evaluation(EXAMPLES["session_authenticate"])
    assert plain.account_id == "john-doe"
    assert plain.decision == "Real"
    assert plain.risk_signals == 0.17
    assert plain.linked_accounts == ()
    assert plain.account is not None
    assert plain.account.account is not None
    assert plain.account.account.group == ""
    assert plain.account.unique_devices is not None
    assert plain.account.unique_devices.one_day == 1
    assert plain.account.email is not None
    assert plain.account.email.domain_type == DomainType.PERSONAL
    assert plain.session is not None
    assert plain.session.risk_signals is not None
    assert plain.session.risk_signals.proxy is False

    linked = parse_session_evaluation(EXAMPLES["session_authenticate_linked"])
    assert linked.linked_accounts is not None
    assert [a.account_id for a in linked.linked_accounts] == ["john-doe-2", "alice-2"]
    assert linked.linked_accounts[0].score == 1.0
    assert "username" in (linked.linked_accounts[0].match_type or ())


def test_unauthenticated_example_has_no_account() -> None:
    evaluation = parse_session_evaluation(EXAMPLES["session_unauthenticated"])
    assert evaluation.account is None
    assert evaluation.account_id is None
    assert evaluation.session is not None


def test_account_example_values_and_timestamps_as_sent() -> None:
    report = parse_account_report(EXAMPLES["account_update"])
    assert report.first_seen == "2025-06-10T16:47:29.661079410Z"
    assert report.account is not None
    assert report.account.expected_countries == ("US", "CA")
    assert report.account.metadata == {}
    assert report.accounts_linked == 2
    assert report.countries == ("US",)
    assert report.risk_signal_average is not None


def test_small_bodies() -> None:
    assert parse_account_deletion(EXAMPLES["account_delete"]).success is True
    sessions = parse_account_sessions(EXAMPLES["account_sessions"]).sessions
    assert sessions is not None
    assert len(sessions) == 2
    lists = parse_lists(EXAMPLES["list_all"]).lists
    assert lists is not None
    assert [item.name for item in lists] == ["allow", "block", "main_account", "us_users"]
    assert parse_list_details(EXAMPLES["list_get"]).accounts == (
        "john-doe",
        "john-doe-2",
        "amy-williams",
        "frank-smith",
        "mark-johnson",
    )
    assert parse_list_change(EXAMPLES["list_create"]).message == "List us_users created"
    phone = parse_phone_verification(EXAMPLES["phone"]).phone
    assert phone is not None
    assert (phone.valid, phone.line_type, phone.calling_country_code) == (True, "mobile", "1")
    assert parse_email_submission(EXAMPLES["email"]).webhook_configured is True
    batch = parse_email_batch_submission(EXAMPLES["email_batch"])
    assert (batch.status, batch.total_count) == ("pending", 3)


def test_unknown_enum_values_are_kept_as_strings() -> None:
    body = copy.deepcopy(EXAMPLES["account_get"])
    body["email"]["domain_type"] = "corporate_alias"
    body["decision"] = "Unknown"
    report = parse_account_report(body)
    assert report.email is not None
    assert report.email.domain_type == "corporate_alias"
    assert report.email.domain_type not in DomainType.KNOWN
    assert report.decision == "Unknown"


def test_extra_fields_are_ignored_and_missing_objects_are_none() -> None:
    body = copy.deepcopy(EXAMPLES["session_authenticate"])
    body["brand_new"] = {"nested": [1, 2, 3]}
    body["session"]["device"]["npu"] = "yes"
    del body["account"]
    del body["session"]["location"]
    body["session"]["network"] = None
    evaluation = parse_session_evaluation(body)
    assert evaluation.account is None
    assert evaluation.session is not None
    assert evaluation.session.location is None
    assert evaluation.session.network is None
    assert evaluation.session.device is not None


def test_only_the_decision_is_essential_in_an_account_report() -> None:
    # The platform specs mark no response field required; the SDK needs the verdict.
    assert parse_account_report({"decision": "Real"}) == AccountReport(decision="Real")
    assert AccountReport(decision="Real").lists == ()
    with pytest.raises(ResponseShapeError, match=r"^body\.decision: required field is missing"):
        parse_account_report({})


def test_numbers_are_coerced_only_where_lossless() -> None:
    body = copy.deepcopy(EXAMPLES["account_get"])
    body["bot"] = 1
    body["num_sessions"] = 3.0
    report = parse_account_report(body)
    assert report.bot == 1.0
    assert isinstance(report.bot, float)
    assert report.num_sessions == 3
    assert isinstance(report.num_sessions, int)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda b: b.update(num_sessions=2.5),
            "body.num_sessions: expected an integer, got number",
        ),
        (
            lambda b: b.update(account_score="0.2"),
            "body.account_score: expected a number, got string",
        ),
        (lambda b: b.update(bot=True), "body.bot: expected a number, got boolean"),
        (lambda b: b.update(accounts_linked=False), "body.accounts_linked: expected an integer"),
        (lambda b: b.update(lists="us_users"), "body.lists: expected an array, got string"),
        (lambda b: b.update(lists=["a", 3]), r"body.lists\[1\]: expected a string, got integer"),
        (lambda b: b.update(lists=["a", None]), r"body.lists\[1\]: expected a string, got null"),
        (lambda b: b.update(account=[]), "body.account: expected an object, got array"),
        (
            lambda b: b["email"].update(domain_type=1),
            "body.email.domain_type: expected a string, got integer",
        ),
        (
            lambda b: b["email"].update(valid="true"),
            "body.email.valid: expected a boolean, got string",
        ),
        (
            lambda b: b["unique_devices"].update({"7_day": "7"}),
            "body.unique_devices.7_day: expected an integer",
        ),
        (
            lambda b: b["account"].update(metadata="{}"),
            "body.account.metadata: expected an object, got string",
        ),
        (lambda b: b.update(first_seen=1718000000), "body.first_seen: expected a string"),
    ],
)
def test_wrong_types_name_the_field_path(
    mutate: Callable[[Any], None], message: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A non-essential field of the wrong type keeps the report; the log names its path."""
    _fields.reset_warnings()
    body = copy.deepcopy(EXAMPLES["account_get"])
    mutate(body)
    assert parse_account_report(body).decision == body["decision"]
    (warning,) = [r for r in caplog.records if r.levelname == "WARNING"]
    assert re.search(message, warning.getMessage())


def test_array_item_paths_reach_nested_models(caplog: pytest.LogCaptureFixture) -> None:
    _fields.reset_warnings()
    body = copy.deepcopy(EXAMPLES["account_linked"])
    body["accounts_linked"][1]["score"] = "high"
    linked = parse_linked_accounts(body)
    assert linked.accounts_linked[1].score is None
    assert linked.accounts_linked[1].account_id == body["accounts_linked"][1]["account_id"]
    (warning,) = [r for r in caplog.records if r.levelname == "WARNING"]
    assert "body.accounts_linked[1].score: expected a number" in warning.getMessage()


@pytest.mark.parametrize("body", [None, [], "text", 3])
def test_non_object_bodies_are_rejected(body: object) -> None:
    with pytest.raises(ResponseShapeError, match="body: expected an object"):
        parse_session(body)


@attrs.frozen(kw_only=True)
class _Required:
    name: str
    count: int | None = None
    renamed: int | None = json_key("2_count")
    metadata: Mapping[str, Any] | None = None


def test_required_fields_json_keys_and_free_form_objects() -> None:
    parse = model_parser(_Required)
    data = {"name": "a", "2_count": 2, "metadata": {"k": [1]}}
    assert parse(data, "body") == _Required(name="a", renamed=2, metadata={"k": [1]})
    assert parse({"name": "a", "2_count": "2"}, "body") == _Required(name="a")
    assert parse({"name": "a", "metadata": []}, "body") == _Required(name="a")
    with pytest.raises(ResponseShapeError, match=r"body\.name: expected a string, got integer"):
        parse({"name": 1}, "body")
    with pytest.raises(ResponseShapeError, match=r"body\.name: required field is missing"):
        parse({"count": 1}, "body")
    with pytest.raises(ResponseShapeError, match=r"x\.name: required field is null"):
        parse({"name": None}, "x")


@attrs.frozen(kw_only=True)
class _Unsupported:
    pair: tuple[str, int] | None = None


@attrs.frozen(kw_only=True)
class _UnsupportedUnion:
    either: int | str | None = None


@pytest.mark.parametrize("model", [_Unsupported, _UnsupportedUnion])
def test_unsupported_annotations_fail_loudly(model: type) -> None:
    with pytest.raises(TypeError, match="no JSON parser"):
        model_parser(model)

from __future__ import annotations

from acctrace.normalise import fields


def test_logon_ids_are_canonical_hex_whatever_the_base() -> None:
    assert fields.logon_id("0x1F4C65F") == fields.logon_id(32818783) == "0x1f4c65f"
    assert fields.logon_id("999") == "0x3e7"
    assert fields.logon_id("-") is None


def test_pids_hex_in_4688_decimal_in_sysmon() -> None:
    assert fields.number("0xde4") == fields.number("3556") == 3556
    assert fields.number({"#text": "12"}) == 12
    assert fields.number("n/a") is None and fields.number(True) is None


def test_guids_lose_braces_and_case() -> None:
    assert (
        fields.guid("{b34bc01c-7fae-5f63-1000-000000000400}")
        == "B34BC01C-7FAE-5F63-1000-000000000400"
    )


def test_host_key_unifies_case_and_domain_suffix() -> None:
    assert (
        fields.host_key("WORKSTATION6")
        == fields.host_key("workstation6.theshire.local")
        == "workstation6"
    )


def test_placeholders_are_no_value_but_group_none_is_a_name() -> None:
    assert fields.text("-") is None and fields.text("%%1793") is None
    assert fields.text("None") == "None"  # the SAM's domain-users group is called None
    assert fields.sid("S-1-0-0") is None and fields.sid("s-1-5-18") == "S-1-5-18"


def test_timestamps_to_utc_microseconds() -> None:
    a = fields.timestamp_us("2021-10-19T14:42:41.2183957Z")  # 7 fractional digits
    b = fields.timestamp_us({"#attributes": {"SystemTime": "2021-10-19T14:42:41.218395Z"}})
    assert a == b == 1634654561218395
    assert fields.timestamp_us("2021-10-19 14:42:41.218395") == a  # no zone: UTC
    assert fields.iso(a) == "2021-10-19T14:42:41.218Z"
    assert fields.timestamp_us("yesterday") is None

"""Ids from URLs and forms: a number too long for a database column is no id, however long."""

from luoshi.web.ids import parse_id


def test_ids_and_non_ids():
    assert parse_id("42") == 42 and parse_id(" 7 ") == 7
    for raw in (None, "", "0", "-1", "abc", "١٢", "9" * 20, "1" * 10_000, "9223372036854775808"):
        assert parse_id(raw) is None, raw[:20] if raw else raw
    assert parse_id("0009223372036854775807") == 2**63 - 1

"""The one zip check every reader of .docx/.xlsx uploads calls, and the importers that call it."""

import io
import zipfile

import pytest

from luoshi.indicators.core.tables import TableError, grid
from luoshi.proposals.excel import read_list
from luoshi.zipsafe import ZipRefused, zip_names

MB = 1024 * 1024


def _zip(*members: tuple[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return out.getvalue()


BOMB = _zip(("xl/workbook.xml", b"<workbook/>"), ("xl/worksheets/sheet1.xml", b"\x00" * (8 * MB)))


@pytest.mark.parametrize(
    ("data", "limits", "reason"),
    [
        (b"PK\x03\x04" + b"\x00" * 100, {}, "damaged"),
        (_zip(*[(f"f{i}", b"x") for i in range(4)]), {"max_members": 3}, "members"),
        (_zip(("a", b"x" * 2000), ("b", b"y" * 2000)), {"max_unzipped": 3000}, "too_big"),
        (_zip(("a", b"x" * 2000)), {"max_part": 1000}, "too_big"),
        (BOMB, {}, "ratio"),
    ],
)
def test_a_zip_outside_the_limits_is_refused_with_its_reason(data: bytes, limits: dict, reason: str) -> None:
    with pytest.raises(ZipRefused) as refused:
        zip_names(data, **{"max_unzipped": 100 * MB, **limits})
    assert refused.value.reason == reason
    assert "zip" in str(refused.value)


def test_a_whole_zip_gives_its_member_names() -> None:
    data = _zip(("xl/workbook.xml", b"<workbook/>"), ("xl/styles.xml", b"<styles/>"))
    assert zip_names(data, max_unzipped=MB) == {"xl/workbook.xml", "xl/styles.xml"}


def test_the_proposal_list_import_refuses_a_highly_compressed_sheet() -> None:
    read = read_list(BOMB, session="十二届五次", kind="proposal")
    assert not read.rows
    assert "疑似 zip 炸弹" in read.problems[0].message


def test_the_statistics_table_import_refuses_a_highly_compressed_sheet() -> None:
    with pytest.raises(TableError, match="疑似 zip 炸弹"):
        grid(BOMB, "统计表.xlsx")

"""The bulletin as a PDF, with Chinese set in an embedded CJK font (fpdf2 embeds a subset).

Fonts are looked for in this order: WenQuanYi Zen Hei (Debian fonts-wqy-zenhei; TrueType outlines,
so copied text comes out clean) and Noto Sans CJK SC (fonts-noto-cjk; CFF outlines). Without
either, `render` raises FontNotFound naming the packages to install.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, time
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from luoshi.bulletins.figures import Bulletin
from luoshi.bulletins.wording import MAX_ROWS, Block, Heading, Para, Table, blocks, issuing_line

# (path, index of the Simplified Chinese face in the collection)
CJK_FONTS = (
    (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 0),
    (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2),
)
DEBIAN_PACKAGES = "fonts-wqy-zenhei 或 fonts-noto-cjk"


class FontNotFound(RuntimeError):
    """No CJK font to embed; the message names the Debian packages that provide one."""


def find_cjk_font() -> tuple[Path, int]:
    """The first installed CJK font and its face index, or FontNotFound."""
    for path, index in CJK_FONTS:
        if path.is_file():
            return path, index
    raise FontNotFound(
        f"未找到中文字体，无法生成PDF：请安装 Debian 软件包 {DEBIAN_PACKAGES}"
        f"（apt-get install fonts-wqy-zenhei fonts-noto-cjk）"
    )


def render(
    bulletin: Bulletin, path: str | Path, font: tuple[Path, int] | None = None, max_rows: int = MAX_ROWS
) -> Path:
    """Write the bulletin to `path` as PDF and return the path; task lists stop at `max_rows`."""
    return render_blocks(
        bulletin.title, issuing_line(bulletin), blocks(bulletin, max_rows), bulletin.on, path, font
    )


def render_blocks(
    title: str,
    issuing: str,
    body: Iterable[Block],
    on: date,
    path: str | Path,
    font: tuple[Path, int] | None = None,
) -> Path:
    """Write any document made of wording blocks (a bulletin, a scorecard) to `path` as PDF: the
    title, the issuing line under it, then the blocks; dated `on`."""
    font_path, index = font or find_cjk_font()
    # fontTools warns about bitmap tables it drops while subsetting; they are not needed in a PDF.
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    pdf = _BulletinPDF(format="A4")
    pdf.set_margins(25, 30, 25)
    pdf.set_auto_page_break(True, margin=25)
    pdf.set_creation_date(datetime.combine(on, time()))
    pdf.set_title(title)
    pdf.set_creator("luoshi")
    pdf.add_font("cjk", "", str(font_path), collection_font_number=index)
    pdf.add_page()

    pdf.set_font("cjk", size=20)
    pdf.multi_cell(0, 12, title, align="C", new_x="LMARGIN", new_y="NEXT", wrapmode="CHAR")
    pdf.set_font("cjk", size=12)
    pdf.cell(0, 10, issuing, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for block in body:
        if isinstance(block, Heading):
            pdf.set_font("cjk", size=14 if block.level == 1 else 12)
            pdf.ln(2)
            pdf.multi_cell(0, 9, block.text, new_x="LMARGIN", new_y="NEXT", wrapmode="CHAR")
        elif isinstance(block, Para):
            pdf.set_font("cjk", size=12)
            # Chinese has no spaces to wrap at; wrapping by character also keeps the indent on its line.
            pdf.multi_cell(0, 8, "　　" + block.text, new_x="LMARGIN", new_y="NEXT", wrapmode="CHAR")
        elif isinstance(block, Table):
            _table(pdf, block)
    target = Path(path)
    pdf.output(str(target))
    return target


def _table(pdf: FPDF, block: Table) -> None:
    """A table in a smaller size; wide tables (rankings) get narrow number columns."""
    pdf.set_font("cjk", size=8 if len(block.header) > 6 else 9)
    widths = block.widths or _widths(len(block.header))
    with pdf.table(
        col_widths=widths,
        text_align=_aligns(block.header),
        line_height=5,
        headings_style=FontFace(fill_color=(230, 230, 230)),
        first_row_as_headings=True,
        wrapmode="CHAR",
    ) as t:
        for row in (block.header, *block.rows):
            r = t.row()
            for cell in row:
                r.cell(cell)
    pdf.ln(3)


def _aligns(header: tuple[str, ...]) -> tuple[str, ...]:
    """Task names and reasons read better left-aligned; numbers and names of units centred."""
    return tuple("LEFT" if h in ("任务", "情况", "指标") else "CENTER" for h in header)


def _widths(columns: int) -> tuple[float, ...]:
    """Relative column widths: the name column wide, counts narrow."""
    if columns == 4:  # 序号 任务 牵头单位 情况
        return (6, 34, 20, 40)
    if columns == 6:  # notices
        return (18, 30, 18, 10, 16, 6)
    # 排名 name 任务数 five standings 达标率 平均进度 有进度任务数 排名变化
    return (6, 22, 7, 7, 7, 7, 7, 7, 11, 9, 9, 10)[:columns]


class _BulletinPDF(FPDF):
    """FPDF with the page number in the footer."""

    def footer(self) -> None:
        """Page number centred at the bottom: — 1 —."""
        self.set_y(-18)
        self.set_font("cjk", size=10)
        self.cell(0, 8, f"— {self.page_no()} —", align="C")

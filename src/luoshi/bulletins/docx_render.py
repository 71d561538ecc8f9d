"""The bulletin as a Word document in the layout Chinese offices use.

Title 方正小标宋 二号; issuing line and date in Chinese form; body 仿宋_GB2312 三号 (仿宋 where it is
missing); headings 一、 in 黑体 and （一） in 楷体; rankings as tables; page numbers in the footer.
The document and zip timestamps are the bulletin date, so the same figures give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from pathlib import Path

from docx import Document

from luoshi.bulletins.figures import Bulletin
from luoshi.bulletins.wording import MAX_ROWS, Block, Heading, Para, Table, blocks, issuing_line
from luoshi.supervision import docx_style as ds
from luoshi.textplan.controls import strip_controls


def render(bulletin: Bulletin, path: str | Path, max_rows: int = MAX_ROWS) -> Path:
    """Write the bulletin to `path` as .docx and return the path; task lists stop at `max_rows`."""
    return render_blocks(
        bulletin.title, issuing_line(bulletin), blocks(bulletin, max_rows), bulletin.on, path
    )


def render_blocks(title: str, issuing: str, body: Iterable[Block], on: date, path: str | Path) -> Path:
    """Write any document made of wording blocks (a bulletin, a scorecard) to `path` as .docx:
    the title, the issuing line under it, then the blocks; dated `on` so it is byte-stable."""
    doc = Document()
    ds.page_setup(doc)
    ds.title(doc, title)
    ds.paragraph(doc, issuing, align="center", indent=False)
    ds.paragraph(doc, "", indent=False)
    for block in body:
        if isinstance(block, Heading):
            (ds.heading if block.level == 1 else ds.subheading)(doc, block.text)
        elif isinstance(block, Para):
            ds.paragraph(doc, block.text)
        elif isinstance(block, Table):
            ds.table(doc, list(block.header), [list(r) for r in block.rows], size=ds.WU_HAO)
    ds.page_number_footer(doc)
    doc.core_properties.title = strip_controls(title)
    return ds.save(doc, path, datetime.combine(on, time()))

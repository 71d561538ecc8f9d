"""The bulletin as a Word document in the layout Chinese offices use.

Title 方正小标宋 二号; issuing line and date in Chinese form; body 仿宋_GB2312 三号 (仿宋 where it is
missing); headings 一、 in 黑体 and （一） in 楷体; rankings as tables; page numbers in the footer.
The document and zip timestamps are the bulletin date, so the same figures give the same bytes.
"""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

from docx import Document

from luoshi.bulletins.figures import Bulletin
from luoshi.bulletins.wording import MAX_ROWS, Heading, Para, Table, blocks, issuing_line
from luoshi.supervision import docx_style as ds
from luoshi.textplan.controls import strip_controls


def render(bulletin: Bulletin, path: str | Path, max_rows: int = MAX_ROWS) -> Path:
    """Write the bulletin to `path` as .docx and return the path; task lists stop at `max_rows`."""
    doc = Document()
    ds.page_setup(doc)
    ds.title(doc, bulletin.title)
    ds.paragraph(doc, issuing_line(bulletin), align="center", indent=False)
    ds.paragraph(doc, "", indent=False)
    for block in blocks(bulletin, max_rows):
        if isinstance(block, Heading):
            (ds.heading if block.level == 1 else ds.subheading)(doc, block.text)
        elif isinstance(block, Para):
            ds.paragraph(doc, block.text)
        elif isinstance(block, Table):
            ds.table(doc, list(block.header), [list(r) for r in block.rows], size=ds.WU_HAO)
    ds.page_number_footer(doc)
    doc.core_properties.title = strip_controls(bulletin.title)
    return ds.save(doc, path, datetime.combine(bulletin.on, time()))

"""Word documents in the layout Chinese government offices use (GB/T 9704 党政机关公文格式, loosely).

Fonts are named for East-Asian text through `w:eastAsia` in each run's properties; without it Word
sets Chinese in the Latin font's fallback. The font table gives each GB2312-era font the name of
its modern twin as `w:altName`, so a machine without 仿宋_GB2312 uses 仿宋 rather than a guess.
Saving goes through `save`, which fixes the document's and the zip entries' timestamps so the
same content gives the same bytes.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from luoshi.supervision.stable_zip import restamp
from luoshi.textplan.controls import strip_controls

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
BODY_FONT = "仿宋_GB2312"
# Word uses the alternative when the named font is not installed.
ALT_NAMES = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "黑体"}

# Chinese type sizes in points.
ER_HAO = 22.0  # 二号
SAN_HAO = 16.0  # 三号
SI_HAO = 14.0  # 四号
XIAO_SI = 12.0  # 小四
WU_HAO = 10.5  # 五号


def set_font(run: Run, font: str, size: float, *, bold: bool = False) -> Run:
    """Give a run an East-Asian and Latin font, a size in points and weight."""
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attr), font)
    fonts.set(qn("w:hint"), "eastAsia")
    return run


def paragraph(
    doc: DocumentObject,
    text: str,
    font: str = BODY_FONT,
    size: float = SAN_HAO,
    *,
    bold: bool = False,
    align: str = "justify",
    indent: bool = True,
) -> Paragraph:
    """A paragraph of one run: body text indented two characters unless told otherwise."""
    p = doc.add_paragraph()
    p.alignment = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    fmt = p.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(28)  # the 28-point line of official documents, 22 lines a page
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    set_font(p.add_run(strip_controls(text)), font, size, bold=bold)
    return p


def title(doc: DocumentObject, text: str) -> Paragraph:
    """The document title: 方正小标宋 二号, centred."""
    return paragraph(doc, text, TITLE_FONT, ER_HAO, align="center", indent=False)


def heading(doc: DocumentObject, text: str) -> Paragraph:
    """A first-level heading (一、): 黑体 三号."""
    return paragraph(doc, text, HEADING_FONT, SAN_HAO)


def subheading(doc: DocumentObject, text: str) -> Paragraph:
    """A second-level heading (（一）): 楷体 三号."""
    return paragraph(doc, text, SUBHEADING_FONT, SAN_HAO)


def table(doc: DocumentObject, header: list[str], rows: list[list[str]], size: float = XIAO_SI) -> None:
    """A bordered table with a bold 黑体 header row and 仿宋 cells."""
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, header, strict=True):
        _cell_text(cell, text, HEADING_FONT, size)
    for row in rows:
        cells = t.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            _cell_text(cell, text, BODY_FONT, size)


def _cell_text(cell, text: str, font: str, size: float) -> None:
    """Set a table cell's single paragraph to `text`."""
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(p.add_run(strip_controls(str(text))), font, size)


def page_setup(doc: DocumentObject) -> None:
    """A4 with the margins of official documents (top 3.7 cm, left 2.8 cm) and fonts' alternatives."""
    for s in doc.sections:
        s.page_height, s.page_width = Cm(29.7), Cm(21.0)
        s.top_margin, s.bottom_margin = Cm(3.7), Cm(3.5)
        s.left_margin, s.right_margin = Cm(2.8), Cm(2.6)
    _add_alt_names(doc)


def page_number_footer(doc: DocumentObject) -> None:
    """Centred page numbers in the footer, as a PAGE field Word fills in: — 1 —."""
    for s in doc.sections:
        p = s.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(p.add_run("— "), "宋体", SI_HAO)
        # A field is begin / instruction / separate / placeholder result / end, each in its own run.
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
            run = set_font(p.add_run(), "宋体", SI_HAO)
            if kind:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._element.append(char)
            elif text == " PAGE ":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                run._element.append(instr)
            else:
                run.text = text
        set_font(p.add_run(" —"), "宋体", SI_HAO)


def save(doc: DocumentObject, path: str | Path, when: datetime) -> Path:
    """Save with fixed core-property and zip timestamps, so equal content gives equal bytes."""
    props = doc.core_properties
    props.created = props.modified = when
    props.last_printed = when
    props.revision = 1
    props.author = props.last_modified_by = "luoshi"
    buffer = io.BytesIO()
    doc.save(buffer)
    target = Path(path)
    target.write_bytes(restamp(buffer.getvalue(), when.date()))
    return target


def _add_alt_names(doc: DocumentObject) -> None:
    """Declare the GB2312-era fonts in the font table with their modern alternatives."""
    part = next((r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE), None)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, alt in ALT_NAMES.items():
        if name in known:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        alt_el = etree.SubElement(font, qn("w:altName"))
        alt_el.set(qn("w:val"), alt)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")  # GB2312
    # The font table is a generic part in python-docx; its bytes are the only handle on it.
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

"""The demo school's attachments and video, made once and committed (docs/…/附件/, docs/…/视频/):

    python tools/make_demo_files.py OUT_DIR pdf   TITLE LINE…   # a one-page A4 PDF
    python tools/make_demo_files.py OUT_DIR xlsx  NAME  'a,b,c' 'd,e,f' …   # a spreadsheet, one row an argument
    python tools/make_demo_files.py OUT_DIR docx  NAME  TITLE LINE…          # a Word document, one paragraph a line
    python tools/make_demo_files.py OUT_DIR video NAME  SECONDS             # MP4 + poster JPG (needs ffmpeg)

No new dependency: the PDF is written here (text in a font every PDF reader has), the XLSX
and DOCX are the few XML parts Office Open XML requires, written with zipfile. ffmpeg
(Debian's) is needed only to make the demo video, never by a build.
"""
from __future__ import annotations

import html
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

STAMP = (2026, 1, 1, 0, 0, 0)  # every zip entry dated alike: the same input gives the same bytes


def _zip(target: Path, parts: dict[str, str]) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))


def _pdf_text(text: str) -> str:
    return "<" + text.encode("utf-16-be").hex().upper() + ">"


def _wrapped(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def pdf(out: Path, title: str, *lines: str) -> Path:
    """A one-page A4 PDF in 宋体 (Adobe's STSong-Light, one of the fonts every PDF reader
    supplies for Chinese: nothing embedded, so a page of text is 2 KB; Chromium's print embeds
    a 130 KB font subset)."""
    target = out / f"{title}.pdf"
    ops, y = [f"BT /F1 20 Tf {(595 - 20 * len(title)) / 2:.0f} 770 Td {_pdf_text(title)} Tj ET"], 720
    for line in lines:
        for part in _wrapped(line, 31):  # ASCII is half as wide (/W), Chinese 14 pt: about 31 a line
            ops.append(f"BT /F1 14 Tf 72 {y} Td {_pdf_text(part)} Tj ET")
            y -= 24
        y -= 8
    content = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UTF16-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (GB1) /Supplement 4 >> /FontDescriptor 7 0 R /DW 1000 /W [1 95 500] >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 "
        b"/Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
        ("<< /Title " + _pdf_text(title) + " >>").encode("ascii"),
    ]
    data, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    data += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, len(objects), xref)
    target.write_bytes(bytes(data))
    return target


def _cell(ref: str, value: str) -> str:
    try:
        float(value)
        return f'<c r="{ref}"><v>{value}</v></c>'
    except ValueError:
        return f'<c r="{ref}" t="inlineStr"><is><t>{html.escape(value)}</t></is></c>'


def xlsx(out: Path, name: str, *rows: str) -> Path:
    target = out / f"{name}.xlsx"
    sheet_rows = "".join(
        f'<row r="{r}">' + "".join(_cell(f"{chr(65 + c)}{r}", v) for c, v in enumerate(row.split(","))) + "</row>"
        for r, row in enumerate(rows, 1))
    ns = "http://schemas.openxmlformats.org"
    _zip(target, {
        "[Content_Types].xml": f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{ns}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '</Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}/spreadsheetml/2006/main" '
        f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '</Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}/spreadsheetml/2006/main">'
        f'<sheetData>{sheet_rows}</sheetData></worksheet>',
    })
    return target


def docx(out: Path, name: str, title: str, *lines: str) -> Path:
    target = out / f"{name}.docx"
    ns = "http://schemas.openxmlformats.org"
    w = f"{ns}/wordprocessingml/2006/main"
    paragraphs = f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/><w:sz w:val="36"/></w:rPr><w:t>{html.escape(title)}</w:t></w:r></w:p>'
    paragraphs += "".join(f"<w:p><w:r><w:t>{html.escape(line)}</w:t></w:r></w:p>" for line in lines)
    _zip(target, {
        "[Content_Types].xml": f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{ns}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '</Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        '</Relationships>',
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body>{paragraphs}'
        '</w:body></w:document>',
    })
    return target


def video(out: Path, name: str, seconds: str) -> list[Path]:
    """A few seconds of a test picture with a tone, small (320×180, 15 fps), and its poster."""
    ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg:
        sys.exit("没有找到 ffmpeg：只有制作演示视频时需要（Debian：sudo apt-get install ffmpeg）")
    mp4, jpg = out / f"{name}.mp4", out / f"{name}.jpg"
    subprocess.run([ffmpeg, "-y", "-loglevel", "error", "-f", "lavfi", "-i", f"testsrc2=size=320x180:rate=15:duration={seconds}",
                    "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", "-c:v", "libx264", "-preset", "veryslow",
                    "-crf", "32", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "32k", "-movflags", "+faststart",
                    "-map_metadata", "-1", "-fflags", "+bitexact", str(mp4)], check=True)
    subprocess.run([ffmpeg, "-y", "-loglevel", "error", "-i", str(mp4), "-frames:v", "1", "-q:v", "5", str(jpg)], check=True)
    return [mp4, jpg]


def main(argv: list[str]) -> int:
    out, kind, *args = argv
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    made = {"pdf": pdf, "xlsx": xlsx, "docx": docx, "video": video}[kind](out, *args)
    for path in made if isinstance(made, list) else [made]:
        print(f"{path}  {path.stat().st_size:,} 字节")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""make pdf: a bulletin printed by headless Chromium is a clean document whose Chinese text extracts."""
from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata

import pytest
from pypdf import PdfReader

from conftest import ROOT


def test_bulletin_pdf_has_text_and_no_site_chrome(demo, tmp_path):
    assert shutil.which("chromium"), "Chromium is needed: sudo apt-get install chromium fonts-noto-cjk"
    result = subprocess.run([sys.executable, str(ROOT / "tools/pdf.py"), str(demo.site), str(tmp_path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    reader = PdfReader(tmp_path / "2023-h1.pdf")
    # NFKC: some extractors read a glyph of the CJK font as its Kangxi radical (⼯ for 工)
    text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in reader.pages)).replace("\n", "")
    assert reader.pages[0].mediabox.width == pytest.approx(595, abs=2)  # A4: 210 mm = 595 pt
    assert "2023年上半年工作简报" in text
    assert "干部教育培训" in text and "686" in text  # Chinese text and a computed figure
    for chrome in ("学校概况", "Material for MkDocs", "切换到深色模式", "统计数据"):
        assert chrome not in text
    assert len(reader.pages) >= 4  # page breaks between the bulletin's sections

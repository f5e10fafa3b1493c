"""HTML and PDF readers: metadata from real-looking pages, clear reasons for broken ones."""
from __future__ import annotations

from readouts.ingest import read_paths


def test_html_main_text_title_date_url(corpus_dir, tmp_path):
    import gzip
    import json
    with gzip.open(corpus_dir / "us-state-department-2021-2022.jsonl.gz", "rt") as fh:
        doc = json.loads(fh.readline())
    paras = "".join(f"<p>{p}</p>" for p in doc["text"].split("\n\n")[:6])
    page = (f'<html><head><title>{doc["title"]}</title><meta property="article:published_time" '
            f'content="{doc["date"]}"><link rel="canonical" href="{doc["url"]}"></head><body><nav>Home | Menu</nav>'
            f'<article>{paras}</article><footer>Copyright</footer></body></html>')
    f = tmp_path / "release.html"
    f.write_text(page, encoding="utf-8")
    (item,) = list(read_paths([f]))
    assert item.error is None
    assert item.document.date == doc["date"] and item.document.url == doc["url"]
    assert doc["text"].split("\n\n")[1][:60] in item.document.text
    assert "Menu" not in item.document.text


def test_encrypted_and_broken(tmp_path):
    from pypdf import PdfWriter
    w = PdfWriter()
    w.add_blank_page(100, 100)
    w.encrypt("pw")
    w.write(tmp_path / "x.pdf")
    (tmp_path / "y.pdf").write_bytes(b"%PDF-1.4 garbage")
    (tmp_path / "z.html").write_bytes(b"<html><body><p")
    errors = {i.name.rsplit("/", 1)[-1]: str(i.error) for i in read_paths([tmp_path])}
    assert "encrypted" in errors["x.pdf"] and "PDF" in errors["y.pdf"] and "HTML" in errors["z.html"]

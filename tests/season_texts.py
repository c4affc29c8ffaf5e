"""Report texts for the season tests: the bundled sample rewritten for other units and years (no real text copied)."""
from __future__ import annotations

from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "sample-hangzhou-sfj-2023.txt"


def variant(city: str = "杭州", year: int = 2023, issuer: str | None = None, figures: int = 0) -> str:
    """The sample as if written by another city's 司法局 (or `issuer`) for another year."""
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("2024", "<NEXT>").replace("2023", str(year)).replace("<NEXT>", str(year + 1))
    text = text.replace("杭州市", f"{city}市").replace("杭州", city)
    if issuer:
        text = text.replace(f"{city}市司法局{year}年", f"{issuer}{year}年")
    return text.replace("7518件", f"{7518 + figures}件").replace("971件", f"{971 + figures}件")


def html(text: str) -> bytes:
    body = "".join(f"<p>{line}</p>\n" for line in text.split("\n"))
    return f"<html><head><meta charset='utf-8'><title>t</title></head><body>{body}</body></html>".encode("utf-8")


def docx_bytes(text: str) -> bytes:
    import io

    import docx  # python-docx (test dependency of the reader)

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

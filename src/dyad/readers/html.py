"""HTML pages: main text extracted with trafilatura, boilerplate and comments removed."""

from __future__ import annotations

import trafilatura


def extract_html(raw: str, url: str | None = None) -> dict[str, str | None]:
    """Return ``{"text", "title", "date", "url"}`` for one HTML page.

    Navigation, sidebars, cookie banners and reader comments are dropped. ``text`` is
    None when the page has no extractable main text.
    """
    result = trafilatura.bare_extraction(
        raw,
        url=url,
        include_comments=False,
        include_tables=False,
        with_metadata=True,
        favor_precision=True,
    )
    if result is None:
        return {"text": None, "title": None, "date": None, "url": url}
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    text, title = data.get("text"), data.get("title")
    if text and title:
        # The page heading repeats the title: keep it once, in the title field.
        first, _, rest = text.partition("\n")
        if first.strip() == title.strip() and rest.strip():
            text = rest
    if text:
        # trafilatura puts one paragraph a line; dyad marks paragraphs with blank lines.
        text = "\n\n".join(line for line in text.split("\n") if line.strip())
    return {
        "text": text,
        "title": data.get("title"),
        "date": data.get("date"),
        "url": data.get("url") or url,
    }

"""What a person reads on a page: its text without tags, attributes, scripts or styles (the
title included), for tests that look for words that must not show (issue 17 item 11)."""

from __future__ import annotations

from html.parser import HTMLParser

HIDDEN = frozenset({"script", "style", "template", "noscript"})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.options: list[str] = []
        self.in_option = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self.skipping.append(tag)
        elif tag == "option":
            self.in_option = True

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
        elif tag == "option":
            self.in_option = False

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)
            if self.in_option:
                self.options.append(data.strip())


def visible_text(html: str) -> str:
    """The page's readable text, pieces separated by newlines."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "\n".join(part for part in parser.parts if part.strip())


def option_labels(html: str) -> list[str]:
    """The labels of every <option> of the page's drop-down lists."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.options

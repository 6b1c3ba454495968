"""Which outside hosts an HTML page or SVG image would make a browser fetch from (src, href, url(...),
srcset, @import), so a test can prove the API works on a machine without internet access."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlparse

URL_ATTRIBUTES = {"src", "href", "xlink:href", "srcset", "action", "poster", "data"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            if name == "srcset":
                self.urls.extend(candidate.split()[0] for candidate in value.split(",") if candidate.strip())
            elif name in URL_ATTRIBUTES:
                self.urls.append(value.strip())
            if name == "style":
                self.urls.extend(a or b for a, b in CSS_URL.findall(value))

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls.extend(a or b for a, b in CSS_URL.findall(data))

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False


def references(page: str) -> list[str]:
    parser = _References()
    parser.feed(page)
    return parser.urls


def outside_hosts(page: str, allowed: set[str]) -> list[str]:
    """Each reference to an http(s) or protocol-relative URL whose host:port is not in `allowed`."""
    found = []
    for url in references(page):
        parsed = urlparse(url)
        remote = parsed.scheme in ("http", "https", "") and parsed.netloc and parsed.netloc not in allowed
        if remote or parsed.scheme not in ("http", "https", "", "data", "mailto", "blob"):
            found.append(url)
    return found

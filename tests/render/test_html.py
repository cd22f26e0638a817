"""The HTML report: self-contained, and no string from the article or its metadata survives as markup."""

from html.parser import HTMLParser

from newsift import render_html
from newsift.document import Article
from newsift.pipeline import default_pipeline
from newsift.render.html import Mark, segment

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<a href=\"javascript:alert(3)\">click</a>",
    "\"><svg onload=alert(4)>",
    "</script><script>alert(5)</script>",
    "<iframe src=javascript:alert(6)>",
    "'; alert(7); '",
    "<style>body{display:none}</style>",
    "{{ 7*7 }} {% raw %}",
]


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.scripts = [], [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def hostile_report():
    body = " ".join(f"Officials said {p} on Tuesday in Kyiv, according to \"{p}\" sources." for p in PAYLOADS)
    article = Article(text=body, title=PAYLOADS[0] + PAYLOADS[1], url="javascript:alert(8)",
                      site=PAYLOADS[2], authors=[PAYLOADS[3]])
    return default_pipeline()(article)


def test_no_payload_survives_as_markup():
    page = render_html(hostile_report())
    parsed = Collector()
    parsed.feed(page)
    assert set(parsed.tags) <= {"html", "head", "meta", "title", "style", "body", "header", "h1", "p", "span",
                                "a", "section", "div", "fieldset", "legend", "label", "input", "article",
                                "aside", "h2", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "b",
                                "dl", "dt", "dd", "ol", "time", "figure", "footer", "script", "main", "svg",
                                "g", "path", "circle", "text", "rect"}
    assert not any(name.lower().startswith("on") for name, _ in parsed.attrs)
    assert not any(value and "javascript:" in value.lower() for _, value in parsed.attrs)
    assert parsed.tags.count("script") == 2  # the data island and the report's own script
    assert "alert(" not in parsed.scripts[1]
    for payload in PAYLOADS:
        if "<" in payload:
            assert payload not in page


def test_self_contained():
    page = render_html(hostile_report())
    for needle in ("src=\"http", "href=\"//", "@import", "url(http", "<link"):
        assert needle not in page


def test_segments_cover_text_and_overlaps():
    text = "abcdefghij"
    marks = [Mark("claim", 0, 6, "c"), Mark("date", 3, 8, "d")]
    segs = segment(text, marks)
    assert "".join(s.text for s in segs) == text
    assert [(s.text, s.marks) for s in segs] == [("abc", [0]), ("def", [0, 1]), ("gh", [1]), ("ij", [])]

"""The document view's marked-up text: every piece escaped, tags balanced, whatever the spans."""
from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from readouts.web.highlight import Highlight, highlight


class _Collect(HTMLParser):
    """The text a browser would show, and whether every tag closes in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.stack: list[str] = []
        self.balanced = True
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.balanced = False

    def handle_data(self, data):
        self.text.append(data)


def parse(markup: str) -> _Collect:
    p = _Collect()
    p.feed(markup)
    p.close()
    return p


def test_script_in_text_is_shown_as_text():
    out = highlight("Hi <script>alert(1)</script> & bye", [Highlight(0, 2, "person")])
    assert "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; bye" in out
    assert parse(out).tags == [("mark", {"class": "hl hl-person"})]


def test_overlapping_spans_nest_without_crossing_tags():
    text = "Secretary Blinken met Minister Ebrard today."
    spans = [Highlight(0, 44, "evidence"), Highlight(10, 17, "person", "/persons/2"),
             Highlight(31, 37, "person", "/persons/1"), Highlight(14, 35, "organization")]
    out = highlight(text, spans)
    p = parse(out)
    assert p.balanced and not p.stack
    assert "".join(p.text) == text
    assert '<a class="hl hl-person" href="/persons/2">' in out
    assert out.startswith('<mark class="hl hl-evidence">')


def test_attributes_are_escaped_and_bad_spans_dropped():
    out = highlight("abc", [Highlight(-5, 2, "person", title='"><img src=x onerror=alert(1)>'),
                            Highlight(2, 2, "person"), Highlight(3, 1, "x"), Highlight(1, 99, "organization")])
    p = parse(out)
    # a | b | c: the person span clipped to "ab", the organization's to "bc"; no <img> anywhere
    assert [(t, a["class"]) for t, a in p.tags] == [("mark", "hl hl-person"), ("mark", "hl hl-organization"),
                                                    ("mark", "hl hl-person"), ("mark", "hl hl-organization")]
    assert p.tags[0][1]["title"] == '"><img src=x onerror=alert(1)>'
    assert "".join(p.text) == "abc"


spans = st.lists(st.builds(Highlight, st.integers(-3, 60), st.integers(-3, 60),
                           st.sampled_from(["person", "organization", "evidence"]),
                           st.one_of(st.none(), st.just("/persons/1"))), max_size=8)


@given(text=st.text(alphabet=st.sampled_from(list("ab <>&\"'\n/é")), max_size=50), marks=spans)
def test_any_spans_keep_the_text_and_balance_the_tags(text, marks):
    out = highlight(text, marks)
    p = parse(out)
    assert p.balanced and not p.stack
    assert "".join(p.text) == text
    assert {t for t, _ in p.tags} <= {"mark", "a"}

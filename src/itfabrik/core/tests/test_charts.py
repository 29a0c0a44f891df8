"""The shared SVG bar chart: what a screen reader gets (role, title, description, every value as
text), escaping, scale and colours. The SVG is parsed, so a malformed chart fails too."""

from __future__ import annotations

from decimal import Decimal
from xml.etree import ElementTree as ET  # our own output only, never untrusted input

from hypothesis import given
from hypothesis import strategies as st

from itfabrik.core.web.charts import COLOURS, LABEL_W, VALUE_W, WIDTH, bar_chart, count, percent

NS = {"svg": "http://www.w3.org/2000/svg"}
SPAN = WIDTH - LABEL_W - VALUE_W


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.findall("svg:text", NS)]


def bars(root: ET.Element) -> list[ET.Element]:
    # The legend's swatches are 14 wide and sit at y=6; the bars start below the legend.
    return [r for r in root.findall("svg:rect", NS) if r.get("height") != "14"]


def test_the_chart_is_an_image_labelled_by_its_title_and_description() -> None:
    root = parse(
        bar_chart(chart_id="c1", title="Kostnad", description="Per kommun.", rows=[("Ed", [3])])
    )
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-t c1-d"
    title = root.find("svg:title", NS)
    desc = root.find("svg:desc", NS)
    assert title is not None
    assert title.get("id") == "c1-t"
    assert title.text == "Kostnad"
    assert desc is not None
    assert desc.get("id") == "c1-d"
    assert desc.text == "Per kommun."


def test_every_text_is_escaped() -> None:
    evil = '<script>alert("x")</script> & co'
    svg = bar_chart(
        chart_id="c",
        title=evil,
        description=evil,
        rows=[(evil, [1])],
        series=[evil],
        fmt=lambda v: evil,
    )
    assert "<script>" not in svg
    root = parse(svg)  # would raise on an unescaped "&" or "<"
    assert root.find("svg:title", NS).text == evil  # type: ignore[union-attr]
    assert texts(root).count(evil) == 3  # the legend, the row label and the value


def test_each_value_is_written_out_with_the_callers_format() -> None:
    root = parse(
        bar_chart(
            chart_id="c",
            title="t",
            description="d",
            rows=[("Ed", [Decimal("12.5"), None]), ("Bengtsfors", [Decimal(50), Decimal(0)])],
            series=["Andel", "Annan"],
            fmt=percent,
        )
    )
    assert texts(root) == [
        "Andel",
        "Annan",
        "Ed",
        "12,5 %",
        "–",
        "Bengtsfors",
        "50,0 %",
        "0,0 %",
    ]


def test_a_missing_value_draws_no_bar_and_a_zero_a_hairline() -> None:
    root = parse(
        bar_chart(chart_id="c", title="t", description="d", rows=[("a", [None]), ("b", [0])])
    )
    drawn = bars(root)
    assert [r.get("width") for r in drawn] == ["1"]  # only the zero row has a bar


def test_the_largest_value_fills_the_width_by_default() -> None:
    root = parse(
        bar_chart(
            chart_id="c", title="t", description="d", rows=[("a", [10]), ("b", [5]), ("c", [-10])]
        )
    )
    assert [int(r.get("width", "0")) for r in bars(root)] == [SPAN, SPAN // 2, SPAN]


def test_a_fixed_top_sets_the_scale_and_caps_longer_values() -> None:
    root = parse(
        bar_chart(
            chart_id="c",
            title="t",
            description="d",
            rows=[("a", [Decimal(50)]), ("b", [Decimal(150)])],
            top=100,
        )
    )
    assert [int(r.get("width", "0")) for r in bars(root)] == [SPAN // 2, SPAN]


def test_series_take_the_colours_in_order_and_are_named_in_the_legend() -> None:
    root = parse(
        bar_chart(
            chart_id="c",
            title="t",
            description="d",
            rows=[("a", [1, 2])],
            series=["Nuvarande", "Simulerad"],
            colours=("#111111", "#222222"),
        )
    )
    rects = root.findall("svg:rect", NS)
    assert [r.get("fill") for r in rects] == ["#111111", "#222222", "#111111", "#222222"]
    assert texts(root)[:2] == ["Nuvarande", "Simulerad"]


def test_without_series_there_is_no_legend_and_the_default_colour() -> None:
    root = parse(bar_chart(chart_id="c", title="t", description="d", rows=[("a", [1])]))
    rects = root.findall("svg:rect", NS)
    assert [r.get("fill") for r in rects] == [COLOURS[0]]
    assert texts(root) == ["a", "1"]


def test_an_empty_chart_is_still_a_labelled_image() -> None:
    root = parse(bar_chart(chart_id="c", title="Inget", description="Inga rader.", rows=[]))
    assert root.get("role") == "img"
    assert root.findall("svg:rect", NS) == []


@given(
    st.lists(
        st.lists(
            st.one_of(st.none(), st.integers(-(10**9), 10**9)),
            min_size=2,
            max_size=2,
        ),
        max_size=8,
    )
)
def test_bars_never_leave_the_drawing_and_keep_their_order(values: list[list[int | None]]) -> None:
    rows = [(f"r{i}", vs) for i, vs in enumerate(values)]
    root = parse(bar_chart(chart_id="c", title="t", description="d", rows=rows, series=["x", "y"]))
    drawn = bars(root)
    present = [abs(v) for vs in values for v in vs if v is not None]
    assert len(drawn) == len(present)
    widths = [int(r.get("width", "0")) for r in drawn]
    assert all(1 <= w <= SPAN for w in widths)
    # A larger value never gets a shorter bar.
    for (a, wa), (b, wb) in zip(
        sorted(zip(present, widths, strict=True)),
        sorted(zip(present, widths, strict=True))[1:],
        strict=False,
    ):
        assert a <= b
        assert wa <= wb
    assert texts(root)[2:] == [t for i, vs in enumerate(values) for t in [f"r{i}", *map(count, vs)]]


def test_the_formatters() -> None:
    assert percent(None) == "–"
    assert percent(Decimal("66.666")) == "66,7 %"
    assert percent(100) == "100,0 %"
    assert count(None) == "–"
    assert count(7) == "7"

"""Server-side SVG charts: well-formed, accessible, patterns besides colour (pure: no database)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from apps.scorecards.charts import RadarSeries, ScatterPoint, nice_ticks, radar_svg, scatter_svg

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own SVG output, not untrusted input


def test_radar_is_accessible_svg() -> None:
    svg = radar_svg(
        chart_id="r1",
        axes=["Speed", "Quality", "Cost <$>"],
        series=[RadarSeries("A & B", [1.0, 0.5, None]), RadarSeries("C", [0.2, 0.4, 0.6], excluded=True)],
        title="Factor scores",
        desc="A: speed 100; C excluded",
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "r1-title r1-desc"
    assert root.find("svg:title", NS).text == "Factor scores"  # type: ignore[union-attr]
    assert root.find("svg:desc", NS).text == "A: speed 100; C excluded"  # type: ignore[union-attr]
    series = root.findall(".//svg:g[@class='series']", NS)
    assert len(series) == 2
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Cost <$>" in texts and "A & B" in texts  # escaped in the source, intact once parsed
    # second series: dashed line, different marker shape
    poly0 = series[0].find("svg:polygon", NS)
    poly1 = series[1].find("svg:polygon", NS)
    assert poly0.get("stroke-dasharray") is None and poly1.get("stroke-dasharray")  # type: ignore[union-attr]
    assert series[0].find("svg:circle", NS) is not None and series[1].find("svg:rect", NS) is not None
    # the missing value gets a hollow marker
    assert series[0].findall("svg:circle", NS)[2].get("fill") == "#ffffff"


def test_radar_needs_three_axes() -> None:
    with pytest.raises(ValueError):
        radar_svg(chart_id="x", axes=["a", "b"], series=[], title="t", desc="d")


def test_scatter_plots_known_points_and_numbers_them() -> None:
    points = [
        ScatterPoint("Cheap", 100.0, 70.0),
        ScatterPoint("Unknown cost", None, 80.0),
        ScatterPoint("Dear", 2000.0, 90.0, excluded=True),
    ]
    svg = scatter_svg(
        chart_id="s1",
        points=points,
        title="Cost vs quality",
        desc="…",
        x_label="Monthly cost",
        y_label="Quality",
        note="Not plotted: Unknown cost",
        format_x=lambda v: f"${v:,.0f}",
    )
    root = parse(svg)
    groups = root.findall(".//svg:g[@class='points']/svg:g", NS)
    assert [g.get("data-series") for g in groups] == ["0", "2"]
    assert [g.find("svg:title", NS).text for g in groups] == ["Cheap", "Dear"]  # type: ignore[union-attr]
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "1. Cheap" in texts and "2. Unknown cost" in texts and "3. Dear" in texts
    assert "Not plotted: Unknown cost" in texts
    assert "$2,000" in texts


def test_scatter_with_nothing_to_plot() -> None:
    root = parse(
        scatter_svg(
            chart_id="s2", points=[ScatterPoint("x", None, None)], title="t", desc="d", x_label="x", y_label="y"
        )
    )
    assert root.findall(".//svg:g[@class='points']/svg:g", NS) == []


def test_scatter_single_point() -> None:
    root = parse(
        scatter_svg(chart_id="s3", points=[ScatterPoint("x", 5.0, 5.0)], title="t", desc="d", x_label="x", y_label="y")
    )
    assert len(root.findall(".//svg:g[@class='points']/svg:g", NS)) == 1


@pytest.mark.parametrize(
    ("lo", "hi", "expected"),
    [
        (0, 100, [0, 20, 40, 60, 80, 100]),
        (0, 1825, [0, 500, 1000, 1500, 2000]),
        (63, 97, [60, 70, 80, 90, 100]),
        (0, 2010, [0, 500, 1000, 1500, 2000, 2500]),
        (-3, 3, [-4, -2, 0, 2, 4]),
        (0, 0, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
    ],
)
def test_nice_ticks(lo: float, hi: float, expected: list[float]) -> None:
    assert nice_ticks(lo, hi) == pytest.approx(expected)


def test_many_series_cycle_styles_without_crashing() -> None:
    series = [RadarSeries(f"m{i}", [0.1 * (i % 10)] * 10) for i in range(50)]
    root = parse(radar_svg(chart_id="r50", axes=[str(i) for i in range(10)], series=series, title="t", desc="d"))
    assert len(root.findall(".//svg:g[@class='series']", NS)) == 50


def test_long_notes_wrap_inside_the_chart() -> None:
    note = "Not plotted (cost or quality unknown): " + ", ".join(f"Candidate number {i}" for i in range(12))
    root = parse(
        scatter_svg(
            chart_id="s4",
            points=[ScatterPoint("x", 1.0, 1.0)],
            title="t",
            desc="d",
            x_label="x",
            y_label="y",
            note=note,
            width=640,
        )
    )
    lines = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("font-size") == "11"]
    assert len(lines) > 1 and all(len(line) * 6.2 <= 640 - 40 for line in lines)
    assert " ".join(lines) == note
    height = float(root.get("height"))  # type: ignore[arg-type]
    last_y = max(float(t.get("y", 0)) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert last_y < height

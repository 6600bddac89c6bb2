"""The paper's pictures, drawn once as shapes and written as inline SVG (HTML) or PNG (Word).

Every mark carries its words beside it (score, rating, coverage, the board), so a chart
printed in greyscale, or read by someone who cannot tell the colours apart, loses nothing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from boardcheck.formats.paper_model import Glance, Trend
from boardcheck.formats.sanitise import html_text

# Light tints with dark edges, as in the paper's tables.
FILLS = {"green": "#cce6d4", "amber": "#ffe9b3", "red": "#f9d5d1", "inconclusive": "#e8edee",
         "insufficient_evidence": "#dde8f3"}
EDGES = {"green": "#007f3b", "amber": "#b36b00", "red": "#d5281b", "inconclusive": "#4c6272",
         "insufficient_evidence": "#005eb8"}
TEXT = "#212b32"
MUTED = "#4c6272"
GRID = "#aeb7bd"
LABELS = {"green": "Green", "amber": "Amber", "red": "Red", "inconclusive": "Inconclusive",
          "insufficient_evidence": "Insufficient evidence"}


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str | None = None


@dataclass(frozen=True, slots=True)
class Line:
    points: tuple[tuple[float, float], ...]
    stroke: str
    width: float = 1.0
    dashed: bool = False


@dataclass(frozen=True, slots=True)
class Dot:
    x: float
    y: float
    r: float
    fill: str
    stroke: str


@dataclass(frozen=True, slots=True)
class Label:
    x: float
    y: float
    text: str
    size: float = 11.0
    anchor: str = "start"  # start, middle, end
    bold: bool = False
    fill: str = TEXT


Shape = Rect | Line | Dot | Label


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    title: str  # the accessible name, and the figure's caption
    shapes: tuple[Shape, ...]


LEFT = 190  # room for a board question's title
BAR = 300


def glance_chart(rows: tuple[Glance, ...], amber_from: float | None = None,
                 green_from: float | None = None) -> Chart:
    """Each board question's score as a bar on 0-100, its coverage as a thin bar beneath,
    and the score, rating and coverage in words at the end of the row. The questionnaire's
    thresholds (where the result records them) are dashed lines."""
    row_h = 38
    top = 22
    shapes: list[Shape] = []
    bottom = top + row_h * len(rows)
    thresholds = sorted({t for t in (amber_from, green_from) if t is not None and 0 < t < 100})
    for mark in (0, *thresholds, 100):
        x = LEFT + BAR * mark / 100
        shapes.append(Line(((x, top - 6), (x, bottom)), GRID, 1, dashed=mark not in (0, 100)))
        shapes.append(Label(x, top - 9, f"{mark:g}", 9, "middle", fill=MUTED))
    for i, row in enumerate(rows):
        y = top + i * row_h
        shapes.append(Label(0, y + 16, f"{row.number}. {row.title}", 10.5, bold=True))
        score = row.score or 0.0
        shapes.append(Rect(LEFT, y + 5, BAR * score / 100, 15, FILLS.get(row.rating, "#eee"),
                           EDGES.get(row.rating, TEXT)))
        coverage = row.coverage or 0.0
        shapes.append(Rect(LEFT, y + 23, BAR * coverage / 100, 4, MUTED))
        words = f"{row.score_text} \u00b7 {row.rating_label}"
        shapes.append(Label(LEFT + BAR + 8, y + 17, words, 10.5, bold=True))
        shapes.append(Label(LEFT + BAR + 8, y + 29, f"{row.coverage_text} evidenced", 9,
                            fill=MUTED))
    scale = (f" (Amber from {amber_from:g}, Green from {green_from:g})"
             if amber_from is not None and green_from is not None else "")
    shapes.append(Label(LEFT, bottom + 14, f"Bar: score out of 100{scale}. Thin bar: share "
                        "of the weight evidenced.", 9, fill=MUTED))
    # Under the heading "The five questions at a glance": the chart's own title says what
    # it draws, not the heading again.
    return Chart(LEFT + BAR + 150, bottom + 20, "Score and rating of each board question, and "
                 "the share of its weight evidenced", tuple(shapes))


def trend_chart(trend: Trend) -> Chart:
    """Each board question's score at each board, as a line with the score and rating at
    each point; the boards named along the foot."""
    n = len(trend.labels)
    band = 46
    top = 8
    step = (BAR + 120) / max(n - 1, 1)
    shapes: list[Shape] = []
    for i, (title, scores, ratings) in enumerate(trend.series):
        y0 = top + i * band
        shapes.append(Label(0, y0 + band / 2 + 4, title, 10.5, bold=True))
        shapes.append(Line(((LEFT, y0 + band - 4), (LEFT + step * (n - 1), y0 + band - 4)),
                           GRID, 1))
        points: list[tuple[float, float]] = []
        marks: list[Shape] = []
        for j, (score, rating) in enumerate(zip(scores, ratings, strict=True)):
            x = LEFT + step * j
            if score is None:
                marks.append(Label(x, y0 + band - 8, "no score", 8.5, "middle", fill=MUTED))
                continue
            y = y0 + band - 6 - (band - 22) * score / 100
            points.append((x, y))
            marks.append(Dot(x, y, 3.5, FILLS.get(rating, "#eee"), EDGES.get(rating, TEXT)))
            marks.append(Label(x, y - 6, f"{score:.1f} {LABELS.get(rating, rating)}", 8.5,
                               "middle"))
        if len(points) > 1:  # the line first, so the dots and words sit on top of it
            shapes.append(Line(tuple(points), TEXT, 1.2))
        shapes += marks
    foot = top + band * len(trend.series) + 12
    for j, label in enumerate(trend.labels):
        anchor = "start" if j == 0 and n > 1 else "end" if j == n - 1 and n > 1 else "middle"
        shapes.append(Label(LEFT + step * j, foot, label, 9, anchor, fill=MUTED))
    return Chart(LEFT + BAR + 150, foot + 8, "Each board question's score at each board, "
                 "earliest first", tuple(shapes))


def _svg_shape(shape: Shape) -> str:
    # Every element closed explicitly: the HTML parser and the paper's strict check read
    # inline SVG, and neither needs to know foreign elements may self-close.
    e = html_text
    if isinstance(shape, Rect):
        stroke = f' stroke="{shape.stroke}"' if shape.stroke else ""
        return (f'<rect x="{shape.x:.1f}" y="{shape.y:.1f}" width="{shape.w:.1f}" '
                f'height="{shape.h:.1f}" fill="{shape.fill}"{stroke}></rect>')
    if isinstance(shape, Line):
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in shape.points)
        dash = ' stroke-dasharray="3 3"' if shape.dashed else ""
        return (f'<polyline points="{points}" fill="none" stroke="{shape.stroke}" '
                f'stroke-width="{shape.width:g}"{dash}></polyline>')
    if isinstance(shape, Dot):
        return (f'<circle cx="{shape.x:.1f}" cy="{shape.y:.1f}" r="{shape.r:g}" '
                f'fill="{shape.fill}" stroke="{shape.stroke}"></circle>')
    weight = ' font-weight="bold"' if shape.bold else ""
    return (f'<text x="{shape.x:.1f}" y="{shape.y:.1f}" font-size="{shape.size:g}" '
            f'text-anchor="{shape.anchor}" fill="{shape.fill}"{weight}>{e(shape.text)}</text>')


def svg(chart: Chart) -> str:
    """The chart as inline SVG: text is text, so it prints sharp and is read aloud."""
    body = "".join(_svg_shape(s) for s in chart.shapes)
    return (f'<svg viewBox="0 0 {chart.width} '
            f'{chart.height}" width="100%" role="img" aria-label="{html_text(chart.title)}" '
            f'font-family="Arial, Helvetica, sans-serif">'
            f"<title>{html_text(chart.title)}</title>{body}</svg>")


SCALE = 3  # pixels per SVG unit in the PNG: sharp when Word prints it at 16 cm


def png(chart: Chart) -> bytes:
    """The chart as PNG bytes (Pillow, from the docx extra); the same chart gives the same
    bytes."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (chart.width * SCALE, chart.height * SCALE), "white")
    draw = ImageDraw.Draw(image)
    fonts: dict[float, ImageFont.FreeTypeFont | ImageFont.ImageFont] = {}

    def font(size: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        if size not in fonts:
            fonts[size] = ImageFont.load_default(size=size * SCALE)
        return fonts[size]

    def at(x: float, y: float) -> tuple[float, float]:
        return x * SCALE, y * SCALE

    for shape in chart.shapes:
        if isinstance(shape, Rect):
            if shape.w <= 0:
                continue
            draw.rectangle((*at(shape.x, shape.y), *at(shape.x + shape.w, shape.y + shape.h)),
                           fill=shape.fill, outline=shape.stroke, width=SCALE if shape.stroke
                           else 0)
        elif isinstance(shape, Line):
            points = [at(x, y) for x, y in shape.points]
            if shape.dashed and len(points) == 2:
                (x1, y1), (x2, y2) = points
                length = max(abs(x2 - x1), abs(y2 - y1))
                dash = 3 * SCALE
                steps = int(length // (2 * dash)) + 1
                for k in range(steps):
                    a = k * 2 * dash / length if length else 0
                    b = min((k * 2 + 1) * dash / length, 1) if length else 0
                    draw.line((x1 + (x2 - x1) * a, y1 + (y2 - y1) * a,
                               x1 + (x2 - x1) * b, y1 + (y2 - y1) * b),
                              fill=shape.stroke, width=max(1, round(shape.width * SCALE)))
            else:
                draw.line(points, fill=shape.stroke, width=max(1, round(shape.width * SCALE)))
        elif isinstance(shape, Dot):
            x, y = at(shape.x, shape.y)
            r = shape.r * SCALE
            draw.ellipse((x - r, y - r, x + r, y + r), fill=shape.fill, outline=shape.stroke,
                         width=SCALE)
        else:
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[shape.anchor]
            draw.text(at(shape.x, shape.y), shape.text, fill=shape.fill, font=font(shape.size),
                      anchor=anchor, stroke_width=1 if shape.bold else 0,
                      stroke_fill=shape.fill)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()

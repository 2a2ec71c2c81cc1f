"""A horizontal bar chart as inline SVG, drawn on the server: the same markup in the page (no
JavaScript) and in the PDF (WeasyPrint renders inline SVG). A hidden (suppressed) value is
drawn as no bar and labelled as shown in the table, never as zero."""

from dataclasses import dataclass

from django.utils.formats import number_format

LABEL_WIDTH = 250
PLOT_WIDTH = 300
VALUE_WIDTH = 60
BAR = 16
GAP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the value as the table shows it
    y: int
    width: float
    mean_x: float | None  # the 4-week mean's marker, when shown

    @property
    def text_y(self) -> int:
        return self.y + BAR - 4


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    plot_width: int = PLOT_WIDTH

    @property
    def width(self) -> int:
        return LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + PLOT_WIDTH + 6


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _short(label: str, most: int = 34) -> str:
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def bar_chart(title: str, rows: list[dict], *, value: str = "count", mean: str = "") -> Chart:
    """One bar per row (its "label" and `value`), with a tick at its `mean` when given."""
    numbers = [_number(r[value]) for r in rows] + [_number(r.get(mean)) for r in rows if mean]
    top = max((n for n in numbers if n is not None), default=0.0) or 1.0
    bars = []
    for i, row in enumerate(rows):
        n, m = _number(row[value]), _number(row.get(mean)) if mean else None
        bars.append(
            Bar(
                label=_short(str(row["label"])),
                text=number_format(row[value]) if n is not None else str(row[value]),
                y=i * (BAR + GAP),
                width=round((n or 0) / top * PLOT_WIDTH, 1),
                mean_x=round(LABEL_WIDTH + m / top * PLOT_WIDTH, 1) if m is not None else None,
            )
        )
    return Chart(title=title, bars=bars, height=max(1, len(rows)) * (BAR + GAP))

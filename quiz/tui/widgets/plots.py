"""Terminal charts for the stats screen: a thin layer over textual-plotext.

Only the stats screen imports this module, so plotext's import cost is paid when the user opens
the stats, not at app start-up. Bar and line colours come from the app's theme variables, and
the chart redraws itself when the theme changes, so no literal colours live here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Sequence

from textual.app import ComposeResult
from textual.color import Color
from textual.containers import Container
from textual.widgets import Static
from textual_plotext import PlotextPlot

Kind = Literal["bar", "line", "hbar"]


@dataclass(frozen=True)
class Series:
    """What one chart shows: x positions (numbers or labels) and their values."""

    x: Sequence[float | str]
    y: Sequence[float]
    kind: Kind = "bar"
    title: str = ""
    xlabel: str = ""
    ylabel: str = ""
    ylim: tuple[float, float] | None = None
    xlim: tuple[float, float] | None = None
    colour: str = "primary"  # a theme variable name, resolved when drawn
    xticks: dict[float, str] = field(default_factory=dict)  # position -> label shown
    whole_y: bool = False  # counts: ticks on whole numbers, not 6.7


def whole_ticks(top: float, most: int = 5) -> list[int]:
    """At most `most`+1 whole-number ticks from 0 to at least `top`."""
    step = max(1, -(-int(top) // most))
    return list(range(0, int(top) + step, step))


class Chart(PlotextPlot):
    """A plotext chart drawn from a `Series`, in the current theme's colours."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.series: Series | None = None

    def on_mount(self) -> None:
        super().on_mount()
        # Redraw with the new theme's colours; PlotextPlot itself only retints the background.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._draw())

    def show_series(self, series: Series) -> None:
        self.series = series
        self._draw()

    def _theme_rgb(self, name: str) -> tuple[int, int, int]:
        value = self.app.theme_variables.get(name) or self.app.theme_variables.get("primary", "#0178d4")
        return Color.parse(value).rgb

    def _draw(self) -> None:
        s = self.series
        if s is None:
            return
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        colour = self._theme_rgb(s.colour)
        xs = list(s.x)
        ys = list(s.y)
        if s.kind == "bar":
            plt.bar(xs, ys, color=colour, width=0.6)
        elif s.kind == "hbar":
            plt.bar(xs, ys, color=colour, orientation="horizontal", width=0.5)
        else:
            plt.plot(xs, ys, color=colour, marker="braille")
            plt.scatter(xs, ys, color=colour, marker="dot")
        if s.title:
            plt.title(s.title)
        if s.xlabel:
            plt.xlabel(s.xlabel)
        if s.ylabel:
            plt.ylabel(s.ylabel)
        if s.ylim is not None:
            plt.ylim(*s.ylim)
            if s.ylim == (0, 100):  # percentages: quarters read better than 16.7, 33.3…
                plt.yticks([0, 25, 50, 75, 100], ["0", "25", "50", "75", "100"])
        if s.whole_y and ys:  # counts: whole-number ticks on the value axis (x for hbar)
            ticks = whole_ticks(max(ys))
            if s.kind == "hbar":
                plt.xticks(ticks, [str(t) for t in ticks])
                plt.xlim(0, ticks[-1])
            else:
                plt.yticks(ticks, [str(t) for t in ticks])
                plt.ylim(0, ticks[-1])
        if s.xlim is not None:
            plt.xlim(*s.xlim)
        if s.xticks:
            plt.xticks(list(s.xticks), list(s.xticks.values()))
        self.refresh()


class ChartPanel(Container):
    """A chart, or a friendly sentence in its place when there is nothing to plot yet."""

    DEFAULT_CSS = """
    ChartPanel { height: 1fr; }
    ChartPanel > .chart-empty { display: none; padding: 1 2; color: $text-muted; }
    ChartPanel.-empty > .chart-empty { display: block; }
    ChartPanel.-empty > Chart { display: none; }
    """

    def __init__(self, *, id: str | None = None, loading_text: str = "Computing…") -> None:
        super().__init__(id=id, classes="-empty")  # empty until the data arrives
        self.message = loading_text

    def compose(self) -> ComposeResult:
        yield Chart()
        yield Static(self.message, classes="chart-empty", markup=False)

    def show_series(self, series: Series) -> None:
        self.remove_class("-empty")
        self.query_one(Chart).show_series(series)

    def show_empty(self, message: str) -> None:
        self.message = message
        self.query_one(".chart-empty", Static).update(message)
        self.add_class("-empty")

    @property
    def is_empty(self) -> bool:
        return self.has_class("-empty")

"""Checks that a matplotlib figure reads at a glance: no label over another, no legend over data."""

from unittest import mock

import numpy as np
from matplotlib.text import Text


def drawn_texts(fig):
    """(text, window extent) of every non-empty text the figure actually draws."""
    drawn = []
    original = Text.draw

    def draw(self, renderer):
        original(self, renderer)
        if self.get_visible() and self.get_text().strip():
            drawn.append((self.get_text(), self.get_window_extent(renderer)))

    with mock.patch.object(Text, "draw", draw):
        fig.canvas.draw()
    return drawn


def overlapping_texts(fig):
    """Pairs of drawn texts whose boxes overlap (by more than a pixel), and texts cut off."""
    texts = drawn_texts(fig)
    problems = []
    for i, (a, box_a) in enumerate(texts):
        for b, box_b in texts[i + 1 :]:
            shrunk_a, shrunk_b = box_a.padded(-1), box_b.padded(-1)
            if shrunk_a.overlaps(shrunk_b):
                problems.append((a, b))
    page = fig.bbox.padded(1)
    problems += [(a, "outside the figure") for a, box in texts if not page.contains(*box.p0)]
    problems += [(a, "outside the figure") for a, box in texts if not page.contains(*box.p1)]
    return problems


def data_under_legends(fig):
    """Labels of the plotted lines and bars that have a point under a legend."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend())]
    boxes = [legend.get_window_extent(renderer) for legend in legends]
    covered = []
    for ax in fig.axes:
        for line in ax.get_lines():
            xy = np.column_stack(line.get_data()).astype(float)
            points = line.get_transform().transform(xy)
            points = points[np.isfinite(points).all(axis=1)]
            if any(box.contains(x, y) for box in boxes for x, y in points):
                covered.append(line.get_label())
        for patch in ax.patches:
            if any(box.overlaps(patch.get_window_extent(renderer)) for box in boxes):
                covered.append(patch.get_label())
    return covered

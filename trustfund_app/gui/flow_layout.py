"""A row of buttons or filters that wraps onto a second line when the window is narrow, instead of
making the window wider (French, Russian and Spanish labels are a third longer than English).

Items keep their size hint; on each line, the extra width goes to items that want to grow (line
edits, or any widget with an expanding horizontal policy). Right-to-left languages get the mirror
image, as from QHBoxLayout."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QSizePolicy, QStyle, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 6, align_end: bool = False):
        super().__init__(parent)
        self._items: list = []
        self._spacing = spacing
        self.align_end = align_end  # buttons at the trailing edge, like after a stretch
        self.setContentsMargins(0, 0, 0, 0)

    # -- QLayout --------------------------------------------------------------------------------
    def addItem(self, item) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self):  # noqa: N802
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        """All on one line."""
        shown = self._shown()
        width = sum(i.sizeHint().width() for i in shown) + self._spacing * max(0, len(shown) - 1)
        height = max((i.sizeHint().height() for i in shown), default=0)
        margins = self.contentsMargins()
        return QSize(width + margins.left() + margins.right(), height + margins.top() + margins.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802
        """The widest single item: everything else may go to another line."""
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize()).expandedTo(QSize(item.sizeHint().width(), 0))
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    # -- arranging -------------------------------------------------------------------------------
    def _shown(self) -> list:
        return [i for i in self._items if not i.isEmpty()]

    def _lines(self, width: int) -> list[list]:
        lines, line, used = [], [], 0
        for item in self._shown():
            need = item.sizeHint().width()
            if line and used + self._spacing + need > width:
                lines.append(line)
                line, used = [], 0
            used += (self._spacing if line else 0) + need
            line.append(item)
        if line:
            lines.append(line)
        return lines

    def _arrange(self, rect: QRect, apply: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        y = area.y()
        direction = self.parentWidget().layoutDirection() if self.parentWidget() else Qt.LayoutDirection.LeftToRight
        for line in self._lines(area.width()):
            height = max(i.sizeHint().height() for i in line)
            if apply:
                self._place_line(line, area, y, height, direction)
            y += height + self._spacing
        return max(0, y - self._spacing - area.y()) + margins.top() + margins.bottom()

    def _place_line(self, line: list, area: QRect, y: int, height: int, direction) -> None:
        widths = [min(i.sizeHint().width(), area.width()) for i in line]
        spare = area.width() - sum(widths) - self._spacing * (len(line) - 1)
        growing = [n for n, i in enumerate(line) if i.expandingDirections() & Qt.Orientation.Horizontal]
        if spare > 0 and growing:
            for n in growing:
                widths[n] += spare // len(growing)
            spare = 0
        x = area.x() + (max(0, spare) if self.align_end else 0)
        for item, width in zip(line, widths):
            logical = QRect(QPoint(x, y + (height - item.sizeHint().height()) // 2),
                            QSize(width, item.sizeHint().height()))
            item.setGeometry(QStyle.visualRect(direction, area, logical))
            x += width + self._spacing


def pair(label: QWidget, field: QWidget) -> QWidget:
    """A label and its field kept together on one line of a flow."""
    from PySide6.QtWidgets import QHBoxLayout

    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(label)
    row.addWidget(field, 1)
    box.setSizePolicy(field.sizePolicy().horizontalPolicy(), QSizePolicy.Policy.Fixed)
    return box

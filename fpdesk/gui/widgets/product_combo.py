"""A choice of the office's products: names shown, codes as item data.

An office is offered the products of its own province only (``provinces:`` in a product's file).
The list is read again each time it opens. A package from the county may bring new or changed
product definitions while the window stays open, and a clerk should see them without restarting.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QComboBox, QWidget

from fpdesk.core.catalog import Catalog
from fpdesk.core.language import pick
from fpdesk.core.products import Product
from fpdesk.gui.widgets.dialog_parts import compact_combo
from fpdesk.services.enrollment.product_catalog import office_catalog


class ProductCombo(QComboBox):
    def __init__(self, workspace, *, any_label: str | None = None, default: str | None = None,
                 offered_only: bool = False, parent: QWidget | None = None) -> None:
        """``any_label``: a first item meaning "no product chosen" (data None); ``default``: the code
        chosen at first, if the office has it; ``offered_only``: leave out products the county
        withdrew (screens that make new enrollments)."""
        super().__init__(parent)
        # room for a short name and no more asked of the layout: the full names (some 30 characters)
        # made rows of filters wider than a laptop screen at large text; the open list shows them whole
        compact_combo(self, 16)
        self.workspace = workspace
        self.any_label = any_label
        self.offered_only = offered_only
        self._listed: Catalog | None = None
        self.reload()
        if default is not None and self.findData(default) >= 0:
            self.setCurrentIndex(self.findData(default))

    def catalog(self) -> Catalog:
        """The catalog the list was last filled from (re-read when the list opens)."""
        return self._listed  # type: ignore[return-value]  # filled by the constructor's reload

    def reload(self) -> None:
        """Fill the list from the office's catalog, if it changed; the chosen product stays chosen.
        Listeners hear of it when the choice moved or the chosen product's definition changed (its
        form, its premium): a screen showing that form must show the new one."""
        catalog = office_catalog(self.workspace)
        before = self._listed
        if catalog is before:
            return
        chosen = self.currentData()
        self.blockSignals(True)
        try:
            self.clear()
            if self.any_label is not None:
                self.addItem(self.any_label, None)
            office = self.workspace.office
            here = office.code if office is not None else ""
            for code, product in sorted(catalog.products.items(), key=lambda item: (item[1].withdrawn, item[0])):
                if product.withdrawn and self.offered_only:
                    continue
                if here and not product.offered_in(here) and not product.withdrawn:
                    continue  # another province's product (kept ones stay: the office has enrollments in them)
                name = pick(product.name_zh, product.name_en)
                # kept for the enrollments the office has in it: listed last, and said so
                self.addItem(self.tr("{0}（已停办）").format(name) if product.withdrawn else name, code)
            self._listed = catalog
            index = self.findData(chosen)
            self.setCurrentIndex(max(index, 0))
        finally:
            self.blockSignals(False)
        if before is None or not self.count():
            return
        if index >= 0 and (chosen is None or _same_definition(before.products.get(chosen), catalog.products.get(chosen))):
            return
        self.currentIndexChanged.emit(self.currentIndex())

    def showEvent(self, event) -> None:  # the screen holding it came back into view
        self.reload()
        super().showEvent(event)

    def showPopup(self) -> None:
        self.reload()
        super().showPopup()


def _same_definition(old: Product | None, new: Product | None) -> bool:
    """The same product and form, wherever each was read from (a received copy of a shipped file)."""
    if old is None or new is None:
        return False
    forms = [replace(p.enrollment_form, source_file="") if p.enrollment_form else None for p in (old, new)]
    return replace(old, source_file="") == replace(new, source_file="") and forms[0] == forms[1]

"""A choice of the office's products: names shown, codes as item data.

The list is read again each time it opens. A package from the county may bring new or changed
product definitions while the window stays open, and a clerk should see them without restarting.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from fpdesk.core.products import Catalog
from fpdesk.gui.i18n import current_language
from fpdesk.services.product_catalog import office_catalog


class ProductCombo(QComboBox):
    def __init__(self, workspace, *, any_label: str | None = None, default: str | None = None,
                 parent: QWidget | None = None) -> None:
        """``any_label``: a first item meaning "no product chosen" (data None); ``default``: the code
        chosen at first, if the office has it."""
        super().__init__(parent)
        self.workspace = workspace
        self.any_label = any_label
        self.english = current_language() == "en"
        self._listed: Catalog | None = None
        self.reload()
        if default is not None and self.findData(default) >= 0:
            self.setCurrentIndex(self.findData(default))

    def catalog(self) -> Catalog:
        """The catalog the list was last filled from (re-read when the list opens)."""
        if self._listed is None:
            self.reload()
        return self._listed  # type: ignore[return-value]

    def reload(self) -> None:
        """Fill the list from the office's catalog, if it changed; the chosen product stays chosen."""
        catalog = office_catalog(self.workspace)
        if catalog is self._listed:
            return
        chosen = self.currentData()
        self.blockSignals(True)
        try:
            self.clear()
            if self.any_label is not None:
                self.addItem(self.any_label, None)
            for code, product in sorted(catalog.products.items()):
                self.addItem(product.name_en if self.english else product.name_zh, code)
            self._listed = catalog
            index = self.findData(chosen)
            if index >= 0:
                self.setCurrentIndex(index)  # the same product, perhaps at another place: nothing to tell
        finally:
            self.blockSignals(False)
        if index < 0 and self.count():
            self.setCurrentIndex(0)
            self.currentIndexChanged.emit(0)  # the chosen product is gone: listeners see the new choice

    def showPopup(self) -> None:
        self.reload()
        super().showPopup()

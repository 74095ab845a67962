"""Reading supplier spreadsheets: format sniffing, safety checks, header detection, column mapping
and value normalisation. Qt-free and store-free; `planner.services.import_suppliers` drives it."""

from __future__ import annotations


def check_defusedxml() -> None:
    """Refuse to run when openpyxl would parse XML without defusedxml's protection (call at start-up)."""
    import openpyxl

    if not getattr(openpyxl, "DEFUSEDXML", False):
        raise RuntimeError(
            "openpyxl is running without defusedxml, so workbooks could expand XML entity bombs. "
            "Install the 'defusedxml' package."
        )

"""What leaves the company, as plain data: the alignment pack's content model (already filtered)
and renderings of it that need no spreadsheet library (HTML for the PDF). Qt-free and store-free."""

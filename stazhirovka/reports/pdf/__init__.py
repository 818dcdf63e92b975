"""PDF documents with reportlab: fonts, the office style (DOCUMENTS.md §5) and the documents."""

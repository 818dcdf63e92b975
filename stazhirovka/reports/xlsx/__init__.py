"""Spreadsheets (XLSX): streamed registry exports, registers, the monitoring form, imports."""

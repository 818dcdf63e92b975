"""The parts of the internship card (``ui/internship_card.py``): data, header and tabs."""

"""Plain geometry in millimetres: paper, jigsaw pieces, imposition, and how much room text takes.

Numbers in, numbers out: nothing here knows a catalogue, a template or a PDF.
"""

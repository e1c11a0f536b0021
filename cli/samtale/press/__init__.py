"""Rendering and writing: Jinja fills a template with plain values, WeasyPrint lays it out, one writer puts files down.

`render(template, context)` gives HTML, `pdf(html, roots)` gives PDF bytes, and
`writer` is how every command writes a file: whole or not at all.
"""

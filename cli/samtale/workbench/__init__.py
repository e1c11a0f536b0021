"""The administrator's workbench: a working folder of their own (`samtale init`), a page in the browser to
edit a workplace's wording with a live preview (`samtale serve`), and rendering on every change (`render --watch`).

Web libraries are imported only by the modules that serve pages, so the other commands stay quick.
"""

"""The Jinja environment: autoescaped, strict, and sandboxed for a workplace's own templates.

A workplace's template folder is searched before the built-in one (MkDocs' custom_dir),
so a file of the same name replaces the built-in template and the rest fall through.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from ..core.errors import SamtaleError
from ..core.paths import TEMPLATES, font_folder

# Fixed timestamps make the same input give the same bytes (the PDF's dates come from the HTML).
EPOCH = 1767225600  # 2026-01-01T00:00:00Z
EPOCH_ISO = "2026-01-01T00:00:00+00:00"
AUTOESCAPE = ["html", "htm", "xml", "svg", "html.j2", "svg.j2", "xml.j2"]


def environment(template_dirs: Sequence[Path] = (), sandboxed: bool = False) -> Any:
    """Jinja with the user's folders searched before the built-in templates."""
    # lazy: Jinja is only needed when something is rendered
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    cls = ImmutableSandboxedEnvironment if sandboxed else Environment
    env = cls(
        loader=FileSystemLoader([*map(str, template_dirs), str(TEMPLATES)]),
        autoescape=select_autoescape(AUTOESCAPE, default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["mm"] = lambda value: f"{value:.2f}mm"
    env.filters["pt"] = lambda value: f"{value:.2f}pt"
    env.globals["font_faces"] = font_faces
    return env


@cache
def _environment(template_dirs: tuple[Path, ...], sandboxed: bool) -> Any:
    return environment(template_dirs, sandboxed)


def render(template: str, context: dict[str, Any], template_dirs: Sequence[Path] = ()) -> str:
    """The template filled in with `context`; a workplace's own templates are rendered in the sandbox."""
    from jinja2 import TemplateError, TemplateNotFound

    env = _environment(tuple(template_dirs), bool(template_dirs))
    try:
        return str(env.get_template(template).render({"created": EPOCH_ISO, **context}))
    except TemplateNotFound as err:
        raise SamtaleError(f"the template '{err.name}' was not found in {', '.join(map(str, [*template_dirs, TEMPLATES]))}") from None
    except TemplateError as err:
        where = f"{getattr(err, 'filename', None) or template}:{getattr(err, 'lineno', None) or '?'}: "
        raise SamtaleError(f"{where}the template could not be filled in: {err.message}; check the template") from None


@cache
def font_faces() -> Any:
    """@font-face rules for the embedded typeface (markup-safe: they are ours, not the user's)."""
    from markupsafe import Markup

    folder = font_folder()
    rules = []
    for weight, name in ((400, "Regular"), (600, "Semibold"), (700, "Bold")):
        for style, suffix in (("normal", ""), ("italic", "It")):
            file = folder / f"SourceSansPro-{name}{suffix}.ttf"
            if suffix and name == "Regular":
                file = folder / "SourceSansPro-It.ttf"
            if file.is_file():
                rules.append(
                    f"@font-face {{ font-family: 'Source Sans Pro'; font-weight: {weight}; "
                    f"font-style: {style}; src: url('{file.as_uri()}'); }}"
                )
    return Markup("\n".join(rules))

"""Turning a template and its context into PDF bytes, and writing them safely.

Owns the Jinja environment (autoescaped, strict), the URL fetcher that keeps a
render inside the project's own files, the one shared font configuration, and
the atomic write that never leaves half a PDF behind.
"""

from __future__ import annotations

import base64
import os
import tempfile
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from .errors import SamtaleError
from .paths import TEMPLATES, font_folder

# Fixed timestamps make the same input give the same bytes (fontTools stamps
# subset fonts with SOURCE_DATE_EPOCH; the PDF's dates come from the HTML).
EPOCH = 1767225600  # 2026-01-01T00:00:00Z
EPOCH_ISO = "2026-01-01T00:00:00+00:00"
AUTOESCAPE = ["html", "htm", "xml", "svg", "html.j2", "svg.j2", "xml.j2"]


def environment(template_dirs: Sequence[Path] = (), sandboxed: bool = False):
    """Jinja with the user's folders searched before the built-in templates (MkDocs' custom_dir)."""
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
    from jinja2.sandbox import SandboxedEnvironment

    cls = SandboxedEnvironment if sandboxed else Environment
    env = cls(
        loader=ChoiceLoader([FileSystemLoader([*map(str, template_dirs), str(TEMPLATES)])]),
        autoescape=select_autoescape(AUTOESCAPE, default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["mm"] = lambda value: f"{value:.2f}mm"
    env.filters["pt"] = lambda value: f"{value:.2f}pt"
    env.filters["data_uri"] = data_uri
    env.globals["font_faces"] = font_faces
    return env


def render_html(template: str, context: dict[str, Any], template_dirs: Sequence[Path] = (), sandboxed: bool = False) -> str:
    from jinja2 import TemplateError, TemplateNotFound

    env = _environment(tuple(template_dirs), sandboxed)
    try:
        return env.get_template(template).render(**context)
    except TemplateNotFound as err:
        raise SamtaleError(f"the template '{err.name}' was not found in {', '.join(map(str, [*template_dirs, TEMPLATES]))}") from None
    except TemplateError as err:
        where = f"{getattr(err, 'filename', None) or template}:{getattr(err, 'lineno', None) or '?'}: "
        raise SamtaleError(f"{where}the template could not be filled in: {err.message}; check the template") from None


@cache
def _environment(template_dirs: tuple[Path, ...], sandboxed: bool):
    return environment(template_dirs, sandboxed)


def data_uri(path: Path) -> str:
    """A picture as a data: URL, so the PDF holds it and the render reads nothing else.

    Only paths samtale itself resolved (Path objects, checked when the catalogue or
    overlay was loaded) are read: a template cannot name a file of its own choosing.
    """
    if not isinstance(path, Path):
        raise SamtaleError(f"a template asked to embed '{path}'; templates may only embed the pictures samtale gives them")
    kind = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}[path.suffix.lower()]
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"


@cache
def font_faces():
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


@cache
def font_config():
    """One FontConfiguration per process, shared by every CSS and write_pdf."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def fetcher_class():
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class ContainedFetcher(URLFetcher):
        """Serves data: URLs and files inside the allowed folders; anything else stops the render."""

        def __init__(self, roots: Iterable[Path]):
            super().__init__(allowed_protocols={"data", "file"})
            self.roots = tuple(Path(r).resolve() for r in roots)

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                from urllib.request import url2pathname

                path = Path(url2pathname(url.split("?")[0].removeprefix("file:"))).resolve()
                if any(path.is_relative_to(root) for root in self.roots):
                    return super().fetch(url, headers)
            raise RefusedURL(url)

    class RefusedURL(FatalURLFetchingError):
        def __init__(self, url: str):
            self.url = url
            super().__init__(url)

    return ContainedFetcher, RefusedURL


def pdf_bytes(
    html: str, *, roots: Iterable[Path], base: Path, variant: str | None = None, forms: bool = False,
    attachments: list | None = None,
) -> bytes:
    """Lay out `html` and return the PDF. `roots` are the only folders it may read from."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(EPOCH))
    from weasyprint import HTML

    Fetcher, RefusedURL = fetcher_class()
    fetcher = Fetcher([*roots, TEMPLATES, font_folder()])
    try:
        document = HTML(string=html, base_url=base.resolve().as_uri() + "/", url_fetcher=fetcher)
        return document.write_pdf(
            font_config=font_config(),
            pdf_tags=True,
            pdf_variant=variant,
            pdf_forms=forms,
            attachments=attachments,
            uncompressed_pdf=False,
        )
    except RefusedURL as err:
        raise SamtaleError(
            f"the material refers to '{err.url}', which is outside the catalogue's and the templates' folders; "
            "use a file inside them (no web addresses, no '../')"
        ) from None


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write `data` to `path` so that readers only ever see the old file or the whole new one."""
    tmp = write_temp(path, data, mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_temp(path: Path, data: bytes, mode: int | None = None) -> Path:
    """`data` whole and synced in a hidden temporary file beside `path`, ready to be renamed onto it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


@cache
def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

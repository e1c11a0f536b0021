"""The Jinja environment: autoescaped, strict, and a sandbox that holds for a workplace's own templates.

A workplace's template folder is searched before the built-in one (MkDocs' custom_dir),
so a file of the same name replaces the built-in template and the rest fall through.
A workplace's templates come from outside the project, so they are read only as
regular files inside their folder, compiled in Jinja's immutable sandbox, given plain
data only (see `plain`), kept from arithmetic that would take all memory or time, and
stopped when they loop on themselves or write more than any page needs.
"""

from __future__ import annotations

import operator
import os
import stat
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from ..core.errors import Problem, SamtaleError
from ..core.i18n import _
from ..core.paths import TEMPLATES, font_folder
from .plain import plain

# Fixed timestamps make the same input give the same bytes (the PDF's dates come from the HTML).
EPOCH = 1767225600  # 2026-01-01T00:00:00Z
EPOCH_ISO = "2026-01-01T00:00:00+00:00"
AUTOESCAPE = ["html", "htm", "xml", "svg", "html.j2", "svg.j2", "xml.j2"]
MAX_TEMPLATE_BYTES = 1024 * 1024  # our largest template is 5 KB
MAX_OUTPUT_CHARS = 8 * 1024 * 1024  # our largest document (the puzzle with backs) is about 1 MB of HTML
MAX_REPEAT = 100_000  # 'x' * n and [..] * n in a template
MAX_POWER = 1_000  # n ** m in a template


def _loader(template_dirs: Sequence[Path]) -> Any:
    from jinja2 import FileSystemLoader  # lazy: Jinja is only needed when something is rendered
    from jinja2.exceptions import TemplateNotFound

    class ContainedLoader(FileSystemLoader):
        """Serves only regular files that lie inside their folder: no links out, no '..', no giants."""

        def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
            source, filename, uptodate = super().get_source(environment, template)
            folder = next((Path(d) for d in self.searchpath if Path(filename).parent == Path(d)), None)
            if folder is None or not _regular_inside(Path(filename), folder):
                raise TemplateNotFound(template)
            if len(source) > MAX_TEMPLATE_BYTES:
                raise SamtaleError(Problem(_("the template is larger than {kilobytes} KB; no template needs that much").format(kilobytes=MAX_TEMPLATE_BYTES // 1024),
                                           file=Path(filename)))
            return source, filename, uptodate

    return ContainedLoader([*map(str, template_dirs), str(TEMPLATES)], followlinks=False)


def _regular_inside(path: Path, folder: Path) -> bool:
    """`path` is a regular file directly in `folder`, reached without a symbolic link."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and Path(os.path.realpath(path)).parent == Path(os.path.realpath(folder))


def _sandbox() -> type:
    from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

    class Sandbox(ImmutableSandboxedEnvironment):
        """The immutable sandbox, with '*' and '**' kept to sizes a page can use."""

        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Any, op: str, left: Any, right: Any) -> Any:
            if op == "**" and isinstance(right, (int, float)) and isinstance(left, (int, float)):
                if abs(right) > MAX_POWER or abs(left) > MAX_POWER:
                    raise SecurityError(_("a number too large for a template"))
                return operator.pow(left, right)
            if op == "*":
                for seq, n in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_REPEAT:
                        raise SecurityError(_("a repetition too long for a template"))
                return operator.mul(left, right)
            return super().call_binop(context, op, left, right)

    return Sandbox


def environment(template_dirs: Sequence[Path] = (), sandboxed: bool = False) -> Any:
    """Jinja with the user's folders searched before the built-in templates."""
    from jinja2 import Environment, StrictUndefined, select_autoescape

    _hyphenate = _hyphenate_filter()
    cls = _sandbox() if sandboxed else Environment
    env = cls(
        loader=_loader(template_dirs),
        autoescape=select_autoescape(AUTOESCAPE, default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["mm"] = lambda value: f"{value:.2f}mm"
    env.filters["pt"] = lambda value: f"{value:.2f}pt"
    env.filters["hyphenate"] = _hyphenate
    env.globals["font_faces"] = font_faces
    return env


def _hyphenate_filter() -> Any:
    from jinja2 import pass_context

    from ..geometry.hyphenation import hyphenate

    @pass_context
    def apply(context: Any, text: Any) -> str:
        """Soft hyphens where a word may break, by the catalogue's own breaks and the dictionary of the page's language."""
        return hyphenate(str(text), context.get("lang", "da"), context.get("hyphenation") or ())

    return apply


@cache
def _environment(template_dirs: tuple[Path, ...], sandboxed: bool) -> Any:
    return environment(template_dirs, sandboxed)


def render(template: str, context: dict[str, Any], template_dirs: Sequence[Path] = ()) -> str:
    """The template filled in with `context` as plain data; a workplace's own templates are rendered in the sandbox."""
    env = _environment(tuple(template_dirs), bool(template_dirs))
    values = plain({"created": EPOCH_ISO, **context})
    try:
        parts, size = [], 0
        for part in env.get_template(template).generate(values):
            size += len(part)
            if size > MAX_OUTPUT_CHARS:
                raise SamtaleError(_problem(template, template_dirs, None,
                                            _("the template writes more than {megabytes} MB; "
                                              "check its loops").format(megabytes=MAX_OUTPUT_CHARS // 1024 // 1024)))
            parts.append(part)
        return "".join(parts)
    except SamtaleError:
        raise
    except RecursionError as err:
        raise SamtaleError(_problem(template, template_dirs, err, _("the template extends, includes or calls itself "
                                    "without end; remove the loop"))) from None
    except Exception as err:  # every way a template can fail becomes one line with its file and line
        raise SamtaleError(_problem(template, template_dirs, err, _why(err))) from None


def _why(err: BaseException) -> str:
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.sandbox import SecurityError

    if isinstance(err, TemplateNotFound):
        return _("the template '{name}' was not found; templates may only use the built-in ones and their own folder's").format(name=err.name)
    if isinstance(err, TemplateSyntaxError):
        return _("{message}; check the template's syntax").format(message=err.message)
    if isinstance(err, UndefinedError):
        return _("{message}; templates can use only the values samtale gives them").format(message=err.message)
    if isinstance(err, SecurityError):
        return _("the template tried something the sandbox does not allow ({reason}); templates may only format the values they are given").format(reason=err)
    if isinstance(err, UnicodeDecodeError):
        return _("the template is not UTF-8 text; save it again as UTF-8")
    if isinstance(err, MemoryError):
        return _("the template needs more memory than any page; check its loops")
    return _("the template could not be filled in ({kind}: {reason}); check the template").format(kind=type(err).__name__, reason=err)


def _problem(template: str, template_dirs: Sequence[Path], err: BaseException | None, message: str) -> Problem:
    """Where in which template file the error is: Jinja's traceback frames carry the template's own lines."""
    file, line = getattr(err, "filename", None), getattr(err, "lineno", None)
    tb = err.__traceback__ if err is not None else None
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".j2", ".html", ".css", ".svg")):
            file, line = name, tb.tb_lineno
        tb = tb.tb_next
    if file is None:
        folders = [*template_dirs, TEMPLATES]
        file = str(next((Path(d) / template for d in folders if (Path(d) / template).is_file()), template))
    return Problem(message, file=Path(file), line=line)


def check(template_dirs: Sequence[Path]) -> list[Problem]:
    """Compile every template a workplace brings, so `workplace validate` finds a syntax error before a render does."""
    env = _environment(tuple(template_dirs), True)
    problems = []
    for folder in template_dirs:
        for path in sorted(Path(folder).iterdir()):
            if path.name.startswith("."):
                continue
            try:
                env.get_template(path.name)
            except SamtaleError as err:
                problems += err.problems
            except RecursionError as err:
                problems.append(_problem(path.name, template_dirs, err, _("the template extends or includes itself; remove the loop")))
            except Exception as err:  # as in render: one line with the template's file and line
                problems.append(_problem(path.name, template_dirs, err, _why(err)))
    return problems


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

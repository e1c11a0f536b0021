"""What to render: the documents of the standard set and of each workplace, each with a key that changes
whenever anything that shapes it changes.

A document's key is a hash of its resolved content (every word, colour and picture: see
`Material.digest`), the templates, the typeface, the options, samtale's own code and the
library that subsets its fonts (HarfBuzz and fontTools write different bytes). What a
workplace file resolves to is remembered in the manifest by the file's size, modification
time and hash, and those of the pictures, logo and templates it names: a run in which
nothing changed reads no workplace file again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

from .. import __version__, products
from ..core.errors import Problem, SamtaleError
from ..core.i18n import _
from ..core.paths import PACKAGE, TEMPLATES, font_folder
from ..material import Material, file_digest, resolve
from ..press import jinja, pdf, validate
from ..press.plain import plain
from ..press.writer import inside
from ..products import PRODUCTS, Options
from ..source import overlay
from ..source.catalogue import Loaded
from ..source.overlay import STANDARD, Workplace
from .manifest import Manifest
from .workers import Page


def page(material: Material, product_name: str, options: Options, template_dirs: tuple[Path, ...] = ()) -> Page:
    """One document of a product as a worker renders it: its template, the template's plain data, and the files
    its product writes beside the PDF (the puzzle's cut lines), made here from the same values."""
    product = PRODUCTS[product_name]
    context = product.context(material, options)
    stem = products.file_stem(material.type.id, product.name, options, material.lang)
    extras = {f"{stem}{suffix}": data for suffix, data in product.extras(context, options).items()} if product.extras else {}
    finishes = tuple(product.finish(context, options)) if product.finish and options.target == "print-shop" else ()
    data = plain(context)
    # samtale's own templates are filled in here, while a cold worker is still loading WeasyPrint; a workplace's
    # templates are filled in in the worker, within the time limit.
    html = None if template_dirs else jinja.render(product.template, data)
    return Page(product.template, {} if html is not None else data, stem, template_dirs, options.fillable, extras,
                options.target, finishes, html)


# --- the standard set and the workplaces -----------------------------------------------------


@dataclass
class Source:
    """The standard set (no path) or one workplace: its name, its slug and its content per conversation type.

    A workplace remembered from the manifest is read again only if one of its documents must be rendered.
    """

    slug: str
    name: str
    digests: dict[str, str]  # conversation type → content digest (Material.digest)
    templates: str = ""  # digest of the workplace's own templates, '' for none
    path: Path | None = None
    workplace: Workplace | None = None
    _materials: dict[str, Material] = field(default_factory=dict, repr=False)

    def load(self, loaded: Loaded) -> Workplace | None:
        if self.path is not None and self.workplace is None:
            self.workplace = validate.workplace(loaded, self.path)
        return self.workplace

    def material(self, loaded: Loaded, type_id: str) -> Material:
        if type_id not in self._materials:
            self._materials[type_id] = resolve(loaded, type_id, self.load(loaded))
        return self._materials[type_id]

    def template_dirs(self, loaded: Loaded) -> tuple[Path, ...]:
        wp = self.load(loaded)
        return wp.template_dirs if wp else ()


def standard(loaded: Loaded) -> Source:
    materials = {t.id: resolve(loaded, t.id) for t in loaded.catalogue.conversation_types}
    first = next(iter(materials.values()))
    return Source(STANDARD, first.workplace, {t: m.digest for t, m in materials.items()}, _materials=materials)


def world(loaded: Loaded, std: Source) -> str:
    """Everything besides a workplace's own files that decides what it resolves to: while this stays the same,
    a workplace file that stays the same resolves to the same content."""
    parts = [file_digest(loaded.path), code_digest(), folder_digest(TEMPLATES), folder_digest(font_folder()), *sorted(std.digests.items())]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def workplace_files(loaded: Loaded, names: Sequence[str], every: bool) -> list[Path]:
    """The workplace files asked for by slug or path, or all of the catalogue's; an unknown one is an error."""
    return overlay.overlay_paths(loaded) if every else [overlay.find(loaded, n) for n in names]


def workplaces(loaded: Loaded, paths: Sequence[Path], every: bool, manifest: Manifest, context: str,
               problems: list[Problem]) -> tuple[list[Source], int]:
    """The workplaces of these files, remembered or read and checked as `workplace validate` checks them; a broken
    one is reported in `problems` and left out, the others go on. Returns them and how many were broken."""
    seen: set[Path] = set()
    found: list[Source] = []
    broken = 0
    learned = []
    for path in paths:
        resolved = path.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        remembered = manifest.workplace(resolved, context)
        if remembered is not None:
            source = _remembered(path, remembered)
            if source is not None:
                found.append(source)
                continue
        try:
            wp = validate.workplace(loaded, path)
        except SamtaleError as err:
            problems += err.problems
            broken += 1
            continue
        materials = {t.id: resolve(loaded, t.id, wp) for t in loaded.catalogue.conversation_types}
        source = Source(wp.slug, wp.name, {t: m.digest for t, m in materials.items()},
                        _templates_digest(wp.template_dirs), path, wp, materials)
        found.append(source)
        learned.append((resolved, {"slug": source.slug, "name": source.name, "digests": source.digests,
                                   "templates": source.templates, "dependencies": _dependencies(wp)}))
    manifest.remember_workplaces(learned, context, forget_stale=every)
    slugs: dict[str, Path] = {}
    for source in found:
        assert source.path is not None
        if source.slug in slugs:
            raise SamtaleError(Problem(_("two workplace files have the slug '{slug}' (also {other}); rename one").format(slug=source.slug, other=slugs[source.slug]),
                                       file=source.path))
        slugs[source.slug] = source.path
    return found, broken


def _remembered(path: Path, data: dict) -> Source | None:
    """A workplace as the manifest remembers it, if the entry has the shape samtale writes (the manifest is not trusted)."""
    try:
        slug, name, digests, templates = data["slug"], data["name"], data["digests"], data["templates"]
        ok = (slug == path.stem and isinstance(name, str) and isinstance(templates, str) and isinstance(digests, dict)
              and all(isinstance(k, str) and isinstance(v, str) for k, v in digests.items()))
    except (KeyError, TypeError):
        return None
    return Source(slug, name, dict(digests), templates, path) if ok else None


def _dependencies(wp: Workplace) -> list[str]:
    """The files besides the overlay that a workplace's content depends on (folders too: a file added or removed
    changes its folder's modification time)."""
    files = [wp.folder / picture.image for picture in (wp.overlay.pictures or {}).values()]
    if wp.overlay.logo:
        files.append(wp.folder / wp.overlay.logo)
    for folder in wp.template_dirs:
        files += [folder, *sorted(folder.rglob("*"))]
    return [str(f) for f in files]


def _templates_digest(template_dirs: Sequence[Path]) -> str:
    return hashlib.sha256("\0".join(folder_digest(d) for d in template_dirs).encode()).hexdigest() if template_dirs else ""


# --- the documents -------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One document to have: where it goes, whose it is, and the hash of everything that shapes it."""

    rel: str  # the PDF's path inside the output folder, with '/'
    source: Source
    type_id: str
    product: str
    key: str

    @property
    def workplace(self) -> str:
        return self.source.name

    @property
    def fingerprint(self) -> str:
        return self.source.digests[self.type_id][:8]

    @property
    def where(self) -> str:
        """The document and its workplace, as every message about it names them."""
        return f"{self.rel} ({self.source.name})"

    def task(self, loaded: Loaded, options: Options) -> Page:
        return page(self.source.material(loaded, self.type_id), self.product, options, self.source.template_dirs(loaded))


def pairs(loaded: Loaded, types: Sequence[str], wanted: Sequence[str]) -> list[tuple[str, str]]:
    """The (type, product) pairs to render: all the catalogue has, or those asked for."""
    cat = loaded.catalogue
    for t in types:
        loaded.conversation_type(t)  # an unknown type is an error, whatever else is asked
    for p in wanted:
        products.get(p)
    found = [(t.id, p) for t in cat.conversation_types if not types or t.id in types
             for p in t.products if not wanted or p in wanted]
    if wanted and not found:
        raise SamtaleError(_("none of the chosen conversation types has the product {products} in {file}").format(
            products=", ".join(wanted), file=loaded.path.name))
    return found


def jobs(loaded: Loaded, sources: Sequence[Source], todo: Sequence[tuple[str, str]], options: Options, out: Path) -> list[Job]:
    """The documents of each source, with their keys."""
    catalogue_id = loaded.catalogue.id
    common = json.dumps({
        "templates": folder_digest(TEMPLATES),
        "fonts": folder_digest(font_folder()),
        "options": asdict(options),
        "samtale": code_digest(),
        "subsetter": pdf.subsetter(),
    }, sort_keys=True, default=str)
    found = []
    for source in sources:
        inside(out, f"{catalogue_id}/{source.slug}")  # slugs are checked; this guards the rule, whatever changes
        shared = hashlib.sha256(f"{common}\0{source.templates}".encode()).hexdigest()
        for type_id, product in todo:
            rel = f"{catalogue_id}/{source.slug}/{products.file_stem(type_id, product, options, loaded.lang)}.pdf"
            key = hashlib.sha256(f"{source.digests[type_id]}\0{shared}\0{product}".encode()).hexdigest()
            found.append(Job(rel, source, type_id, product, key))
    return found


def folder_digest(folder: Path) -> str:
    """Every file in a folder, names and contents: what a template folder or the font folder holds."""
    h = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + file_digest(path).encode())
    return h.hexdigest()


@cache
def code_digest() -> str:
    """samtale's version, its code and WeasyPrint's version: a new release renders everything again."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        weasy = version("weasyprint")
    except PackageNotFoundError:
        weasy = "?"
    return f"{__version__}/{weasy}/{folder_digest(PACKAGE)[:16]}"


def render_files(material: Material, product_name: str, options: Options, *, roots: Sequence[Path] = (),
                 template_dirs: Sequence[Path] = ()) -> dict[str, bytes]:
    """One document's files by name, rendered here, in this process (for tools and tests; the batch renders in
    workers). `roots` is accepted as before and unused: pictures travel as data, a render reads only the typeface."""
    return page(material, product_name, options, tuple(template_dirs)).files()

"""PDF/UA-1 for the tests: the machine-checkable Matterhorn conditions, and a PDF's text in the order a screen reader reads it.

`check(pdf)` returns a list of `Failure`s, each naming the Matterhorn checkpoint (ISO 14289-1 test
condition, Matterhorn Protocol 1.1), the page and the object, in plain words. It reads the file with
pikepdf only and takes milliseconds per document, so it can run over every PDF the suite makes.

`read(pdf)` gives the text in structure order (what a screen reader reads, element by element) and
`reading_problems(pdf)` compares it with what a sighted reader sees on the page.

What `check` covers (checkpoint: the failure condition it looks for)

    01-003  an Artifact sequence inside tagged (MCID) content
    01-004  tagged (MCID) content inside an Artifact sequence
    01-005  text or drawing outside any Artifact or tagged sequence; content whose MCID no element of the
            structure tree claims (through /ParentTree and the tree's own /K); no /StructTreeRoot at all
    01-007  /MarkInfo /Suspects true
    02-001  a structure type neither standard nor mapped (through /RoleMap) to a standard type
    02-003  a circular role mapping
    02-004  a standard structure type remapped
    06-001  no XMP metadata stream (or one that is not well-formed XML)
    06-002  no pdfuaid:part = 1 in the XMP metadata
    06-003  no (or an empty) dc:title in the XMP metadata
    07-001  no /ViewerPreferences /DisplayDocTitle
    07-002  /DisplayDocTitle false
    09-004  tables not built as ISO 32000-1 Table 337 says: Table > (THead? TBody+ TFoot? | TR+), TR > TH|TD
    09-005  lists not built as Table 336 says: L > Caption? (LI | L)+, LI > Lbl|LBody, LI only in L
    09-006  TOC/TOCI not built as Table 333 says
    09-007  Ruby, 09-008 Warichu children
    10-001  a character code that cannot be mapped to Unicode: a used font with no /ToUnicode, standard
            encoding or known collection (this is also 31-027), or a used code missing from its /ToUnicode
    11-001  no /Lang on the catalog, or a /Lang (catalog or element) that is not a well-formed BCP 47 tag.
            With a valid catalog /Lang the language of Alt, outlines, Contents and TU (11-002 .. 11-006)
            is determined too, so those are covered by the same check.
    13-004  a Figure without /Alt or /ActualText (or with an empty one)
    14-002  numbered headings whose first is not H1
    14-003  a skipped heading level going down (H1 then H3)
    14-006  a node with more than one H
    14-007  both H and H1..H6 in one document
    15-003  a TH with no /Scope in a table not organised with /Headers and /ID
    17-002  a Formula without /Alt
    19-003  a Note without /ID, 19-004 Note IDs not unique
    20-001 .. 20-003  optional content configurations without /Name, or with /AS
    21-001  an embedded file's specification without /F and /UF
    25-001  XFA with dynamicRender required
    26-002  encryption that forbids assistive technology (bit 10 of /P)
    28-002  an annotation (not Widget, Link, PrinterMark or Popup) that is not in an Annot element
    28-004  an annotation (not Widget, Popup) without /Contents and without /Alt on its element
    28-005  a form field without /TU and without /Alt on its element
    28-006  an annotation of a subtype ISO 32000-1 does not define, 28-007 a TrapNet annotation
    28-008  a page with annotations and no /Tabs, 28-009 /Tabs other than /S
    28-010  a widget not in a Form element (through /StructParent, /ParentTree and an OBJR)
    28-011  a link not in a Link element (the same way)
    28-012  a link annotation without /Contents
    28-017  a PrinterMark annotation in the structure tree
    30-001  a reference XObject
    30-002  a form XObject with MCIDs drawn more than once
    31-004  a CIDFontType2 whose CIDToGIDMap is neither /Identity nor a stream, 31-005 one without it
    31-006  a Type0 font whose CMap is neither predefined nor embedded
    31-009  a font used for text whose program is not embedded (FontFile, FontFile2 or FontFile3)
    31-028  a ToUnicode value of U+0000, 31-029 of U+FEFF or U+FFFE
    31-030  text that shows the .notdef glyph (CID 0 of a CIDFont with an identity CIDToGIDMap)

Two labels are not Matterhorn failure conditions but requirements PDF/UA makes through ISO 32000-1:

    UA-7.1    the catalog's /MarkInfo /Marked is not true (PDF/UA files are Tagged PDF, ISO 32000-1 14.8)
    PDF-14.7  the structure tree refers to content that does not exist (an MCID missing from its page,
              an OBJR to nothing) or /ParentTree disagrees with the tree: readers that go from the page to
              the structure (selection, reflow, "read from here") find the wrong element or none

What it does not cover: every condition that needs a person (Matterhorn's "human" ones: is the
artifact really decorative, is the tag semantically right, is the reading order logical, does the alt
text describe the picture, is the contrast sufficient, are headers and footers pagination artifacts,
are lists and tables tagged as such where the page shows them); and these machine conditions, because
they need the font program or colour/media objects samtale never writes: 31-001 .. 31-003, 31-007,
31-008, 31-011 .. 31-027 (except the Unicode part of 31-027), 28-014, 28-015, 28-016, 28-018, 26-001.
Content in patterns and annotation appearance streams is not parsed. `reading_problems` is a partial,
machine answer to the human 09-001 (reading order): see its docstring.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import pikepdf


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# ISO 32000-1:2008, 14.8.4: the standard structure types.
STANDARD_TYPES = _words(
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private "
    "P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot "
    "Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP "
    "Figure Formula Form"
)
HEADINGS = ("H1", "H2", "H3", "H4", "H5", "H6")
TEXT_OPERATORS = frozenset({"Tj", "TJ", "'", '"'})
PAINT_OPERATORS = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "INLINE IMAGE"})
# ISO 32000-1, 12.5.6.1: the annotation subtypes the standard defines.
ANNOTATION_SUBTYPES = _words(
    "Text Link FreeText Line Square Circle Polygon PolyLine Highlight Underline Squiggly StrikeOut Stamp "
    "Caret Ink Popup FileAttachment Sound Movie Widget Screen PrinterMark TrapNet Watermark 3D"
)
# ISO 32000-1, 9.7.5.2, Table 118: the predefined CMaps (those that need not be embedded).
PREDEFINED_CMAPS = _words(
    "GB-EUC-H GB-EUC-V GBpc-EUC-H GBpc-EUC-V GBK-EUC-H GBK-EUC-V GBKp-EUC-H GBKp-EUC-V GBK2K-H GBK2K-V "
    "UniGB-UCS2-H UniGB-UCS2-V UniGB-UTF16-H UniGB-UTF16-V B5pc-H B5pc-V HKscs-B5-H HKscs-B5-V ETen-B5-H "
    "ETen-B5-V ETenms-B5-H ETenms-B5-V CNS-EUC-H CNS-EUC-V UniCNS-UCS2-H UniCNS-UCS2-V UniCNS-UTF16-H "
    "UniCNS-UTF16-V 83pv-RKSJ-H 90ms-RKSJ-H 90ms-RKSJ-V 90msp-RKSJ-H 90msp-RKSJ-V 90pv-RKSJ-H Add-RKSJ-H "
    "Add-RKSJ-V EUC-H EUC-V Ext-RKSJ-H Ext-RKSJ-V H V UniJIS-UCS2-H UniJIS-UCS2-V UniJIS-UCS2-HW-H "
    "UniJIS-UCS2-HW-V UniJIS-UTF16-H UniJIS-UTF16-V KSC-EUC-H KSC-EUC-V KSCms-UHC-H KSCms-UHC-V "
    "KSCms-UHC-HW-H KSCms-UHC-HW-V KSCpc-EUC-H UniKS-UCS2-H UniKS-UCS2-V UniKS-UTF16-H UniKS-UTF16-V "
    "Identity-H Identity-V"
)
STANDARD_ENCODINGS = frozenset({"/WinAnsiEncoding", "/MacRomanEncoding", "/MacExpertEncoding"})
# BCP 47 (RFC 5646) language tags, well-formed: language, script, region, variants, extensions, private use.
BCP47 = re.compile(
    r"^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?"
    r"(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[a-wyz\d](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?"
    r"|x(?:-[a-z\d]{1,8})+)$",
    re.IGNORECASE,
)
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}


@dataclass(frozen=True)
class Failure:
    """One failed condition: the Matterhorn checkpoint, the page (1-based, None for the document) and the object."""

    checkpoint: str
    page: int | None
    obj: str
    what: str

    def __str__(self) -> str:
        where = f"page {self.page}, " if self.page else ""
        return f"{self.checkpoint} {where}{self.obj}: {self.what}"


def check(pdf: Path | str | pikepdf.Pdf) -> list[Failure]:
    """Every machine-checkable PDF/UA-1 failure found in `pdf` (see the module's docstring for what is checked)."""
    if isinstance(pdf, pikepdf.Pdf):
        return _Checker(pdf).run()
    with pikepdf.open(pdf) as doc:
        return _Checker(doc).run()


def elements(pdf: Path | str) -> list[Element]:
    """The structure elements of `pdf` in structure order (each knows its parent, kids and MCIDs)."""
    with pikepdf.open(pdf) as doc:
        checker = _Checker(doc)
        checker.structure()
        return checker.elements


def summary(failures: Iterable[Failure]) -> dict[str, int]:
    """How many failures of each checkpoint, sorted by checkpoint."""
    return dict(sorted(Counter(f.checkpoint for f in failures).items()))


def report(failures: Sequence[Failure], limit: int = 3) -> str:
    """The failures as lines: each checkpoint's count and its first few examples."""
    by: dict[str, list[Failure]] = defaultdict(list)
    for f in failures:
        by[f.checkpoint].append(f)
    lines = []
    for checkpoint in sorted(by):
        found = by[checkpoint]
        lines.append(f"{checkpoint} ×{len(found)}")
        lines += [f"    {f}" for f in found[:limit]]
    return "\n".join(lines)


# -- reading the file -------------------------------------------------------------------------------------


def _key(obj: pikepdf.Object) -> tuple[int, int]:
    return obj.objgen


def _ref(obj: pikepdf.Object) -> str:
    num, gen = obj.objgen
    return f"obj {num} {gen}" if num else "a direct object"


def _name(obj: pikepdf.Object | None) -> str | None:
    return str(obj)[1:] if isinstance(obj, pikepdf.Name) else None


def _text(obj: pikepdf.Object | None) -> str | None:
    if isinstance(obj, pikepdf.String):
        return str(obj)
    return None


def _as_list(obj: pikepdf.Object | None) -> list[pikepdf.Object]:
    if obj is None:
        return []
    if isinstance(obj, pikepdf.Array):
        return list(obj)
    return [obj]


def _is_true(obj: pikepdf.Object | None) -> bool:
    return obj is not None and not isinstance(obj, pikepdf.Name) and bool(obj) is True


def number_tree(node: pikepdf.Object | None, depth: int = 0) -> dict[int, pikepdf.Object]:
    """A number tree (ISO 32000-1, 7.9.7) flattened to a dict."""
    out: dict[int, pikepdf.Object] = {}
    if not isinstance(node, pikepdf.Dictionary) or depth > 32:
        return out
    nums = _as_list(node.get("/Nums"))
    for i in range(0, len(nums) - 1, 2):
        out[int(nums[i])] = nums[i + 1]
    for kid in _as_list(node.get("/Kids")):
        out.update(number_tree(kid, depth + 1))
    return out


@dataclass
class Element:
    """A structure element: its type as written and as resolved through the role map, its place and its content."""

    obj: pikepdf.Dictionary
    key: tuple[int, int]
    role: str  # /S as written
    type: str  # /S resolved through the role map ("" if it resolves to nothing standard)
    parent: Element | None
    page: int | None  # 0-based, from /Pg (inherited)
    kids: list[Element] = field(default_factory=list)
    mcids: list[tuple[int | None, int, tuple[int, int] | None]] = field(default_factory=list)  # (page, mcid, stream)
    objrs: list[pikepdf.Object] = field(default_factory=list)  # the annotations (or XObjects) it holds

    def label(self) -> str:
        shown = self.role if self.role == self.type or not self.type else f"{self.role}→{self.type}"
        return f"<{shown}> ({_ref(self.obj)})"

    def walk(self) -> Iterator[Element]:
        yield self
        for kid in self.kids:
            yield from kid.walk()


@dataclass
class _Font:
    """What the checker knows of a font: how its codes are read and what they mean."""

    obj: pikepdf.Dictionary
    name: str
    two_byte: bool
    unicode: dict[int, str] | None  # the /ToUnicode map, None if it has none
    identity_gids: bool  # codes are glyph ids (Type0, Identity CMap, Identity CIDToGIDMap): code 0 is .notdef
    used: set[int] = field(default_factory=set)

    def codes(self, data: bytes) -> list[int]:
        if self.two_byte:
            return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2)]
        return list(data)

    def decode(self, codes: list[int]) -> str:
        if self.unicode is not None:
            return "".join(self.unicode.get(c, "\ufffd") for c in codes)
        return "" if self.two_byte else bytes(codes).decode("latin-1")


def parse_tounicode(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap's bfchar and bfrange entries as {code: text}."""
    text = data.decode("latin-1")
    out: dict[int, str] = {}

    def utf16(hexstr: str) -> str:
        raw = bytes.fromhex(hexstr if len(hexstr) % 2 == 0 else hexstr + "0")
        return raw.decode("utf-16-be", errors="replace")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(src, 16)] = utf16(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, rest in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]*>)", block):
            lo_i, hi_i = int(lo, 16), int(hi, 16)
            if hi_i - lo_i > 0xFFFF:
                continue
            if rest.startswith("["):
                for i, dst in enumerate(re.findall(r"<([0-9A-Fa-f]*)>", rest)):
                    out[lo_i + i] = utf16(dst)
            else:
                base = rest[1:-1]
                start = int(base, 16) if base else 0
                width = len(base)
                for i in range(hi_i - lo_i + 1):
                    out[lo_i + i] = utf16(f"{start + i:0{width}X}")
    return out


class _Checker:
    """One pass over one document: the catalog, the structure tree, every page's content and annotations."""

    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        self.root = pdf.Root
        self.failures: list[Failure] = []
        self.pages = list(pdf.pages)
        self.page_index = {page.obj.objgen: i for i, page in enumerate(self.pages)}
        self.fonts: dict[tuple[int, int], _Font] = {}
        self.rolemap: dict[str, str] = {}
        self.elements: list[Element] = []
        self.by_key: dict[tuple[int, int], Element] = {}
        self.parent_tree: dict[int, pikepdf.Object] = {}
        self.form_draws: Counter[tuple[int, int]] = Counter()
        self.forms_with_mcids: set[tuple[int, int]] = set()

    def fail(self, checkpoint: str, page: int | None, obj: str, what: str) -> None:
        self.failures.append(Failure(checkpoint, None if page is None else page + 1, obj, what))

    def run(self) -> list[Failure]:
        self.document()
        self.metadata()
        self.structure()
        claimed = self.claimed_mcids()
        for i, page in enumerate(self.pages):
            self.content(i, page, claimed)
            self.annotations(i, page)
        self.forms()
        self.fonts_used()
        self.xobjects()
        return self.failures

    # -- catalog and metadata ----------------------------------------------------------------------------

    def document(self) -> None:
        root = self.root
        mark = root.get("/MarkInfo")
        if not isinstance(mark, pikepdf.Dictionary) or not _is_true(mark.get("/Marked")):
            self.fail("UA-7.1", None, "catalog", "/MarkInfo /Marked is not true, so readers do not treat the file as tagged")
        elif _is_true(mark.get("/Suspects")):
            self.fail("01-007", None, "catalog", "/MarkInfo /Suspects is true: the tagging says it may be wrong")
        prefs = root.get("/ViewerPreferences")
        shown = prefs.get("/DisplayDocTitle") if isinstance(prefs, pikepdf.Dictionary) else None
        if shown is None:
            self.fail("07-001", None, "catalog", "no /ViewerPreferences /DisplayDocTitle: the window shows the file name, not the title")
        elif not _is_true(shown):
            self.fail("07-002", None, "catalog", "/DisplayDocTitle is false: the window shows the file name, not the title")
        lang = _text(root.get("/Lang"))
        if not lang:
            self.fail("11-001", None, "catalog", "no /Lang: a screen reader cannot tell which language to speak")
        elif not BCP47.match(lang):
            self.fail("11-001", None, "catalog", f"/Lang {lang!r} is not a language tag (BCP 47), so a screen reader cannot use it")
        if self.pdf.is_encrypted and not self.pdf.allow.accessibility:
            self.fail("26-002", None, "trailer", "the encryption forbids assistive technology to extract the text")
        oc = root.get("/OCProperties")
        if isinstance(oc, pikepdf.Dictionary):
            configs = [("D", oc.get("/D")), *(("Configs", c) for c in _as_list(oc.get("/Configs")))]
            for where, config in configs:
                if not isinstance(config, pikepdf.Dictionary):
                    continue
                if not _text(config.get("/Name")):
                    self.fail("20-001" if where == "Configs" else "20-002", None, f"optional content configuration ({where})", "no /Name")
                if "/AS" in config:
                    self.fail("20-003", None, f"optional content configuration ({where})", "has an /AS entry")
        names = root.get("/Names")
        if isinstance(names, pikepdf.Dictionary) and "/EmbeddedFiles" in names:
            for spec in _name_tree_values(names.EmbeddedFiles):
                if isinstance(spec, pikepdf.Dictionary) and ("/F" not in spec or "/UF" not in spec):
                    self.fail("21-001", None, f"embedded file {_ref(spec)}", "its file specification lacks /F or /UF")
        acro = root.get("/AcroForm")
        if isinstance(acro, pikepdf.Dictionary) and "/XFA" in acro:
            xfa = b"".join(x.read_bytes() for x in _as_list(acro.XFA) if isinstance(x, pikepdf.Stream))
            if re.search(rb"<dynamicRender>\s*required\s*</dynamicRender>", xfa):
                self.fail("25-001", None, "AcroForm /XFA", "dynamicRender is required")

    def metadata(self) -> None:
        stream = self.root.get("/Metadata")
        if not isinstance(stream, pikepdf.Stream):
            self.fail("06-001", None, "catalog", "no XMP metadata stream, so no PDF/UA identification and no dc:title")
            return
        data = stream.read_bytes()
        try:
            tree = ElementTree.fromstring(re.sub(rb"<\?xpacket[^>]*\?>", b"", data).strip())
        except ElementTree.ParseError as err:
            self.fail("06-001", None, f"metadata {_ref(stream)}", f"the XMP metadata is not well-formed XML ({err})")
            return
        part_attr = f"{{{NS['pdfuaid']}}}part"

        def parts_in(node: ElementTree.Element) -> list[str]:
            found = [d.get(part_attr, "") for d in node.iter(f"{{{NS['rdf']}}}Description") if d.get(part_attr)]
            return found + [(e.text or "").strip() for e in node.iter(part_attr)]

        rdfs = list(tree.iter(f"{{{NS['rdf']}}}RDF"))
        parts = parts_in(rdfs[0] if rdfs else tree)  # XMP readers (Adobe's XMP Core, so veraPDF) read the first rdf:RDF only
        if not parts and any(parts_in(r) for r in rdfs[1:]):
            self.fail("06-002", None, f"metadata {_ref(stream)}", "pdfuaid:part stands in a second rdf:RDF, which XMP readers ignore")
        elif not parts:
            self.fail("06-002", None, f"metadata {_ref(stream)}", "no pdfuaid:part: the file does not say it is PDF/UA")
        elif set(parts) != {"1"}:
            self.fail("06-002", None, f"metadata {_ref(stream)}", f"pdfuaid:part is {sorted(set(parts))}, not 1")
        titles = ["".join(t.itertext()).strip() for t in tree.iter(f"{{{NS['dc']}}}title")]
        if not any(titles):
            self.fail("06-003", None, f"metadata {_ref(stream)}", "no dc:title: the window title stays empty")

    # -- the structure tree -----------------------------------------------------------------------------

    def resolve(self, role: str) -> str:
        seen = []
        current = role
        while current not in STANDARD_TYPES:
            if current in seen or current not in self.rolemap:
                return ""
            seen.append(current)
            current = self.rolemap[current]
        return current

    def structure(self) -> None:
        tree = self.root.get("/StructTreeRoot")
        if not isinstance(tree, pikepdf.Dictionary):
            self.fail("01-005", None, "catalog", "no /StructTreeRoot: nothing is tagged, a screen reader gets no structure")
            return
        rolemap = tree.get("/RoleMap")
        if isinstance(rolemap, pikepdf.Dictionary):
            self.rolemap = {str(k)[1:]: _name(v) or "" for k, v in rolemap.items()}
        self.role_map_problems()
        self.parent_tree = number_tree(tree.get("/ParentTree"))
        for kid in _as_list(tree.get("/K")):
            if isinstance(kid, pikepdf.Dictionary):
                self.build(kid, None, None, 0)
        seen_roles: set[str] = set()
        for elem in self.elements:
            if not elem.type and elem.role not in seen_roles:
                seen_roles.add(elem.role)
                if elem.role not in self.rolemap:
                    self.fail("02-001", elem.page, elem.label(), f"structure type {elem.role!r} is not standard and has no role mapping")
            lang = elem.obj.get("/Lang")
            if lang is not None and not BCP47.match(_text(lang) or ""):
                self.fail("11-001", elem.page, elem.label(), f"/Lang {_text(lang)!r} is not a language tag (BCP 47)")
            if elem.type == "Figure" and not ((_text(elem.obj.get("/Alt")) or "").strip() or (_text(elem.obj.get("/ActualText")) or "").strip()):
                self.fail("13-004", elem.page, elem.label(), "a figure without alternative text: a screen reader says only 'graphic'")
            if elem.type == "Formula" and not (_text(elem.obj.get("/Alt")) or "").strip():
                self.fail("17-002", elem.page, elem.label(), "a formula without alternative text")
        self.headings()
        self.grammar()
        self.tables()
        self.notes()

    def role_map_problems(self) -> None:
        for role, target in self.rolemap.items():
            if role in STANDARD_TYPES:
                self.fail("02-004", None, "/RoleMap", f"standard type {role!r} is remapped to {target!r}")
            seen = [role]
            current = target
            while current in self.rolemap and current not in STANDARD_TYPES:
                if current in seen:
                    self.fail("02-003", None, "/RoleMap", f"circular mapping: {' → '.join([*seen, current])}")
                    break
                seen.append(current)
                current = self.rolemap[current]
            else:
                if current not in STANDARD_TYPES:
                    self.fail("02-001", None, "/RoleMap", f"{role!r} maps to {current!r}, which is not a standard type")

    def build(self, obj: pikepdf.Dictionary, parent: Element | None, page: int | None, depth: int) -> None:
        key = _key(obj)
        if depth > 200 or (key != (0, 0) and key in self.by_key):
            self.fail("PDF-14.7", page, _ref(obj), "the structure tree loops or is absurdly deep")
            return
        pg = obj.get("/Pg")
        if isinstance(pg, pikepdf.Dictionary):
            page = self.page_index.get(pg.objgen, page)
        role = _name(obj.get("/S")) or ""
        elem = Element(obj, key, role, self.resolve(role), parent, page)
        self.elements.append(elem)
        if key != (0, 0):
            self.by_key[key] = elem
        if parent:
            parent.kids.append(elem)
        for kid in _as_list(obj.get("/K")):
            if isinstance(kid, int):
                elem.mcids.append((page, int(kid), None))
            elif isinstance(kid, pikepdf.Dictionary):
                kind = _name(kid.get("/Type"))
                if kind == "MCR" or ("/MCID" in kid and "/S" not in kid):
                    kpg = kid.get("/Pg")
                    kpage = self.page_index.get(kpg.objgen, page) if isinstance(kpg, pikepdf.Dictionary) else page
                    stm = kid.get("/Stm")
                    elem.mcids.append((kpage, int(kid.MCID), stm.objgen if isinstance(stm, pikepdf.Stream) else None))
                elif kind == "OBJR":
                    target = kid.get("/Obj")
                    if target is None:
                        self.fail("PDF-14.7", page, elem.label(), "an OBJR that refers to no object")
                    else:
                        elem.objrs.append(target)
                else:
                    self.build(kid, elem, page, depth + 1)

    def headings(self) -> None:
        numbered = [e for e in self.elements if e.type in HEADINGS]
        plain = [e for e in self.elements if e.type == "H"]
        if numbered and plain:
            self.fail("14-007", plain[0].page, plain[0].label(), f"the document uses both H and {numbered[0].type} headings")
        if numbered and numbered[0].type != "H1":
            self.fail("14-002", numbered[0].page, numbered[0].label(), f"the first heading is {numbered[0].type}, not H1")
        level = int(numbered[0].type[1]) if numbered else 0  # a wrong first heading is 14-002's, not also 14-003's
        for e in numbered:
            n = int(e.type[1])
            if n > level + 1:
                self.fail("14-003", e.page, e.label(), f"heading level {n} follows level {level}: a level is skipped")
            level = n
        for e in self.elements:
            if sum(k.type == "H" for k in e.kids) > 1:
                self.fail("14-006", e.page, e.label(), "more than one H in one node")

    def grammar(self) -> None:
        """Tables, lists, TOCs, Ruby and Warichu as ISO 32000-1 Tables 333, 336, 337 and 338 build them."""
        children = {
            "TR": ({"TH", "TD"}, "09-004"),
            "THead": ({"TR"}, "09-004"),
            "TBody": ({"TR"}, "09-004"),
            "TFoot": ({"TR"}, "09-004"),
            "L": ({"LI", "L", "Caption"}, "09-005"),
            "LI": ({"Lbl", "LBody"}, "09-005"),
            "TOC": ({"TOC", "TOCI", "Caption"}, "09-006"),
            "TOCI": ({"TOC", "Lbl", "Reference", "P", "NonStruct"}, "09-006"),
            "Ruby": ({"RB", "RT", "RP"}, "09-007"),
            "Warichu": ({"WT", "WP"}, "09-008"),
        }
        parents = {
            "TR": ({"Table", "THead", "TBody", "TFoot"}, "09-004"),
            "TH": ({"TR"}, "09-004"),
            "TD": ({"TR"}, "09-004"),
            "THead": ({"Table"}, "09-004"),
            "TBody": ({"Table"}, "09-004"),
            "TFoot": ({"Table"}, "09-004"),
            "LI": ({"L"}, "09-005"),
            "LBody": ({"LI"}, "09-005"),
            "TOCI": ({"TOC"}, "09-006"),
            "RB": ({"Ruby"}, "09-007"),
            "RT": ({"Ruby"}, "09-007"),
            "WT": ({"Warichu"}, "09-008"),
        }
        for e in self.elements:
            if e.type in children:
                allowed, checkpoint = children[e.type]
                wrong = [k for k in e.kids if k.type not in allowed]
                if wrong:
                    self.fail(checkpoint, e.page, e.label(), f"holds {', '.join(sorted({k.role for k in wrong}))}; a {e.type} may hold only {', '.join(sorted(allowed))}")
            if e.type in parents:
                allowed, checkpoint = parents[e.type]
                if e.parent is None or e.parent.type not in allowed:
                    inside = e.parent.role if e.parent else "the root"
                    self.fail(checkpoint, e.page, e.label(), f"sits in {inside}; a {e.type} belongs in {' or '.join(sorted(allowed))}")
            if e.type == "L" and not any(k.type in ("LI", "L") for k in e.kids):
                self.fail("09-005", e.page, e.label(), "a list without list items")
            if e.type == "Table":
                self.table_grammar(e)

    def table_grammar(self, table: Element) -> None:
        kinds = [k.type for k in table.kids]
        if kinds[:1] == ["Caption"]:
            kinds = kinds[1:]
        elif kinds[-1:] == ["Caption"]:
            kinds = kinds[:-1]
        rows_only = bool(kinds) and all(k == "TR" for k in kinds)
        groups = bool(kinds) and re.fullmatch(r"(THead,)?(TBody,)+(TFoot,)?", "".join(k + "," for k in kinds)) is not None
        if not (rows_only or groups):
            self.fail("09-004", table.page, table.label(), f"holds {kinds or 'nothing'}; a table holds rows (TR), or THead? TBody+ TFoot?, and one Caption")

    def tables(self) -> None:
        """15-003: a TH needs a Scope unless the table's cells name their headers (Headers and ID)."""
        for table in (e for e in self.elements if e.type == "Table"):
            cells = [e for e in table.walk() if e.type in ("TH", "TD") and _owning_table(e) is table]
            ids = {_text(c.obj.get("/ID")) for c in cells if c.type == "TH"} - {None}
            organised = True  # every data cell names its headers, and they are header cells of this table
            for td in (c for c in cells if c.type == "TD"):
                named = [_text(h) for a in _attributes(td.obj) for h in _as_list(a.get("/Headers"))]
                unknown = [h for h in named if h not in ids]
                if unknown:
                    self.fail("15-003", td.page, td.label(), f"/Headers names {unknown[:3]}, which are no header cells of its table")
                organised = organised and bool(named) and not unknown
            if organised:
                continue
            for th in (c for c in cells if c.type == "TH"):
                scope = next((_name(a.get("/Scope")) for a in _attributes(th.obj) if "/Scope" in a), None)
                if scope not in ("Row", "Column", "Both"):
                    self.fail("15-003", th.page, th.label(), "a header cell without Scope in a table whose data cells do not all "
                                                             "name their headers: a screen reader cannot tell what it heads")

    def notes(self) -> None:
        ids = Counter()
        for e in (e for e in self.elements if e.type == "Note"):
            note_id = _text(e.obj.get("/ID"))
            if not note_id:
                self.fail("19-003", e.page, e.label(), "a Note without /ID")
            else:
                ids[note_id] += 1
        for note_id, n in ids.items():
            if n > 1:
                self.fail("19-004", None, "Note elements", f"/ID {note_id!r} is used by {n} notes")

    # -- content --------------------------------------------------------------------------------------------

    def claimed_mcids(self) -> dict[tuple[int | None, tuple[int, int] | None], dict[int, Element]]:
        """MCIDs the structure tree claims, by (page, stream): an element reachable from the root lists them."""
        claimed: dict[tuple[int | None, tuple[int, int] | None], dict[int, Element]] = defaultdict(dict)
        for e in self.elements:
            for page, mcid, stream in e.mcids:
                if page is None and stream is None:
                    self.fail("PDF-14.7", None, e.label(), f"refers to MCID {mcid} without saying on which page (/Pg)")
                    continue
                claimed[(page, stream)][mcid] = e
        return claimed

    def content(self, index: int, page: pikepdf.Page, claimed: dict) -> None:
        """Every text and painting operator must lie in an Artifact or in a sequence whose MCID the tree claims."""
        pageobj = page.obj
        state = _ContentState(index)
        try:
            self.stream(pageobj, _inherited(pageobj, "/Resources"), [], state, None, None, 0)
        except pikepdf.PdfError as err:
            self.fail("PDF-14.7", index, f"page content ({_ref(pageobj)})", f"cannot be parsed: {err}")
            return
        if state.untagged:
            examples = "; ".join(state.examples[:3])
            self.fail("01-005", index, f"page content ({_ref(pageobj)})",
                      f"{state.untagged} text or drawing operators are neither artifact nor tagged (e.g. {examples})")
        for checkpoint, (n, example) in sorted(state.nesting.items()):
            what = "an artifact inside tagged content" if checkpoint == "01-003" else "tagged content inside an artifact"
            self.fail(checkpoint, index, f"page content ({_ref(pageobj)})", f"{n}× {what} (e.g. {example})")
        owners = {None: pageobj.get("/StructParents")}
        owners.update({key: self.pdf.get_object(key).get("/StructParents") for key in state.mcids if key is not None})
        for owner, struct_parents in owners.items():
            self.match_mcids(index, owner, struct_parents, state.mcids.get(owner, {}), claimed.get((index, owner), {}))
        for (stream_page, stream), mcids in claimed.items():
            if stream is not None and stream_page == index and stream not in state.mcids:
                self.fail("PDF-14.7", index, f"obj {stream[0]} {stream[1]}",
                          f"the structure refers to MCIDs {sorted(mcids)[:8]} in a stream that has none")

    def match_mcids(self, index: int, owner: tuple[int, int] | None, struct_parents: pikepdf.Object | None,
                    shown: dict[int, str], tree: dict[int, Element]) -> None:
        """The MCIDs of one content stream against the elements that claim them and the /ParentTree."""
        where = f"page content ({_ref(self.pages[index].obj)})" if owner is None else f"form XObject obj {owner[0]} {owner[1]}"
        unclaimed = {m: t for m, t in shown.items() if m not in tree}
        if unclaimed:
            sample = ", ".join(f"{m} {t.strip()[:40]!r}" for m, t in list(unclaimed.items())[:4])
            self.fail("01-005", index, where, f"{len(unclaimed)} tagged sequences belong to no structure element in the tree, "
                                              f"so a screen reader never reads them: MCID {sample}")
        missing = sorted(set(tree) - set(shown))
        if missing:
            elems = ", ".join(tree[m].label() for m in missing[:3])
            self.fail("PDF-14.7", index, elems, f"the structure refers to MCIDs {missing[:8]} that {where} does not have")
        if not shown:
            return
        if struct_parents is None:
            self.fail("PDF-14.7", index, where, "has tagged content but no /StructParents, so it cannot be traced to its elements")
            return
        listed = self.parent_tree.get(int(struct_parents))
        parents = list(listed) if isinstance(listed, pikepdf.Array) else []
        wrong = [m for m in shown if m in tree and not (
            m < len(parents) and isinstance(parents[m], pikepdf.Dictionary) and parents[m].objgen == tree[m].key)]
        if wrong:
            self.fail("PDF-14.7", index, f"/ParentTree entry {int(struct_parents)}",
                      f"disagrees with the structure tree for MCIDs {wrong[:8]}")

    def stream(self, obj: pikepdf.Object, resources: pikepdf.Object, stack: list[tuple[str, int | None]],
               state: _ContentState, owner: tuple[int, int] | None, form: tuple[int, int] | None, depth: int) -> None:
        """Walk one content stream; `owner` is whose /StructParents its MCIDs use (None: the page's), `form` the XObject."""
        font: _Font | None = None
        for operands, operator in pikepdf.parse_content_stream(obj):
            op = str(operator)
            if op in ("BMC", "BDC"):
                tag = _name(operands[0]) or ""
                props = operands[1] if op == "BDC" and len(operands) > 1 else None
                if isinstance(props, pikepdf.Name):
                    props = _resource(resources, "/Properties", props)
                mcid = int(props.MCID) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None
                if tag == "Artifact" and any(m is not None for _, m in stack):
                    state.nest("01-003", f"Artifact inside MCID {next(m for _, m in reversed(stack) if m is not None)}")
                if mcid is not None and any(t == "Artifact" for t, _ in stack):
                    state.nest("01-004", f"MCID {mcid} inside an Artifact")
                if mcid is not None:
                    state.mcids.setdefault(owner, {}).setdefault(mcid, "")
                    if form is not None:
                        self.forms_with_mcids.add(form)
                stack.append((tag, mcid))
            elif op == "EMC":
                if stack:
                    stack.pop()
            elif op == "Tf":
                font = self.font(_resource(resources, "/Font", operands[0]))
            elif op in TEXT_OPERATORS or op in PAINT_OPERATORS or op == "Do":
                shown = ""
                if op in TEXT_OPERATORS and font is not None:
                    codes = font.codes(_strings(operands))
                    font.used.update(codes)
                    shown = font.decode(codes)
                if op == "Do":
                    xobj = _resource(resources, "/XObject", operands[0])
                    if isinstance(xobj, pikepdf.Stream) and _name(xobj.get("/Subtype")) == "Form":
                        self.form_draws[xobj.objgen] += 1
                        if depth < 12:
                            inner_owner = xobj.objgen if xobj.get("/StructParents") is not None else owner
                            self.stream(xobj, xobj.get("/Resources", resources), list(stack), state, inner_owner, xobj.objgen, depth + 1)
                        continue
                innermost = next((m for _, m in reversed(stack) if m is not None), None)
                if innermost is not None and shown:
                    state.mcids[owner][innermost] += shown
                if not any(t == "Artifact" or m is not None for t, m in stack):
                    state.untagged += 1
                    if len(state.examples) < 3:
                        state.examples.append(f"text {shown[:30]!r}" if shown else f"'{op}'")

    # -- annotations and forms -----------------------------------------------------------------------------

    def element_of(self, annot: pikepdf.Dictionary) -> Element | None:
        """The reachable structure element that holds `annot` through /StructParent, /ParentTree and an OBJR."""
        sp = annot.get("/StructParent")
        if sp is None:
            return None
        target = self.parent_tree.get(int(sp))
        if not isinstance(target, pikepdf.Dictionary):
            return None
        elem = self.by_key.get(target.objgen)
        if elem is None or not any(isinstance(o, pikepdf.Dictionary) and o.objgen == annot.objgen for o in elem.objrs):
            return None
        return elem

    def annotations(self, index: int, page: pikepdf.Page) -> None:
        annots = [a for a in _as_list(page.obj.get("/Annots")) if isinstance(a, pikepdf.Dictionary)]
        if not annots:
            return
        tabs = _name(page.obj.get("/Tabs"))
        if tabs is None:
            self.fail("28-008", index, f"page {_ref(page.obj)}", "has annotations but no /Tabs: the tab order need not follow the structure")
        elif tabs != "S":
            self.fail("28-009", index, f"page {_ref(page.obj)}", f"/Tabs is /{tabs}, not /S: the tab order does not follow the structure")
        for annot in annots:
            subtype = _name(annot.get("/Subtype")) or ""
            label = f"{subtype or 'untyped'} annotation {_ref(annot)}"
            if subtype not in ANNOTATION_SUBTYPES:
                self.fail("28-006", index, label, f"subtype {subtype!r} is not defined in ISO 32000-1")
            if subtype == "TrapNet":
                self.fail("28-007", index, label, "TrapNet annotations are not allowed")
            if subtype == "Popup":
                continue
            elem = self.element_of(annot)
            if subtype == "PrinterMark":
                if annot.get("/StructParent") is not None:
                    self.fail("28-017", index, label, "a printer mark is in the structure tree")
                continue
            hidden = int(annot.get("/F", 0)) & 2
            if elem is None and not hidden:
                checkpoint = {"Widget": "28-010", "Link": "28-011"}.get(subtype, "28-002")
                self.fail(checkpoint, index, label, "is not in the structure tree (no /StructParent, or no element holds it through an OBJR): a screen reader skips it")
            elif elem is not None:
                wanted = {"Widget": ("Form", "28-010"), "Link": ("Link", "28-011")}.get(subtype, ("Annot", "28-002"))
                if elem.type != wanted[0]:
                    self.fail(wanted[1], index, label, f"sits in {elem.label()}, not in a {wanted[0]} element")
            alt = (_text(elem.obj.get("/Alt")) or "").strip() if elem else ""
            contents = (_text(annot.get("/Contents")) or "").strip()
            if subtype == "Link" and not contents:
                self.fail("28-012", index, label, "a link without /Contents: a screen reader cannot say where it goes")
            elif subtype not in ("Widget", "Link") and not contents and not alt:
                self.fail("28-004", index, label, "no /Contents and no /Alt on its element")

    def forms(self) -> None:
        acro = self.root.get("/AcroForm")
        if not isinstance(acro, pikepdf.Dictionary):
            return
        for fld in _fields(acro.get("/Fields")):
            if (_text(fld.get("/TU")) or "").strip():
                continue
            widgets = [fld] if "/Subtype" in fld else [k for k in _as_list(fld.get("/Kids")) if isinstance(k, pikepdf.Dictionary)]
            elems = [self.element_of(w) for w in widgets]
            if elems and all(e is not None and (_text(e.obj.get("/Alt")) or "").strip() for e in elems):
                continue
            page = self.page_index.get(fld.P.objgen) if isinstance(fld.get("/P"), pikepdf.Dictionary) else None
            self.fail("28-005", page, f"field {_text(fld.get('/T'))!r} ({_ref(fld)})", "no /TU (and no /Alt): a screen reader announces it without a name")

    # -- fonts and XObjects ----------------------------------------------------------------------------------

    def font(self, obj: pikepdf.Object | None) -> _Font | None:
        if not isinstance(obj, pikepdf.Dictionary):
            return None
        key = obj.objgen
        if key in self.fonts and key != (0, 0):
            return self.fonts[key]
        subtype = _name(obj.get("/Subtype"))
        name = _name(obj.get("/BaseFont")) or _ref(obj)
        tounicode = obj.get("/ToUnicode")
        unicode = parse_tounicode(tounicode.read_bytes()) if isinstance(tounicode, pikepdf.Stream) else None
        identity = False
        if subtype == "Type0":
            descendant = _as_list(obj.get("/DescendantFonts"))[0] if obj.get("/DescendantFonts") is not None else None
            encoding = obj.get("/Encoding")
            gidmap = descendant.get("/CIDToGIDMap") if isinstance(descendant, pikepdf.Dictionary) else None
            identity = _name(encoding) in ("Identity-H", "Identity-V") and (
                _name(descendant.get("/Subtype")) == "CIDFontType0" or _name(gidmap) == "Identity")
        font = _Font(obj, name, subtype == "Type0", unicode, identity)
        self.fonts[key] = font
        return font

    def fonts_used(self) -> None:
        for font in self.fonts.values():
            obj, label = font.obj, f"font {font.name} ({_ref(font.obj)})"
            subtype = _name(obj.get("/Subtype"))
            program = obj
            if subtype == "Type0":
                kids = _as_list(obj.get("/DescendantFonts"))
                program = kids[0] if kids else obj
                encoding = obj.get("/Encoding")
                if isinstance(encoding, pikepdf.Name) and _name(encoding) not in PREDEFINED_CMAPS:
                    self.fail("31-006", None, label, f"CMap {encoding} is neither predefined nor embedded")
                if _name(program.get("/Subtype")) == "CIDFontType2":
                    gidmap = program.get("/CIDToGIDMap")
                    if gidmap is None:
                        self.fail("31-005", None, label, "a Type 2 CIDFont without /CIDToGIDMap")
                    elif not (isinstance(gidmap, pikepdf.Stream) or _name(gidmap) == "Identity"):
                        self.fail("31-004", None, label, "/CIDToGIDMap is neither /Identity nor a stream")
            if subtype != "Type3":
                descriptor = program.get("/FontDescriptor")
                if not (isinstance(descriptor, pikepdf.Dictionary) and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))):
                    self.fail("31-009", None, label, "the font program is not embedded: the text may show in another font or not at all")
            if font.unicode is None:
                encoding = obj.get("/Encoding")
                symbolic = isinstance(program.get("/FontDescriptor"), pikepdf.Dictionary) and int(program.FontDescriptor.get("/Flags", 0)) & 4
                collection = ""
                if subtype == "Type0" and isinstance(program.get("/CIDSystemInfo"), pikepdf.Dictionary):
                    info = program.CIDSystemInfo
                    collection = f"{_text(info.get('/Registry'))}-{_text(info.get('/Ordering'))}"
                ok = (str(encoding) in STANDARD_ENCODINGS or (subtype == "TrueType" and not symbolic)
                      or collection in ("Adobe-GB1", "Adobe-CNS1", "Adobe-Japan1", "Adobe-Korea1"))
                if not ok:
                    self.fail("10-001", None, label, "no /ToUnicode and no standard encoding: a screen reader cannot read its text")
            else:
                unmapped = sorted(c for c in font.used if c not in font.unicode)
                if unmapped:
                    self.fail("10-001", None, label, f"codes {[hex(c) for c in unmapped[:6]]} have no Unicode value in /ToUnicode")
                values = {font.unicode[c] for c in font.used if c in font.unicode}
                if any("\x00" in v for v in values):
                    self.fail("31-028", None, label, "/ToUnicode maps a used code to U+0000")
                if any("\ufeff" in v or "\ufffe" in v for v in values):
                    self.fail("31-029", None, label, "/ToUnicode maps a used code to U+FEFF or U+FFFE")
            if font.identity_gids and 0 in font.used:
                self.fail("31-030", None, label, "text shows the .notdef glyph (glyph 0): a character the font does not have")

    def xobjects(self) -> None:
        for key, n in self.form_draws.items():
            if n > 1 and key in self.forms_with_mcids:
                self.fail("30-002", None, f"form XObject obj {key[0]} {key[1]}", f"holds MCIDs and is drawn {n} times")
        for obj in self.pdf.objects:
            if isinstance(obj, pikepdf.Stream) and _name(obj.get("/Subtype")) == "Form" and "/Ref" in obj:
                self.fail("30-001", None, f"form XObject {_ref(obj)}", "a reference XObject (its content lives in another file)")


@dataclass
class _ContentState:
    page: int
    untagged: int = 0
    examples: list[str] = field(default_factory=list)
    mcids: dict[tuple[int, int] | None, dict[int, str]] = field(default_factory=dict)  # owner → MCID → text shown
    nesting: dict[str, tuple[int, str]] = field(default_factory=dict)

    def nest(self, checkpoint: str, example: str) -> None:
        n, first = self.nesting.get(checkpoint, (0, example))
        self.nesting[checkpoint] = (n + 1, first)


def _inherited(obj: pikepdf.Dictionary, key: str) -> pikepdf.Object:
    node: pikepdf.Object | None = obj
    for _ in range(64):
        if not isinstance(node, pikepdf.Dictionary):
            break
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return pikepdf.Dictionary()


def _resource(resources: pikepdf.Object, kind: str, name: pikepdf.Object) -> pikepdf.Object | None:
    if not isinstance(resources, pikepdf.Dictionary):
        return None
    group = resources.get(kind)
    return group.get(str(name)) if isinstance(group, pikepdf.Dictionary) else None


def _strings(operands: Sequence[pikepdf.Object]) -> bytes:
    """The bytes a text operator shows (its strings, or the strings of its TJ array)."""
    out = []
    for operand in operands:
        if isinstance(operand, pikepdf.String):
            out.append(bytes(operand))
        elif isinstance(operand, pikepdf.Array):
            out += [bytes(s) for s in operand if isinstance(s, pikepdf.String)]
    return b"".join(out)


def _attributes(obj: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    """An element's attribute dictionaries (/A may be one, or an array with revision numbers)."""
    return [a for a in _as_list(obj.get("/A")) if isinstance(a, pikepdf.Dictionary)]


def _owning_table(elem: Element) -> Element | None:
    node = elem.parent
    while node is not None and node.type != "Table":
        node = node.parent
    return node


def _name_tree_values(node: pikepdf.Object, depth: int = 0) -> Iterator[pikepdf.Object]:
    if not isinstance(node, pikepdf.Dictionary) or depth > 32:
        return
    names = _as_list(node.get("/Names"))
    yield from names[1::2]
    for kid in _as_list(node.get("/Kids")):
        yield from _name_tree_values(kid, depth + 1)


def _fields(fields: pikepdf.Object | None, depth: int = 0) -> Iterator[pikepdf.Dictionary]:
    """Every field that carries a name (/T): the ones a screen reader announces."""
    for fld in _as_list(fields):
        if not isinstance(fld, pikepdf.Dictionary) or depth > 32:
            continue
        if "/T" in fld:
            yield fld
        named_kids = [k for k in _as_list(fld.get("/Kids")) if isinstance(k, pikepdf.Dictionary) and "/T" in k]
        yield from _fields(pikepdf.Array(named_kids), depth + 1) if named_kids else ()


# -- reading order --------------------------------------------------------------------------------------------

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in points, top-down as pdfplumber gives them
INLINE_TYPES = frozenset({"Span", "Link", "Quote", "Reference", "Code", "Lbl", "LBody", "NonStruct", "Annot",
                          "Ruby", "RB", "RT", "RP", "Warichu", "WT", "WP", "Form", "Private"})


@dataclass(frozen=True)
class Line:
    """One marked-content sequence as a screen reader meets it: its page, its block element, its text and place."""

    page: int  # 1-based
    mcid: int
    block: str  # the standard type of the nearest block-level element: P, H2, LI, TD, Div ...
    block_id: tuple[int, int]
    text: str
    bbox: BBox | None  # None when it shows no characters


@dataclass(frozen=True)
class Reading:
    """A PDF's text in structure order, and the text a sighted reader sees that the structure leaves out."""

    lines: list[Line]
    figures: list[tuple[int | None, str]]  # (page, alternative text), in structure order
    artifacts: dict[int, str]  # page → text marked as artifact
    untagged: dict[int, str]  # page → text neither artifact nor in the structure

    def text(self, page: int | None = None) -> str:
        """The words in structure order, one space between, optionally of one page."""
        return " ".join(" ".join(ln.text.split()) for ln in self.lines if (page is None or ln.page == page) and ln.text.strip())

    def blocks(self, page: int | None = None) -> list[tuple[str, str]]:
        """(block type, text) for each block element in structure order, optionally of one page: roughly what a
        screen reader says."""
        out: list[list] = []
        previous: Line | None = None
        for ln in (ln for ln in self.lines if page is None or ln.page == page):
            if out and out[-1][2] == ln.block_id:
                glued = previous is not None and _adjacent(previous.bbox, ln.bbox)  # a link or a bold word inside a line
                out[-1][1] += ("" if glued else " ") + ln.text
            else:
                out.append([ln.block, ln.text, ln.block_id])
            previous = ln if ln.text.strip() else previous
        return [(b, " ".join(t.split())) for b, t, _ in out if t.strip()]


def _adjacent(a: BBox | None, b: BBox | None) -> bool:
    """Whether `b` continues `a` on the same line without a gap."""
    return a is not None and b is not None and abs(a[3] - b[3]) < 1 and -0.5 < b[0] - a[2] < 0.5


def read(pdf: Path | str) -> Reading:
    """The text of `pdf` in structure order: walk the structure tree, map each MCID to the characters it shows."""
    from conftest import plumbed  # pdfplumber's reading of a page, kept for the other tests that read it

    with pikepdf.open(pdf) as doc:
        checker = _Checker(doc)
        tree = doc.Root.get("/StructTreeRoot")
        if isinstance(tree, pikepdf.Dictionary):
            checker.rolemap = {str(k)[1:]: _name(v) or "" for k, v in tree.get("/RoleMap", pikepdf.Dictionary()).items()}
            for kid in _as_list(tree.get("/K")):
                if isinstance(kid, pikepdf.Dictionary):
                    checker.build(kid, None, None, 0)
        order: list[tuple[int | None, int, Element]] = []
        figures: list[tuple[int | None, str]] = []
        for e in checker.elements:
            if e.type == "Figure":
                figures.append((None if e.page is None else e.page + 1, _text(e.obj.get("/Alt")) or _text(e.obj.get("/ActualText")) or ""))
            order += [(page, mcid, e) for page, mcid, stm in e.mcids if stm is None]

    chars: dict[tuple[int, int], list[dict]] = defaultdict(list)
    artifacts: dict[int, list[dict]] = defaultdict(list)
    loose: dict[int, list[dict]] = defaultdict(list)
    with plumbed(pdf) as doc:
        for i, page in enumerate(doc.pages):
            for c in page.chars:
                if c.get("mcid") is not None:
                    chars[(i, c["mcid"])].append(c)
                elif c.get("tag") == "Artifact":
                    artifacts[i + 1].append(c)
                else:
                    loose[i + 1].append(c)

    lines = []
    used = set()
    for page, mcid, elem in order:
        if page is None:
            continue
        used.add((page, mcid))
        cs = chars.get((page, mcid), [])
        block = elem
        while block.parent is not None and block.type in INLINE_TYPES:
            block = block.parent
        bbox = (min(c["x0"] for c in cs), min(c["top"] for c in cs), max(c["x1"] for c in cs), max(c["bottom"] for c in cs)) if cs else None
        lines.append(Line(page + 1, mcid, block.type or block.role, block.key, _chars_text(cs), bbox))
    for (page, mcid), cs in chars.items():
        if (page, mcid) not in used:
            loose[page + 1] += cs
    return Reading(lines, figures, {p: _chars_text(cs) for p, cs in artifacts.items()},
                   {p: _chars_text(cs) for p, cs in loose.items() if _chars_text(cs).strip()})


def _chars_text(cs: Sequence[dict]) -> str:
    """Characters as a sighted reader reads them: line by line from the top, left to right, spaces where there is a gap."""
    if not cs:
        return ""
    rows: list[list[dict]] = []
    for c in sorted(cs, key=lambda c: (round(c["bottom"], 0), c["x0"])):
        if rows and abs(rows[-1][0]["bottom"] - c["bottom"]) < 0.3 * max(c["size"], 1):
            rows[-1].append(c)
        else:
            rows.append([c])
    out = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        text = ""
        for prev, c in zip([None, *row], row):
            if prev is not None and c["x0"] - prev["x1"] > 0.15 * c["size"] and not text.endswith(" ") and c["text"] != " ":
                text += " "
            text += c["text"]
        out.append(text)
    return " ".join(out)  # a line's own trailing space stays: the next line of its block may continue it


def _before(a: BBox, b: BBox, tolerance: float = 1.0) -> bool:
    """Whether a sighted reader reads box `a` before box `b`: above it in the same column, or left of it on the same line."""
    h_overlap = min(a[2], b[2]) - max(a[0], b[0])
    v_overlap = min(a[3], b[3]) - max(a[1], b[1])
    if h_overlap > tolerance and a[3] <= b[1] + tolerance:
        return True
    return v_overlap > 0.5 * min(a[3] - a[1], b[3] - b[1]) and a[2] <= b[0] + tolerance


def reading_problems(pdf: Path | str, regions: Mapping[int, Sequence[BBox]] | None = None,
                     reading: Reading | None = None, limit: int = 5) -> list[str]:
    """Where the structure order differs from what a sighted reader sees.

    - Text on the page that is neither in the structure nor an artifact (a screen reader never reads it).
    - Two lines in the wrong order: a line is read after another that lies below it in the same column or
      right of it on the same line. Lines in different columns and rows are not ordered against each other,
      so columns read one after the other and tables read row by row or cell by cell both pass.
    - `regions` (page, 1-based → boxes): the text inside each box (a puzzle piece, a table cell) must be read
      in one go, not interrupted by text from elsewhere on the page.
    """
    reading = reading or read(pdf)
    problems = [f"page {p}: a sighted reader sees {t[:120]!r}, which is neither in the structure nor an artifact"
                for p, t in sorted(reading.untagged.items())]
    by_page: dict[int, list[Line]] = defaultdict(list)
    for ln in reading.lines:
        if ln.bbox is not None and ln.text.strip():
            by_page[ln.page].append(ln)
    for page, lines in sorted(by_page.items()):
        found = 0
        for j, later in enumerate(lines):
            for earlier in lines[:j]:
                if _before(later.bbox, earlier.bbox):
                    found += 1
                    if found <= limit:
                        where = "above" if later.bbox[3] <= earlier.bbox[1] + 1 else "left of"
                        problems.append(f"page {page}: {later.text.strip()[:50]!r} {_at(later.bbox)} is read after "
                                        f"{earlier.text.strip()[:50]!r} {_at(earlier.bbox)}, but it stands {where} it")
                    break
        if found > limit:
            problems.append(f"page {page}: {found - limit} more lines out of order")
        for box in (regions or {}).get(page, ()):
            inside = [i for i, ln in enumerate(lines) if _centre_in(ln.bbox, box)]
            if inside and inside[-1] - inside[0] + 1 != len(inside):
                intruders = [lines[i].text for i in range(inside[0], inside[-1]) if i not in inside]
                problems.append(f"page {page}: the text of the box at {tuple(round(v) for v in box)} "
                                f"({' '.join(lines[inside[0]].text.split())[:40]!r} …) is interrupted by {intruders[0][:40]!r}")
    return problems


def _at(bbox: BBox) -> str:
    """Where a box's top left corner stands, in millimetres from the page's top left, as a reader measures it."""
    return f"(at {bbox[0] * 25.4 / 72:.0f}, {bbox[1] * 25.4 / 72:.0f} mm)"


def _centre_in(bbox: BBox, box: BBox) -> bool:
    x, y = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]

"""A print shop's PDF: what WeasyPrint cannot write for PDF/X-4, added to its PDF/UA-1 file with pikepdf.

WeasyPrint 70 writes, when the CSS asks: page boxes from `@page { bleed }` (a TrimBox and
a BleedBox on every page, the MediaBox the bleed's size), embedded font subsets, CMYK from
`device-cmyk()`, tags. It cannot write a spot colour, an optional content group, marks in
the registration colour, a deterministic PDF/X identification or an output intent with a
registered condition, and its `pdf/x-4` variant drops the PDF/UA claim (one variant a
file). So samtale renders PDF/UA-1 with a 3 mm bleed and this module adds, deterministically:

* the PDF/X-4 identification in the XMP (`pdfxid:GTS_PDFXVersion`, the xmpMM ids from a hash
  of the content, `pdf:Trapped`), beside `pdfuaid:part 1` in the same rdf:RDF: ISO 15930-7
  and ISO 14289-1 ask for different keys, so one file can claim both; the Info dictionary in
  step with it; PDF 1.6, which PDF/X-4 is based on;
* the output intent `/GTS_PDFX` with samtale's FOGRA39 CMYK profile embedded;
* device-independent RGB: WeasyPrint writes sRGB as DeviceRGB, which PDF/X-4 with a CMYK
  intent allows only as /DefaultRGB [/ICCBased sRGB] (images and groups named /DeviceRGB
  get the ICC space itself), so the print shop's RIP converts it with a known profile;
* the page geometry: the BleedBox exactly the bleed outside the TrimBox, the MediaBox 10 mm
  outside it for the marks, the page's content clipped to the BleedBox;
* crop marks and registration targets in the slug, in the registration colour
  (`/Separation /All`), and any marks the product asks for (cards' crop marks);
* the cut lines in the spot colour `CutContour` (overprinting, 0.25 pt) on their own
  optional content group "CutContour", which print-and-cut RIPs recognise and a press
  does not print.

Everything added is an `/Artifact` (printer's marks are no content), so the file stays
PDF/UA-1 as far as PDF/X-4 allows: its only limit here is that a link annotation may not lie
on the printed page, and the print shop's skema prints its links as text and QR codes.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from collections.abc import Iterator, Sequence
from decimal import Decimal
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from ..core.colour import CMYK_CONDITION, CMYK_PROFILE
from ..geometry.imposition import Finish

PT = 72 / 25.4  # points per mm
SLUG = 10.0  # mm from the trim to the MediaBox's edge: room for the marks
CUT_LINE_PT = 0.25
MARK_LINE_PT = 0.25
CUT_SEPARATION = "CutContour"
CONDITION = ("Offset printing, according to ISO 12647-2:2004/Amd 1, OFCOM, paper type 1 or 2 = coated art, "
             "115 g/m2, tone value increase curves A (CMY) and B (K)")
DEFAULT_DATE = "2026-01-01T00:00:00+00:00"
# Crop marks start 1 mm past the bleed and are 5 mm long; a registration target (a circle and a cross) sits
# in the middle of each side, past the crop marks' start.
MARK_GAP, MARK_LENGTH, TARGET_RADIUS, TARGET_ARM = 1.0, 5.0, 2.0, 2.5

# Resource names of what is added; WeasyPrint's are short (s0, a1, x0, lab-d50), so these never collide.
_CS_CUT, _CS_ALL, _GS_CUT, _OC_CUT = "/SamtaleCutContour", "/SamtaleAll", "/SamtaleCutOverprint", "/SamtaleCutLayer"


def _num(v: float) -> str:
    """A number for a content stream: at most 4 decimals, no trailing zeros, never '-0'."""
    text = f"{v:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# --- paths and marks, as content-stream operators in points -----------------------------------

_TOKEN = re.compile(r"[MLCZ]|[-+]?(?:\d+\.?\d*|\.\d+)")
_ARITY = {"M": 1, "L": 1, "C": 3}


def path_operators(d: str, trim: Sequence[float]) -> str:
    """SVG path data of samtale's own (absolute M, L, C, Z; mm from the trim's top left, y down) as m, l, c, h."""
    llx, ury = trim[0], trim[3]
    tokens = _TOKEN.findall(d)
    ops: list[str] = []
    i = 0
    while i < len(tokens):
        command = tokens[i]
        i += 1
        if command == "Z":
            ops.append("h")
            continue
        if command not in _ARITY:
            raise ValueError(f"cannot read the cut path {d[:40]!r}")
        count = 2 * _ARITY[command]
        values = [float(t) for t in tokens[i:i + count]]
        i += count
        points = " ".join(f"{_num(llx + values[j] * PT)} {_num(ury - values[j + 1] * PT)}" for j in range(0, count, 2))
        ops.append(f"{points} {command.lower().replace('z', 'h')}")
    return "\n".join(ops)


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return f"{_num(x1)} {_num(y1)} m {_num(x2)} {_num(y2)} l"


def _circle(cx: float, cy: float, r: float) -> str:
    k = 0.5522847498 * r
    return "\n".join([
        f"{_num(cx + r)} {_num(cy)} m",
        f"{_num(cx + r)} {_num(cy + k)} {_num(cx + k)} {_num(cy + r)} {_num(cx)} {_num(cy + r)} c",
        f"{_num(cx - k)} {_num(cy + r)} {_num(cx - r)} {_num(cy + k)} {_num(cx - r)} {_num(cy)} c",
        f"{_num(cx - r)} {_num(cy - k)} {_num(cx - k)} {_num(cy - r)} {_num(cx)} {_num(cy - r)} c",
        f"{_num(cx + k)} {_num(cy - r)} {_num(cx + r)} {_num(cy - k)} {_num(cx + r)} {_num(cy)} c",
        "h",
    ])


def targets(trim: Sequence[float], bleed: float) -> list[tuple[float, float]]:
    """The registration targets' centres (points): the middle of each side, in the slug."""
    llx, lly, urx, ury = trim
    out = (bleed + MARK_GAP + TARGET_ARM) * PT
    mx, my = (llx + urx) / 2, (lly + ury) / 2
    return [(mx, ury + out), (mx, lly - out), (llx - out, my), (urx + out, my)]


def crop_lines(trim: Sequence[float], bleed: float) -> list[tuple[float, float, float, float]]:
    """The eight crop marks (points): on the trim lines, from 1 mm past the bleed, 5 mm long."""
    llx, lly, urx, ury = trim
    start, end = (bleed + MARK_GAP) * PT, (bleed + MARK_GAP + MARK_LENGTH) * PT
    lines = []
    for cx, sx in ((llx, -1), (urx, 1)):
        for cy, sy in ((lly, -1), (ury, 1)):
            lines += [(cx + sx * start, cy, cx + sx * end, cy), (cx, cy + sy * start, cx, cy + sy * end)]
    return lines


def _marks_stream(trim: Sequence[float], bleed: float, extra: Sequence[tuple[float, float, float, float]]) -> str:
    llx, ury = trim[0], trim[3]
    body = [_line(*line) for line in crop_lines(trim, bleed)]
    for tx, ty in targets(trim, bleed):
        arm = TARGET_ARM * PT
        body += [_line(tx - arm, ty, tx + arm, ty), _line(tx, ty - arm, tx, ty + arm), _circle(tx, ty, TARGET_RADIUS * PT)]
    body += [_line(llx + x1 * PT, ury - y1 * PT, llx + x2 * PT, ury - y2 * PT) for x1, y1, x2, y2 in extra]
    return "\n".join(["/Artifact <</Type /Page>> BDC", "q", f"{_CS_ALL} CS 1 SCN {_num(MARK_LINE_PT)} w 0 J 0 j [] 0 d",
                      *body, "S", "Q", "EMC"])


def _cut_stream(paths: Sequence[str], trim: Sequence[float]) -> str:
    if not paths:
        return ""
    return "\n".join([f"/Artifact <</Type /Page>> BDC /OC {_OC_CUT} BDC", "q",
                      f"{_GS_CUT} gs {_CS_CUT} CS 1 SCN {_num(CUT_LINE_PT)} w 1 J 1 j [] 0 d",
                      *(f"{path_operators(d, trim)}\nS" for d in paths), "Q", "EMC EMC"])


# --- metadata ----------------------------------------------------------------------------------


def _iso_date(value: object) -> str:
    """A PDF date (D:20260101000000+00'00') as ISO 8601; the default date if there is none."""
    m = re.match(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}'?\d{2}'?)?", str(value or ""))
    if not m:
        return DEFAULT_DATE
    *parts, tz = m.groups()
    zone = "+00:00" if not tz or tz == "Z" else f"{tz[:3]}:{tz[3:].strip(chr(39))[:2]}"
    return f"{parts[0]}-{parts[1]}-{parts[2]}T{parts[3]}:{parts[4]}:{parts[5]}{zone}"


def _pdf_date(iso: str) -> str:
    digits = re.sub(r"\D", "", iso[:19])
    zone = iso[19:]
    return "D:" + digits + ("Z" if zone in ("Z", "+00:00") else f"{zone[:3]}'{zone[4:]}'")


def xmp(*, title: str, date: str, document_id: str, instance_id: str, producer: str, creator_tool: str,
        authors: Sequence[str], description: str | None, keywords: str | None) -> bytes:
    """The XMP of a file that is PDF/X-4 (ISO 15930-7) and PDF/UA-1 (ISO 14289-1) in one rdf:RDF."""
    lines = [
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        ' xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        ' xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">',
        "<dc:format>application/pdf</dc:format>",
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>',
    ]
    if authors:
        lines.append("<dc:creator><rdf:Seq>" + "".join(f"<rdf:li>{escape(a)}</rdf:li>" for a in authors) + "</rdf:Seq></dc:creator>")
    if description:
        lines.append(f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(description)}</rdf:li></rdf:Alt></dc:description>')
    lines += [
        f"<xmp:CreateDate>{date}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{date}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{date}</xmp:MetadataDate>",
        f"<xmp:CreatorTool>{escape(creator_tool)}</xmp:CreatorTool>",
        f"<xmpMM:DocumentID>{document_id}</xmpMM:DocumentID>",
        f"<xmpMM:InstanceID>{instance_id}</xmpMM:InstanceID>",
        "<xmpMM:VersionID>1</xmpMM:VersionID>",
        "<xmpMM:RenditionClass>default</xmpMM:RenditionClass>",
        f"<pdf:Producer>{escape(producer)}</pdf:Producer>",
        *([f"<pdf:Keywords>{escape(keywords)}</pdf:Keywords>"] if keywords else []),
        "<pdf:Trapped>False</pdf:Trapped>",
        "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>",
        "<pdfuaid:part>1</pdfuaid:part>",
        "</rdf:Description>",
        "</rdf:RDF>",
        "</x:xmpmeta>",
        '<?xpacket end="w"?>',
    ]
    return "\n".join(lines).encode("utf-8")


# --- colour --------------------------------------------------------------------------------------


@cache
def _srgb_profile() -> bytes:
    """The sRGB profile WeasyPrint ships (ICC v2, the ICC's sRGB2014), for /DefaultRGB."""
    from importlib.resources import files

    return (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()


def _resources(pdf: Any) -> Iterator[Any]:
    """Every resource dictionary a content stream of the document runs with, once each: pages, form XObjects,
    patterns, soft masks, Type 3 fonts and annotation appearances."""
    import pikepdf

    seen: set[tuple[int, int]] = set()
    stack: list[Any] = []
    for page in pdf.pages:
        stack.append(page.obj.get("/Resources"))
        for annot in page.obj.get("/Annots", ()):
            for appearance in (annot.get("/AP") or {}).values():
                states = [appearance] if isinstance(appearance, pikepdf.Stream) else list(appearance.values())
                stack += [s.get("/Resources") for s in states if isinstance(s, pikepdf.Stream)]
    while stack:
        res = stack.pop()
        if not isinstance(res, pikepdf.Dictionary):
            continue
        if res.is_indirect:
            if res.objgen in seen:
                continue
            seen.add(res.objgen)
        yield res
        for xobject in (res.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Form":
                stack.append(xobject.get("/Resources"))
        for pattern in (res.get("/Pattern") or {}).values():
            stack.append(pattern.get("/Resources"))
        for state in (res.get("/ExtGState") or {}).values():
            mask = state.get("/SMask")
            if isinstance(mask, pikepdf.Dictionary) and mask.get("/G") is not None:
                stack.append(mask.G.get("/Resources"))
        for font in (res.get("/Font") or {}).values():
            if font.get("/Subtype") == "/Type3":
                stack.append(font.get("/Resources"))


def _device_independent(pdf: Any, srgb: Any) -> None:
    """/DefaultRGB in every resource dictionary, and the ICC sRGB space where /DeviceRGB is named directly."""
    import pikepdf

    def icc(space: Any) -> Any:
        if space == pikepdf.Name.DeviceRGB:
            return srgb
        if isinstance(space, pikepdf.Array) and len(space) == 4 and space[0] == pikepdf.Name.Indexed and space[1] == pikepdf.Name.DeviceRGB:
            return pikepdf.Array([pikepdf.Name.Indexed, srgb, space[2], space[3]])
        return None

    def fix(holder: Any, key: str) -> None:
        value = holder.get(key)
        if value is not None and (new := icc(value)) is not None:
            holder[key] = new

    for res in _resources(pdf):
        if "/ColorSpace" not in res:
            res.ColorSpace = pikepdf.Dictionary()
        for name in list(res.ColorSpace.keys()):
            fix(res.ColorSpace, name)
        res.ColorSpace.DefaultRGB = srgb
        for xobject in (res.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Image":
                fix(xobject, "/ColorSpace")
            elif isinstance(xobject.get("/Group"), pikepdf.Dictionary):
                fix(xobject.Group, "/CS")
        for shading in (res.get("/Shading") or {}).values():
            fix(shading, "/ColorSpace")
        for pattern in (res.get("/Pattern") or {}).values():
            if isinstance(pattern.get("/Shading"), pikepdf.Dictionary):
                fix(pattern.Shading, "/ColorSpace")
        for state in (res.get("/ExtGState") or {}).values():
            mask = state.get("/SMask")
            if isinstance(mask, pikepdf.Dictionary) and isinstance(mask.get("/G"), pikepdf.Stream) \
                    and isinstance(mask.G.get("/Group"), pikepdf.Dictionary):
                fix(mask.G.Group, "/CS")
    for page in pdf.pages:
        if isinstance(page.obj.get("/Group"), pikepdf.Dictionary):
            fix(page.obj.Group, "/CS")


def unembedded_fonts(pdf: Any) -> list[str]:
    """The fonts used without their program embedded (PDF/X wants every one embedded)."""
    missing = []
    for res in _resources(pdf):
        for font in (res.get("/Font") or {}).values():
            if font.get("/Subtype") == "/Type3":
                continue
            described = font.DescendantFonts[0] if font.get("/Subtype") == "/Type0" else font
            descriptor = described.get("/FontDescriptor")
            if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.append(str(font.get("/BaseFont", "?")))
    return sorted(set(missing))


# --- the whole -----------------------------------------------------------------------------------


def _box(obj: Any) -> list[float]:
    llx, lly, urx, ury = (float(v) for v in obj)
    return [min(llx, urx), min(lly, ury), max(llx, urx), max(lly, ury)]


def _grow(box: Sequence[float], by: float) -> list[float]:
    return [box[0] - by, box[1] - by, box[2] + by, box[3] + by]


def print_ready(data: bytes, finishes: Sequence[Finish], *, bleed: float = 3.0) -> bytes:
    """A PDF/UA-1 file that WeasyPrint laid out with `@page { bleed }` as a PDF/X-4 for a print shop.

    `finishes` are for the last pages, one each (the puzzle's sheets follow its guide); the other pages get
    the page marks only. Every page must reach `bleed` mm beyond its TrimBox. Same input, same bytes.
    """
    import pikepdf
    from pikepdf import Array, Dictionary, Name, Stream, String

    pdf = pikepdf.open(io.BytesIO(data))
    pages = list(pdf.pages)
    if len(finishes) > len(pages):
        raise ValueError(f"{len(finishes)} pages to finish, but the PDF has {len(pages)}")
    per_page = [Finish()] * (len(pages) - len(finishes)) + list(finishes)
    if missing := unembedded_fonts(pdf):
        raise ValueError(f"fonts not embedded, which a print shop's PDF/X needs: {', '.join(missing)}")
    profile = CMYK_PROFILE.read_bytes()
    digest = hashlib.sha256(data + profile + repr((finishes, bleed)).encode()).hexdigest()

    pdf.Root.OutputIntents = Array([pdf.make_indirect(Dictionary(
        Type=Name.OutputIntent, S=Name.GTS_PDFX, OutputConditionIdentifier=String(CMYK_CONDITION),
        OutputCondition=String(CONDITION), RegistryName=String("http://www.color.org"),
        Info=String("Coated FOGRA39L (samtale, ArgyllCMS)"),
        DestOutputProfile=pdf.make_indirect(Stream(pdf, profile, N=4)),
    ))])
    srgb = Array([Name.ICCBased, pdf.make_indirect(Stream(pdf, _srgb_profile(), N=3, Alternate=Name.DeviceRGB))])
    _device_independent(pdf, srgb)

    def separation(name: str, cmyk: list[int]) -> Any:
        tint = Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=cmyk, N=1)
        return pdf.make_indirect(Array([Name.Separation, Name("/" + name), Name.DeviceCMYK, tint]))

    cut_space, all_space = separation(CUT_SEPARATION, [0, 1, 0, 0]), separation("All", [1, 1, 1, 1])
    overprint = pdf.make_indirect(Dictionary(Type=Name.ExtGState, OP=True, op=True, OPM=1))
    layer = pdf.make_indirect(Dictionary(
        Type=Name.OCG, Name=String(CUT_SEPARATION), Intent=Array([Name.View, Name.Design]),
        Usage=Dictionary(CreatorInfo=Dictionary(Creator=String("samtale"), Subtype=Name.Technical),
                         Print=Dictionary(PrintState=Name.ON), View=Dictionary(ViewState=Name.ON)),
    ))
    pdf.Root.OCProperties = Dictionary(OCGs=Array([layer]), D=Dictionary(
        Name=String("samtale"), Order=Array([layer]), ON=Array([layer]), OFF=Array(), BaseState=Name.ON))

    for number, (page, finish) in enumerate(zip(pages, per_page), 1):
        obj = page.obj
        trim = _box(obj.TrimBox) if "/TrimBox" in obj else _box(obj.MediaBox)
        media = _box(obj.MediaBox)
        reach = min(trim[0] - media[0], trim[1] - media[1], media[2] - trim[2], media[3] - trim[3]) / PT
        if reach < bleed - 0.05:
            raise ValueError(f"page {number} reaches {max(reach, 0):.2f} mm past its trim, not the {bleed:g} mm bleed")
        bleed_box = _grow(trim, bleed * PT)
        obj.MediaBox = Array([Decimal(_num(v)) for v in _grow(trim, SLUG * PT)])
        obj.BleedBox = Array([Decimal(_num(v)) for v in bleed_box])
        obj.TrimBox = Array([Decimal(_num(v)) for v in trim])
        for key in ("/CropBox", "/ArtBox"):  # a CropBox would hide the marks; PDF/X-4 wants a TrimBox or an ArtBox
            if key in obj:
                del obj[key]
        res = obj.Resources
        res.ColorSpace[_CS_CUT] = cut_space
        res.ColorSpace[_CS_ALL] = all_space
        if "/ExtGState" not in res:
            res.ExtGState = Dictionary()
        res.ExtGState[_GS_CUT] = overprint
        if "/Properties" not in res:
            res.Properties = Dictionary()
        res.Properties[_OC_CUT] = layer
        x, y = bleed_box[0], bleed_box[1]
        clip = f"q\n{_num(x)} {_num(y)} {_num(bleed_box[2] - x)} {_num(bleed_box[3] - y)} re W n\n"
        page.contents_add(Stream(pdf, clip.encode()), prepend=True)
        tail = "\n".join(filter(None, ["Q", _marks_stream(trim, bleed, finish.marks), _cut_stream(finish.cuts, trim)]))
        page.contents_add(Stream(pdf, (tail + "\n").encode()), prepend=False)

    info = pdf.docinfo
    when = _iso_date(info.get("/CreationDate"))
    title = str(info.get("/Title", ""))
    creator = str(info.get("/Creator", "")) or "samtale"
    producer = f"{info.get('/Producer', 'WeasyPrint')}; pikepdf {pikepdf.__version__}"
    authors = [a.strip() for a in str(info.get("/Author", "")).split(",") if a.strip()]
    description = str(info["/Subject"]) if "/Subject" in info else None
    keywords = str(info["/Keywords"]) if "/Keywords" in info else None
    pdf.Root.Metadata = pdf.make_indirect(Stream(pdf, xmp(
        title=title, date=when, producer=producer, creator_tool=creator, authors=authors, description=description,
        keywords=keywords, document_id=f"uuid:{uuid.UUID(digest[:32], version=4)}",
        instance_id=f"uuid:{uuid.UUID(digest[32:], version=4)}"), Type=Name.Metadata, Subtype=Name.XML))
    fresh = Dictionary(Title=String(title), Creator=String(creator), Producer=String(producer),
                       CreationDate=String(_pdf_date(when)), ModDate=String(_pdf_date(when)), Trapped=Name("/False"),
                       GTS_PDFXVersion=String("PDF/X-4"))
    for key, value in (("/Author", ", ".join(authors)), ("/Subject", description), ("/Keywords", keywords)):
        if value:
            fresh[key] = String(value)
    pdf.trailer.Info = pdf.make_indirect(fresh)

    out = io.BytesIO()
    pdf.save(out, force_version="1.6", deterministic_id=True, fix_metadata_version=False, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()

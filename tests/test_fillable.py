"""The fillable note and agreement sheet: real form fields, printed like the plain sheet, read back by `plan import`."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def sheets(standard, fillable):
    """The MUS note sheet plain and fillable, and Høje-Taastrup's fillable follow-up form."""
    return {"plain": standard / "mus-aftaleark.pdf", "fillable": fillable["aftaleark"], "opsamling": fillable["opsamling"]}


def fields(pdf):
    from pypdf import PdfReader

    return PdfReader(pdf).get_fields()


def test_header_notes_and_agreements_are_named_form_fields(sheets):
    found = fields(sheets["fillable"])
    single = ["deltager_1", "deltager_2", "arbejdsplads", "dato"]
    multi = [f"noter_{b}" for b in (1, 2, 3)] + [f"aftale_{b}_{p}" for b in (1, 2, 3) for p in (1, 2)]
    assert set(found) == set(single + multi)
    for name in single + multi:
        assert found[name]["/FT"] == "/Tx"
    for name in multi:
        assert int(found[name].get("/Ff", 0)) & 4096, f"{name} must take several lines"
    for name in single:
        assert not int(found[name].get("/Ff", 0)) & 4096


def test_fields_lie_inside_the_page_and_do_not_overlap(sheets):
    from pypdf import PdfReader

    rects = [[float(x) for x in a.get_object()["/Rect"]] for a in PdfReader(sheets["fillable"]).pages[0]["/Annots"]]
    for i, (x0, y0, x1, y1) in enumerate(rects):
        assert 0 < x0 < x1 < 595.3 and 0 < y1 < y0 < 841.9 or 0 < y0 < y1 < 841.9
        for ox0, oy0, ox1, oy1 in rects[i + 1:]:
            overlap_x = min(x1, ox1) - max(x0, ox0)
            overlap_y = min(max(y0, y1), max(oy0, oy1)) - max(min(y0, y1), min(oy0, oy1))
            assert overlap_x <= 0.5 or overlap_y <= 0.5


def test_fillable_sheet_prints_like_the_plain_one(sheets):
    import pypdfium2 as pdfium
    from PIL import ImageChops

    plain, fillable = pdfium.PdfDocument(sheets["plain"]), pdfium.PdfDocument(sheets["fillable"])
    assert len(plain) == len(fillable)
    for i in range(len(plain)):
        a = plain[i].render(scale=1.0).to_pil().convert("L")
        b = fillable[i].render(scale=1.0, may_draw_forms=False).to_pil().convert("L")
        # Anti-aliasing may differ by a shade; anything moved would differ by far more.
        assert ImageChops.difference(a, b).getextrema()[1] < 64, f"page {i + 1} differs from the plain sheet"


def test_follow_up_form_has_one_field_per_column_and_row(sheets):
    found = fields(sheets["opsamling"])
    for part in ("hvad", "maal", "aktiviteter", "tidsfrist", "ansvarlig", "opfoelgning"):
        for row in (1, 2, 3, 4):
            assert f"aftale_{row}_{part}" in found


def fill(pdf, values, out):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(pdf))
    writer.update_page_form_field_values(writer.pages[0], values, auto_regenerate=False)
    writer.write(out)
    return out


def read_yaml(path):
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_filled_note_sheet_imports_into_a_plan_that_renders(sheets, tmp_path):
    from samtale.devplan import model, sheet

    filled = fill(sheets["fillable"], {
        "deltager_1": "Anna Jensen", "deltager_2": "Bo Hansen", "arbejdsplads": "Børnehuset Solsikken",
        "dato": "12.03.2026", "noter_1": "Travlt forår",
        "aftale_1_1": "Kursus i konflikthåndtering inden 01.06.2026", "aftale_1_2": "Anna Jensen 01.09.2026",
        "aftale_2_1": "Fordybelse i sprogarbejde", "aftale_2_2": "Bo Hansen, 15-10-2026",
    }, tmp_path / "udfyldt.pdf")
    made = sheet.import_filled(filled)
    path = made.path
    assert path == tmp_path / "udfyldt.yaml" and made.todo == []
    assert made.people == ["Anna Jensen (Medarbejder)", "Bo Hansen (Leder)"]
    data = read_yaml(path)
    assert data["catalogue"] == "albertslund" and data["type"] == "mus"
    assert str(data["date"]) == "2026-03-12" and data["workplace"] == "Børnehuset Solsikken"
    assert data["participants"] == [{"name": "Anna Jensen", "role": "Medarbejder"}, {"name": "Bo Hansen", "role": "Leder"}]
    first, second = data["agreements"]
    assert first["what"] == "Kursus i konflikthåndtering inden 01.06.2026"
    assert str(first["deadline"]) == "2026-06-01" and str(first["follow_up"]) == "2026-09-01"
    assert first["responsible"] == "Anna Jensen" and first["notes"] == "Travlt forår"
    assert second["responsible"] == "Bo Hansen" and str(second["follow_up"]) == "2026-10-15"
    assert (path.stat().st_mode & 0o777) == 0o600
    assert model.load(path).plan.agreements[1].what == "Fordybelse i sprogarbejde"


def test_filled_follow_up_form_imports_column_by_column(sheets, tmp_path):
    from samtale.devplan import model, output, sheet

    filled = fill(sheets["opsamling"], {
        "deltager_1": "Amira Khan, Søren Ølgaard", "deltager_2": "Lise Holm", "arbejdsplads": "Borgerservice", "dato": "2026-04-20",
        "aftale_1_hvad": "Digital selvbetjening", "aftale_1_maal": "Hjælp ved første henvendelse",
        "aftale_1_aktiviteter": "Workshop", "aftale_1_tidsfrist": "01.09.2026", "aftale_1_ansvarlig": "Lise Holm",
        "aftale_1_opfoelgning": "01.10.2026",
    }, tmp_path / "opsamling.pdf")
    path = sheet.import_filled(filled, tmp_path / "plan.yaml").path
    data = read_yaml(path)
    assert data["catalogue"] == "hoeje-taastrup" and data["type"] == "grus"
    assert data["participants"] == [{"name": "Amira Khan", "role": "Medarbejder"}, {"name": "Søren Ølgaard", "role": "Medarbejder"},
                                    {"name": "Lise Holm", "role": "Leder"}], "each employee read in the singular"
    (agreement,) = data["agreements"]
    assert agreement["aim"] == "Hjælp ved første henvendelse" and str(agreement["follow_up"]) == "2026-10-01"
    assert len(output.documents(model.load(path))) == 3, "the group plan and one individual plan per employee"


def test_import_refuses_to_overwrite_a_plan(sheets, tmp_path):
    from samtale.core.errors import SamtaleError
    from samtale.devplan import sheet

    target = tmp_path / "plan.yaml"
    target.write_text("keep me")
    with pytest.raises(SamtaleError, match="exists already"):
        sheet.import_filled(fill(sheets["fillable"], {"deltager_1": "A"}, tmp_path / "x.pdf"), target)
    assert target.read_text() == "keep me"

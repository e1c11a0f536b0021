"""The calibration sheet and the back offset it measures: a wrong flip shows, an offset beyond the
scale or into the printer's margin is refused in one line."""

from __future__ import annotations

import math

import pytest

from conftest import CATALOGUE, MM, normalise, page_sizes_mm, plumbed, run


def pages(pdf):
    return plumbed(pdf)


@pytest.fixture(scope="module")
def loaded():
    from samtale.source.catalogue import load

    return load(CATALOGUE)


@pytest.fixture(scope="module")
def calibration(tmp_path_factory, loaded):
    from samtale.press import jinja, pdf
    from samtale.products import calibration as cal

    folder = tmp_path_factory.mktemp("calibration")
    out = {}
    for flip in ("long", "short"):
        path = folder / cal.file_name("a4", flip)
        path.write_bytes(pdf.pdf(jinja.render(cal.TEMPLATE, cal.context(loaded, "a4", flip))))
        out[flip] = path
    return out


def circles(page, filled: bool):
    """Centres and diameters (mm) of the round marks: curves as wide as high, 5 to 30 mm across."""
    found = []
    for c in page.curves:
        w, h = (c["x1"] - c["x0"]) / MM, (c["bottom"] - c["top"]) / MM
        if 5 < w < 30 and abs(w - h) < 0.1 and bool(c["fill"]) == filled:
            found.append(((c["x0"] + c["x1"]) / 2 / MM, (c["top"] + c["bottom"]) / 2 / MM, w, c.get("dash")))
    return found


def test_the_calibration_sheet_catches_a_wrong_flip(calibration):
    """The front's dot lands in the solid ring only with the right flip; a printer turning the other
    way puts it in the dashed ring, at least 100 mm away."""
    from samtale.geometry.imposition import back_mirror
    from samtale.geometry.shapes import Point

    rings = {}
    for flip, pdf in calibration.items():
        with pages(pdf) as doc:
            front, back = doc.pages
            W, H = front.width / MM, front.height / MM
            (dot,) = circles(front, filled=True)
            assert abs(dot[0] - W / 2) > 50 and abs(dot[1] - H / 2) > 30, "off the centre both ways"
            found = circles(back, filled=False)
            solid = [r for r in found if not r[3] or not r[3][0]]
            dashed = [r for r in found if r[3] and r[3][0]]
            assert len(solid) == 1 and len(dashed) == 1
            other = "short" if flip == "long" else "long"
            for ring, turn in ((solid[0], flip), (dashed[0], other)):
                lands = back_mirror(W, H, turn).point(Point(dot[0], dot[1]))
                assert (ring[0], ring[1]) == pytest.approx((lands.x, lands.y), abs=0.05)
            rings[flip] = solid[0]
            text = normalise(front.extract_text())
            assert f"--flip {other}" in text and "»Forkert vending«" in text, "what to do if the dot is in the wrong ring"
            assert "Forkert vending" in normalise(back.extract_text())
            lines = (front.extract_text() or "").splitlines()
            assert any("--back-offset 0.5,-1" in line for line in lines), "the example command is never broken inside an option"
            assert not any(line.rstrip().endswith(("--back-", "-")) for line in lines)
    assert math.dist(rings["long"][:2], rings["short"][:2]) > 100


def test_a_back_offset_is_refused_beyond_the_scale_and_where_backs_would_reach_the_margin(loaded, tmp_path):
    from samtale.core.errors import SamtaleError
    from samtale.material import resolve
    from samtale.products import Options, puslespil

    beyond = run("render", "--back-offset", "10.5,0", "--out", str(tmp_path))
    assert beyond.returncode == 2 and len(beyond.stderr.strip().splitlines()) == 1 and "10 mm" in beyond.stderr

    material = resolve(loaded, "mus")
    names = material.puzzle.sheets
    puslespil.sheets(material, Options(backs=True, back_offset=(3.5, -5.0)), names)  # as far as A4 allows
    for offset in ((4.0, 0.0), (0.0, 5.5)):
        with pytest.raises(SamtaleError, match="8 mm margin") as err:
            puslespil.sheets(material, Options(backs=True, back_offset=offset), names)
        assert "-3.5 to +3.5 mm" in str(err.value) and "\n" not in str(err.value)
    into = run("render", "-t", "mus", "-p", "puslespil", "--backs", "--back-offset", "4,0", "--out", str(tmp_path), "--jobs", "1")
    assert into.returncode == 1 and len(into.stderr.strip().splitlines()) == 1 and "margin" in into.stderr
    assert "Traceback" not in into.stderr


def test_calibration_sheet_has_lines_on_the_front_and_scales_behind_them(tmp_path):
    result = run("calibrate", "--paper", "a3", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "kalibrering-a3-long.pdf"
    sizes = page_sizes_mm(pdf)
    assert len(sizes) == 2 and sizes[0][0] == pytest.approx(420, abs=0.2)
    with pages(pdf) as doc:
        text = normalise(doc.pages[1].extract_text())
        assert "-10" in text and "+10" in text and "0" in text
        assert len(doc.pages[1].lines) > 80

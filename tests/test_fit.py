"""Whether text fits its space, decided before anything is rendered: measuring, slugs, fit rules, guidance sizing.

Pure and fast: the rules run on resolved material, the same numbers the pages are laid out with.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from conftest import CATALOGUE
from samtale.core.text import slugify
from samtale.geometry import textfit
from samtale.material import resolve
from samtale.products import PRODUCTS, base, puslespil, skema
from samtale.source.catalogue import load


@pytest.fixture(scope="module")
def loaded():
    return load(CATALOGUE)


@pytest.mark.parametrize(("name", "slug"), [
    ("Børnehuset Æblehaven", "boernehuset-aeblehaven"),
    ("  Plejecenter Åbjerg  ", "plejecenter-aabjerg"),
    ("Plejecenter Søholm – Aftenvagt", "plejecenter-soeholm-aftenvagt"),
    ("Müller & Sønner", "mueller-soenner"),
    ("Café Løvspring", "cafe-loevspring"),
    ("Anna's hold", "annas-hold"),
    ("../../etc", "etc"),
    ("!!!", ""),
])
def test_one_slug_for_workplaces_and_people(name, slug):
    assert slugify(name) == slug


def test_text_breaks_into_lines_no_wider_than_the_box():
    text = "Hvornår bringer du bedst dine kompetencer i spil, og hvornår oplever du et behov?"
    lines = textfit.lines(text, 40, 10)
    assert len(lines) > 1 and " ".join(lines) == text
    assert all(textfit.one_line_width_mm(line, 10) <= 40 for line in lines)
    assert textfit.fits(text, 40, 30, 10) and not textfit.fits(text, 40, 5, 10)
    size = textfit.largest_fitting(text, 60, 20, 16, 8)
    assert size is not None and textfit.fits(text, 60, 20, size) and not textfit.fits(text, 60, 20, size + 0.5)
    assert textfit.largest_fitting("Ord" * 40, 20, 100, 16, 8) is None, "a word wider than the box never fits"


def test_the_catalogue_as_shipped_fits_every_product(loaded):
    for t in loaded.catalogue.conversation_types:
        material = resolve(loaded, t.id)
        for name in t.products:
            assert PRODUCTS[name].fit(material) == [], (t.id, name)


def test_a_row_too_long_for_the_skema_blames_a_question_of_that_row(loaded):
    material = resolve(loaded, "mus")
    first = material.perspectives[0]
    longer = tuple(replace(q, text=q.text + " Og hvordan ser du det i hverdagen, i teamet og i huset?" * 8)
                   for q in first.questions)
    material = replace(material, perspectives=(replace(first, questions=longer), *material.perspectives[1:]))
    misfits = skema.fit(material)
    assert len(misfits) == 1 and misfits[0].key.startswith("question:")
    assert misfits[0].key.removeprefix("question:") in {q.id for q in first.questions}
    assert "do not fit the skema" in misfits[0].message


def test_a_keyword_too_long_is_named_by_both_the_skema_and_the_puzzle(loaded):
    material = resolve(loaded, "grus")
    first = material.perspectives[0]
    material = replace(material, perspectives=(replace(first, keywords=(*first.keywords, "Nærværsledelsesudviklingsprogrammer")),
                                               *material.perspectives[1:]))
    key = f"keyword:{first.id}:{len(first.keywords)}"
    assert [m.key for m in skema.fit(material)] == [key]
    assert [m.key for m in puslespil.fit(material)] == [key]


def test_guidance_is_set_as_large_as_its_page_allows_in_a_readable_measure(loaded):
    from samtale.geometry.paper import paper

    guidance = resolve(loaded, "mus").guidance("skema")
    page = base.page(paper("a4", landscape=True))
    roomy = base.columns(guidance, page)
    tight = base.columns(guidance, page, room=page.height * 0.6)
    assert base.BODY_SIZES[0] <= tight.size < roomy.size <= base.BODY_SIZES[1]
    assert base.MEASURE[0] <= roomy.chars <= base.MEASURE[1] and base.MEASURE[0] <= tight.chars <= base.MEASURE[1]
    starved = base.columns(guidance, page, room=40)
    assert starved.size == base.BODY_SIZES[0], "never below the smallest size: a text too long for its page flows on"
    a3 = base.columns(guidance, base.page(paper("a3", landscape=True)))
    assert a3.size == pytest.approx(roomy.size * 420 / 297) and a3.count == roomy.count, "A3 is the same page, larger"


def test_more_keywords_than_the_skema_row_holds_are_refused_not_dropped(loaded):
    material = resolve(loaded, "mus")
    first = material.perspectives[0]
    room = skema.keyword_room(len(material.perspectives))
    extra = tuple(f"Ekstra {n}" for n in range(room - len(first.keywords) + 1))
    material = replace(material, perspectives=(replace(first, keywords=first.keywords + extra), *material.perspectives[1:]))
    (misfit,) = skema.fit(material)
    assert misfit.key == f"keyword:{first.id}:{room}" and f"room for {room} keywords" in misfit.message

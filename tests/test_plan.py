"""The documented development plan: a PDF/A for the personnel file, a calendar that reminds, errors at their line."""

from __future__ import annotations

import re
from datetime import date

import pytest

from conftest import GRUS_PLAN, MUS_PLAN, page_texts, run


@pytest.fixture(scope="module")
def rendered(plans):
    """Both plans rendered once, as the command line does it."""
    return plans


def xmp(pdf) -> str:
    from pypdf import PdfReader

    return PdfReader(pdf).trailer["/Root"]["/Metadata"].get_object().get_data().decode()


def test_plan_pdf_declares_pdfa_2u_in_its_metadata(rendered):
    for pdf in rendered.glob("*.pdf"):
        meta = xmp(pdf)
        assert re.search(r'pdfaid:part(="|>)2', meta), pdf.name
        assert re.search(r'pdfaid:conformance(="|>)U', meta), pdf.name


def test_plan_pdf_has_an_srgb_output_intent(rendered):
    from pypdf import PdfReader

    (intent,) = PdfReader(rendered / "anna-mus.pdf").trailer["/Root"]["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in intent


def test_plan_pdf_embeds_every_font(rendered):
    from pypdf import PdfReader

    for pdf in rendered.glob("*.pdf"):
        for page in PdfReader(pdf).pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
                descriptor = described["/FontDescriptor"].get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), f"{pdf.name}: {font['/BaseFont']}"


def test_plan_pdf_holds_every_agreement_and_who_when_where(rendered):
    text = " ".join(page_texts(rendered / "anna-mus.pdf"))
    for words in ("Albertslund Kommune", "Børnehuset Solsikken", "Medarbejderudviklingssamtale (MUS)", "12.03.2026",
                  "Anna Jensen", "Bo Hansen", "Kursus i konflikthåndtering", "Mere ro i hverdagen",
                  "Fordybelse i sprogarbejde", "01.06.2026", "01.09.2026", "15.10.2026", "DATO OG UNDERSKRIFT",
                  "Næste MUS i marts 2027."):
        assert words in text, words


def test_ics_has_one_event_per_agreement_on_its_follow_up_date_with_a_reminder(rendered):
    from icalendar import Calendar

    calendar = Calendar.from_ical((rendered / "anna-mus.ics").read_bytes())
    events = calendar.walk("VEVENT")
    assert [e.decoded("dtstart") for e in events] == [date(2026, 9, 1), date(2026, 10, 15)]
    assert "Kursus i konflikthåndtering" in str(events[0]["summary"])
    for event in events:  # twenty plans must not give twenty identical entries: each names the person and the conversation
        assert "MUS" in str(event["summary"]) and "Anna Jensen" in str(event["summary"])
        assert "Bo Hansen" not in str(event["summary"])  # the manager, who keeps the plan
    assert len({str(e["uid"]) for e in events}) == 2
    for event in events:
        (alarm,) = event.walk("VALARM")
        assert alarm.decoded("trigger").days == -7


def test_grus_gives_a_group_plan_and_one_individual_plan_per_employee(rendered):
    individual = sorted(p.name for p in rendered.glob("vejcentret-grus-*.pdf"))
    assert individual == ["vejcentret-grus-amira-khan.pdf", "vejcentret-grus-jens-aaberg.pdf", "vejcentret-grus-soeren-oelgaard.pdf"]
    soeren = " ".join(page_texts(rendered / "vejcentret-grus-soeren-oelgaard.pdf"))
    amira = " ".join(page_texts(rendered / "vejcentret-grus-amira-khan.pdf"))
    assert "Individuel udviklingsplan – Søren Ølgaard" in soeren
    assert "Certifikat til ny maskine" in soeren and "Certifikat til ny maskine" not in amira
    assert "Fælles planlægning af vintertjenesten" in amira, "group agreements belong in every individual plan"


def test_plan_outputs_are_readable_by_their_owner_only(rendered):
    assert rendered.stat().st_mode & 0o777 == 0o700
    for path in rendered.iterdir():
        assert path.stat().st_mode & 0o777 == 0o600, path.name


def test_plan_new_writes_a_private_plan_that_asks_to_be_filled_in(tmp_path):
    result = run("plan", "new", str(tmp_path / "ny.yaml"), "--type", "lus")
    assert result.returncode == 0, result.stderr
    path = tmp_path / "ny.yaml"
    assert path.stat().st_mode & 0o777 == 0o600
    text = path.read_text(encoding="utf-8")
    assert "type: lus" in text and "role: Leders leder" in text and "# Hvem har ansvar?" in text
    again = run("plan", "new", str(path))
    assert again.returncode == 1 and "exists already" in again.stderr
    empty = run("plan", "render", str(path))
    assert empty.returncode == 1 and re.search(r"ny\.yaml:\d+:\d+: workplace: is empty", empty.stderr)


def bad(tmp_path, old: str, new: str) -> str:
    assert old in MUS_PLAN
    path = tmp_path / "plan.yaml"
    path.write_text(MUS_PLAN.replace(old, new), encoding="utf-8")
    result = run("plan", "render", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir()), "a broken plan wrote files"
    return result.stderr.strip()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("date: 12.03.2026", "date: 12/03/2026", r"plan\.yaml:3:\d+: date: '12/03/2026' is not a date"),
        ("deadline: 01-06-2026", "deadline: 2026-02-30", r"plan\.yaml:14:15: '2026-02-30' is not a real date"),
        ("follow_up: 15.10.2026", "follow_up: 15.10.2025", r"plan\.yaml:19:5: agreements › #2 › follow_up: the follow-up \(15\.10\.2025\) is before the conversation"),
        ("    responsible: Bo Hansen\n", "", r"plan\.yaml:17:5: agreements › #2: the agreement has no responsible person"),
        ("    responsible: Bo Hansen\n", "    responsible:\n", r"plan\.yaml:18:5: agreements › #2 › responsible: the agreement has no responsible person"),
        ("type: mus", "type: muss", r"plan\.yaml:2:1: type: 'muss' is not a conversation type .*did you mean 'mus'"),
        ("catalogue: albertslund", "catalogue: roskilde", r"plan\.yaml:1:1: catalogue: there is no catalogue 'roskilde'"),
    ],
)
def test_a_broken_plan_is_reported_at_its_line(tmp_path, old, new, expected):
    message = bad(tmp_path, old, new)
    assert re.search(expected, message), message


def test_danish_and_iso_dates_mean_the_same_day():
    from samtale.devplan.model import parse_date

    assert parse_date("12-03-2026") == parse_date("12.03.2026") == parse_date("2026-03-12") == date(2026, 3, 12)
    with pytest.raises(ValueError):
        parse_date("31.02.2026")


def test_an_employee_in_concerns_must_be_a_participant(tmp_path):
    from samtale.core.errors import SamtaleError
    from samtale.devplan import model

    path = tmp_path / "grus.yaml"
    path.write_text(GRUS_PLAN.replace("concerns: [Søren Ølgaard]", "concerns: [Søren Olgaard]"), encoding="utf-8")
    with pytest.raises(SamtaleError) as err:
        model.load(path)
    assert str(err.value.problems[0]).endswith("is not among the participants; use one of: Amira Khan, Søren Ølgaard, Jens Åberg, Lise Holm")
    assert err.value.problems[0].line == 17


def test_plan_files_stay_inside_the_chosen_folder(tmp_path):
    from samtale.devplan import model, output

    (tmp_path / "plan.yaml").write_text(MUS_PLAN.replace("Anna Jensen\n    role", "../../Anna Jensen\n    role"), encoding="utf-8")
    written, _ = output.render(model.load(tmp_path / "plan.yaml"), tmp_path / "out")
    assert all(p.resolve().parent == (tmp_path / "out").resolve() for p in written)

import pytest

from newsift.analyze.entities import EntityAnalyzer, acronym_definitions, clean_span
from tests.analyze.war_report import example_text, parsed

NUMERIC = {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"}


@pytest.fixture(scope="module")
def entities():
    doc = parsed(example_text())
    EntityAnalyzer()(doc)
    for e in doc.entities:
        for m in e.mentions:
            assert doc.text[m.start:m.end] == m.text
    return {e.canonical: e for e in doc.entities}


def test_ids_are_sequential_and_no_numeric_labels(entities):
    ids = sorted(int(e.id[1:]) for e in entities.values())
    assert ids == list(range(1, len(ids) + 1))
    assert not {e.label for e in entities.values()} & NUMERIC


def test_place_names_are_never_people(entities):
    for name in ("Kharkiv", "Kyiv", "Istanbul", "Belgorod", "Odesa"):
        assert entities[name].label == "GPE", name
    assert len(entities["Kharkiv"].mentions) == 2  # headline (tagged ORG by spaCy) and body (tagged PERSON)


def test_short_form_joins_full_name(entities):
    assert [m.text for m in entities["Ihor Marchenko"].mentions] == ["Ihor Marchenko", "Marchenko"]
    assert [m.text for m in entities["Olena Petrenko"].mentions] == ["Olena Petrenko", "Petrenko"]
    assert "Marchenko" not in entities


def test_acronyms_join_their_long_form(entities):
    assert [m.text for m in entities["State Emergency Service"].mentions] == [
        "State Emergency Service", "SES", "SES"]
    rma = entities["Mykolaiv Regional Military Administration"]
    assert rma.label == "ORG" and [m.text for m in rma.mentions][-1] == "RMA"


def test_spelling_variants_of_a_place_join(entities):
    assert [m.text for m in entities["Odesa"].mentions] == ["Odesa", "Odessa"]
    assert "Odessa" not in entities


def test_possessive_and_date_are_not_glued_into_names():
    text = "Officials rejected Marchenko's May 3 statement, Ihor Marchenko said."
    assert text[slice(*clean_span(text, 19, 35))] == "Marchenko"
    doc = parsed(text)
    EntityAnalyzer()(doc)
    assert all("May" not in m.text and "'s" not in m.text for e in doc.entities for m in e.mentions)


def test_lowercase_and_plural_acronym_definitions():
    text = "Ukraine's regional military administrations (RMAs) said the RMAs had power."
    [(long_form, acronym)] = acronym_definitions(text)
    assert text[long_form.start:long_form.end] == "regional military administrations" and acronym == "RMA"


def test_common_words_that_are_place_names_are_not_places():
    doc = parsed("Reading the report, she said it was a Nice idea to buy Mobile phones for the team.")
    EntityAnalyzer()(doc)
    assert not [e for e in doc.entities if e.label in ("GPE", "LOC") and e.canonical in ("Reading", "Mobile")]


def test_a_surname_tagged_otherwise_in_a_headline_still_joins_the_full_name():
    doc = parsed("TRUMP DECERTIFIES IRAN DEAL\n\nOn Friday, US President Donald Trump changed course. Trump said "
                 "the deal was bad. Critics said Trump had no plan.")  # spaCy tags the headline's TRUMP ORG
    EntityAnalyzer()(doc)
    trump = next(e for e in doc.entities if "Trump" in e.canonical)
    assert (trump.label, trump.canonical, len(trump.mentions)) == ("PERSON", "Donald Trump", 4)


def test_a_titled_name_and_the_bare_name_join_the_full_name():
    doc = parsed("Viktor Orban spoke in Budapest. PM Orban has remained consistent. Orban then told the truth.")
    EntityAnalyzer()(doc)
    orban = [e for e in doc.entities if "Orban" in e.canonical]
    assert [(e.canonical, len(e.mentions)) for e in orban] == [("Viktor Orban", 3)]


def test_an_undefined_acronym_joins_the_long_form_it_spells():
    doc = parsed("The United Nations sent observers. A U.N. spokesman said the team would stay. Officials in "
                 "Washington, D.C., said the Diplomatic Corps was briefed.")
    EntityAnalyzer()(doc)
    by_text = {m.text: e for e in doc.entities for m in e.mentions}
    assert by_text["U.N."] is by_text["United Nations"]
    assert by_text["D.C."] is not by_text["Diplomatic Corps"]  # a place is not spelled by an organisation


def test_a_byline_name_is_a_person():
    from dataclasses import replace

    text = "Floods Kill 12 in Italy\n\nBy Giulia Bianchi and Marco Rossi\n\nMILAN — At least 12 people died."
    doc = parsed(text)
    doc.article = replace(doc.article, authors=["Giulia Bianchi", "Marco Rossi"])
    EntityAnalyzer()(doc)
    labels = {e.canonical: e.label for e in doc.entities}
    assert labels["Giulia Bianchi"] == labels["Marco Rossi"] == "PERSON"  # spaCy tags the first ORG

from __future__ import annotations

from datetime import date

import pytest

from casefiles import read_cases
from dyad.actors.dictionaries import ActorEntry, load_dictionaries, pick_entry
from dyad.errors import DictionaryError

CASES = read_cases("actors.tsv")


@pytest.mark.parametrize("case", CASES, ids=[c["phrase"] for c in CASES])
def test_actors_resolve_phrase(pipeline, case):
    coded = pipeline.code_text(case["text"], date.fromisoformat(case["date"]))
    codes = {m.actor for m in coded.mentions if case["phrase"] in m.text}
    assert codes == set(case["codes"].split("|")), [(m.text, m.actor) for m in coded.mentions]


PICK_CASES = [
    ("2016-12-19", "JPNGOV", "JPNGOV"),
    ("2021-01-01", "JPNGOV", "JPNELI"),
    ("2001-01-01", "JPNGOV", "JPN"),
]


@pytest.mark.parametrize(("when", "code", "expected"), PICK_CASES)
def test_actors_role_depends_on_document_date(when, code, expected):
    entries = [ActorEntry(code, "Shinzo Abe", "person", date(2012, 12, 26), date(2020, 9, 16))]
    entry, _ = pick_entry(entries, date.fromisoformat(when))
    assert entry.code == expected


def test_actors_user_dictionary_is_loaded_and_wins(tmp_path):
    user = tmp_path / "mine.tsv"
    user.write_text("names\tcode\tstart\tend\tnote\nNovatek\tRUSGOV\t\t\ttest override\n", "utf-8")
    dicts = load_dictionaries((str(user),))
    entry, _ = pick_entry(dicts.names["Novatek"], date(2017, 1, 1))
    assert entry.code == "RUSGOV"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("names\tcode\nNovatek\trusbus\n", "bad actor code"),
        ("names\tcode\tstart\nNovatek\tRUSBUS\t2017-13-01\n", "bad date"),
        ("name\tcode\nNovatek\tRUSBUS\n", "header lacks"),
    ],
)
def test_actors_bad_user_dictionary_names_file_and_line(tmp_path, content, message):
    user = tmp_path / "bad.tsv"
    user.write_text(content, "utf-8")
    with pytest.raises(DictionaryError, match=message) as info:
        load_dictionaries((str(user),))
    assert "bad.tsv" in str(info.value)


def test_actors_every_bundled_country_is_iso():
    import pycountry

    dicts = load_dictionaries()
    assert len(dicts.country_names) >= 249
    for iso3 in dicts.country_names:
        assert iso3 == "XKX" or pycountry.countries.get(alpha_3=iso3) is not None


# (sentence, actor code prefix that must not be resolved): "anti-X" names an opponent of X;
# an agent adjective of a thing ("military aid") says what kind it is, not who acts
NOT_ACTOR_CASES = [
    ("An anti-Syria journalist was killed in Beirut.", "SYR"),
    ("Anti-American protesters marched in Karachi.", "USA"),
    ("The United States sent military aid to Kenya.", "USAMIL"),
    ("Germany is supplying military equipment to Lithuania.", "DEUMIL"),
]


@pytest.mark.parametrize(("text", "absent"), NOT_ACTOR_CASES)
def test_actors_modifier_is_not_the_actor(pipeline, text, absent):
    coded = pipeline.code_text(text)
    assert coded.mentions, "the sentence should still name an actor"
    assert not [m.actor for m in coded.mentions if m.actor.startswith(absent)]

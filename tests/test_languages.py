"""Labels in Khmer, Korean, Mongolian, Thai and Vietnamese: the gettext catalogs, their
sources in research/local-terms.md, and the displays and command line that use them."""

from __future__ import annotations

import io
import json
import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sse_model
from sse_model._catalogs import messages, source_comment, term_rows, term_table, updated
from sse_model._cli import main
from sse_model._engine._loader import load_profile, profile_ids
from sse_model._engine._result import Outcome, Verdict
from sse_model._i18n import (
    COUNTRY_LANGUAGE,
    ENGLISH_KEPT,
    HEADINGS,
    LANGUAGES,
    UnknownLanguage,
    catalog,
    check_language,
    date_text,
    family_label,
    heading,
    law_title,
    legal_form_label,
    number_text,
    outcome_label,
    profile_title,
    verdict_label,
)
from sse_model._io._lookups import find_legal_forms
from sse_model._model._forms import EntityFamily, form_table

ROOT = Path(__file__).parents[1]
#: a verbatim copy of the session's research/local-terms.md, the only source of the terms
TERMS = ROOT / "tests" / "data" / "research" / "local-terms.md"
SHARED_TERMS = next(
    (
        up / "shared" / "research" / "local-terms.md"
        for up in ROOT.parents
        if (up / "shared" / "research" / "local-terms.md").exists()
    ),
    ROOT / "missing" / "local-terms.md",
)
LOCAL = LANGUAGES[1:]
ON = date(2025, 6, 30)
SAMPLE = ROOT / "examples" / "sample-register.jsonl"
_CITED = re.compile(r"^(verified|secondary): local-terms\.md §([\d.]+) row \"(.+)\"$")


# --- local-terms.md, parsed --------------------------------------------------------------


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).replace("**", "").casefold()


def _research_rows() -> dict[str, dict[str, dict[str, str]]]:
    """Section (``4``, ``5.1``, ``7``) -> first cell of a row -> {column header: cell}."""
    sections: dict[str, dict[str, dict[str, str]]] = {}
    section = ""
    header: list[str] | None = None
    for line in TERMS.read_text("utf-8").splitlines():
        head = re.match(r"^#{2,3} (\d+(?:\.\d+)?)\.? ", line)
        if head:
            section, header = head[1], None
            continue
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if all(set(c) <= {"-", ":"} for c in cells):
            continue
        if header is None:
            header = cells
            continue
        row = dict(zip(header, cells, strict=False))
        rows = sections.setdefault(section, {})
        rows[cells[0]] = row
        if section == "7":  # the laws: a row is named by its English title
            rows[cells[1]] = row
    return sections


RESEARCH = _research_rows()


def _entries(lang: str) -> list[object]:
    return [m for m in catalog(lang) if m.id]


def _translated() -> list[tuple[str, object]]:
    return [(lang, m) for lang in LOCAL for m in _entries(lang) if m.string]


def _kept() -> list[tuple[str, object]]:
    return [(lang, m) for lang in LOCAL for m in _entries(lang) if not m.string]


def _decimal_sign(lang: str) -> str:
    from babel.numbers import get_decimal_symbol

    return str(get_decimal_symbol(lang))


def _id(item: tuple[str, object]) -> str:
    lang, m = item
    return f"{lang}:{m.context}:{m.id}"[:80]


class TestCatalogs:
    """Every catalog holds exactly the messages the code uses, each translated or marked."""

    @pytest.mark.parametrize("lang", LOCAL)
    def test_complete_and_current(self, lang: str) -> None:
        """A catalog has an entry for every message of its language and none other (a
        renamed heading, form or profile title shows up as missing and stale)."""
        wanted = {(m.context, m.msgid) for m in messages() if lang in m.languages}
        have = {(m.context, m.id) for m in _entries(lang)}
        assert wanted - have == set(), "missing: run python -m sse_model._catalogs update"
        assert have - wanted == set(), "stale entries"

    def test_every_language_has_the_labels(self) -> None:
        """Families, verdicts, outcomes, principles and headings are in every catalog;
        legal forms and profile titles in their law's language only."""
        for m in messages():
            if m.context.startswith(("legal form ", "profile title ")):
                country = m.context.split(" ")[-1].split("/")[0].upper()
                assert m.languages == (COUNTRY_LANGUAGE[country],), m
            else:
                assert m.languages == LOCAL, m
        assert {m.msgid for m in messages() if m.context == "heading"} == set(HEADINGS)

    @pytest.mark.parametrize("lang", LOCAL)
    def test_each_entry_is_translated_or_marked(self, lang: str) -> None:
        """An entry is translated with its source, or empty with 'English kept'; none is
        fuzzy (new entries wait for review as fuzzy, and fail here)."""
        for m in _entries(lang):
            comment = source_comment(m)
            assert not m.fuzzy, (lang, m.id)
            if m.string:
                assert _CITED.match(comment), (lang, m.id, comment)
            else:
                assert comment.startswith(ENGLISH_KEPT), (lang, m.id, comment)

    @pytest.mark.parametrize("lang", LOCAL)
    def test_placeholders_kept(self, lang: str) -> None:
        """A translated phrase has the same {fields} as its English."""
        for m in _entries(lang):
            if m.string:
                assert set(re.findall(r"{\w+}", m.string)) == set(re.findall(r"{\w+}", m.id))

    @pytest.mark.parametrize("lang", LOCAL)
    def test_update_keeps_a_current_catalog(self, lang: str) -> None:
        """The maintainers' update changes nothing in a current catalog."""
        old = [(m.context, m.id, m.string, m.auto_comments, m.flags) for m in _entries(lang)]
        new = [
            (m.context, m.id, m.string, m.auto_comments, m.flags) for m in updated(lang) if m.id
        ]
        assert new == old

    def test_update_adds_new_messages_as_fuzzy(self) -> None:
        """A message missing from a catalog comes back empty and fuzzy, so that the
        checks above fail until someone reviews it."""
        from babel.messages.pofile import read_po, write_po

        buf = io.BytesIO()
        write_po(buf, catalog("vi"))
        buf.seek(0)
        old = read_po(buf, locale="vi")
        old.delete("cooperative", context="family")
        assert old.get("cooperative", context="family") is None
        new = updated("vi", old)
        entry = new.get("cooperative", context="family")
        assert entry is not None and entry.fuzzy and entry.string == ""

    def test_no_compiled_catalog_is_shipped(self) -> None:
        """Only .po sources are shipped (compiled in memory on first use): no .mo can be
        older than its source."""
        locale = ROOT / "src" / "sse_model" / "_data" / "locale"
        assert sorted(p.parent.parent.name for p in locale.glob("*/LC_MESSAGES/*.po")) == list(
            LOCAL
        )
        assert list(locale.rglob("*.mo")) == []


class TestSources:
    """Every translation is a term of research/local-terms.md, with its confidence."""

    def test_copy_is_current(self) -> None:
        """The copy the tests parse is the session's research note, byte for byte."""
        if not SHARED_TERMS.exists():
            pytest.skip("the session's research folder is not on this machine")
        assert TERMS.read_bytes() == SHARED_TERMS.read_bytes()

    @pytest.mark.parametrize("item", _translated(), ids=_id)
    def test_traced(self, item: tuple[str, object]) -> None:
        """The cited row exists, has the cited confidence, and holds the term (or each
        of its comma-separated parts) verbatim."""
        _lang, m = item
        found = _CITED.match(source_comment(m))
        assert found, source_comment(m)
        status, section, key = found.groups()
        row = RESEARCH[section][key]
        assert status in row["confidence"], (row["confidence"], status)
        text = _nfc(" ".join(row.values()))
        term = _nfc(m.string)
        assert term in text or all(part in text for part in term.split(", ")), (term, row)

    @pytest.mark.parametrize("item", _translated(), ids=_id)
    def test_section_is_the_language(self, item: tuple[str, object]) -> None:
        """A term is cited from its language's section (or §7, the laws' own titles)."""
        lang, m = item
        found = _CITED.match(source_comment(m))
        assert found
        section = found[2]
        own = {"ko": "2", "th": "3", "vi": "4", "km": "5.1", "mn": "5.2"}[lang]
        assert section in (own, "7")
        if str(m.context).startswith("profile title"):
            assert section == "7"

    def test_legal_forms_are_verified(self) -> None:
        """A legal form is named only by a verified term: a secondary one is, by the
        research's own definition, not the legal term."""
        forms = [(lang, m) for lang, m in _translated() if m.context.startswith("legal form")]
        assert forms
        for _lang, m in forms:
            assert source_comment(m).startswith("verified:"), m.id

    def test_no_verdict_or_principle_words(self) -> None:
        """local-terms.md §6 found no verdict words and no official translation of the
        ILO principles: they stay English in every language."""
        for lang, m in _translated():
            assert m.context not in ("verdict", "outcome", "principle"), (lang, m.id)

    @pytest.mark.parametrize("item", _kept(), ids=_id)
    def test_kept_has_no_string(self, item: tuple[str, object]) -> None:
        """An English-kept entry compiles to nothing: the display shows the English."""
        lang, m = item
        context = str(m.context)
        if context == "family":
            assert family_label(m.id.replace(" ", "_"), lang) == m.id
        elif context == "heading":
            assert heading(m.id, lang) == m.id


class TestLabels:
    """The label functions: English unchanged, local terms where the catalog has them."""

    def test_english_is_what_it_was(self) -> None:
        """No language (or en) gives the English words the displays always showed."""
        for lang in (None, "en"):
            for v in Verdict:
                assert verdict_label(v, lang) == v.value.replace("_", " ")
            for o in Outcome:
                assert outcome_label(o, lang) == o.value.replace("_", " ")
            for f in EntityFamily:
                assert family_label(f, lang) == f.value.replace("_", " ")
            assert number_text(3000, lang) == "3000"
            assert date_text(ON, lang) == "2025-06-30"

    def test_local_terms(self) -> None:
        """Families and forms take the catalog's terms."""
        assert family_label(EntityFamily.COOPERATIVE, "vi") == "hợp tác xã"
        assert family_label(EntityFamily.COOPERATIVE, "km") == "សហគមន៍"
        assert legal_form_label(form_table()["kr/social-cooperative"], "ko") == "사회적협동조합"
        assert legal_form_label(form_table()["th/community-enterprise"], "th") == "วิสาหกิจชุมชน"

    def test_forms_of_another_law_stay_english(self) -> None:
        """A display in one language never shows a third language: a Korean form in a
        Vietnamese display is named in English."""
        for form in form_table().values():
            for lang in LOCAL:
                if COUNTRY_LANGUAGE.get(form.country) != lang:
                    assert legal_form_label(form, lang) == form.name

    def test_profile_titles(self) -> None:
        """A national profile's title is its law's own title in the law's language."""
        vn = load_profile("vn/social-enterprise")
        assert profile_title(vn, "vi") == "Luật Doanh nghiệp"
        assert profile_title(vn, "th") == vn.title
        assert law_title("vn/social-enterprise", "vi") == "Luật Doanh nghiệp"
        assert law_title("vn/association", "vi") is None  # English kept
        assert law_title("intl/ilo-2022", "vi") is None
        for pid in profile_ids():
            p = load_profile(pid)
            for lang in LOCAL:
                assert (law_title(pid, lang) or p.title) == profile_title(p, lang)

    @settings(max_examples=50)
    @given(n=st.integers(0, 10**12), lang=st.sampled_from(LOCAL))
    def test_numbers_read_back(self, n: int, lang: str) -> None:
        """A count written for a locale reads back, in that locale, as the same number."""
        from babel.numbers import parse_number

        assert parse_number(number_text(n, lang), locale=lang) == n

    @settings(max_examples=50)
    @given(
        whole=st.integers(-(10**15), 10**15),
        cents=st.one_of(st.none(), st.text("0123456789", min_size=1, max_size=4)),
        lang=st.sampled_from(LOCAL),
    )
    def test_money_reads_back(self, whole: int, cents: str | None, lang: str) -> None:
        """An amount written for a locale reads back, in that locale, as the same exact
        decimal, with every digit written (cents kept)."""
        from decimal import Decimal

        from babel.numbers import parse_decimal

        from sse_model._engine._display import money_text

        digits = f"{whole}" + (f".{cents}" if cents is not None else "")
        shown = money_text(f"{digits} VND", lang)
        number, currency = shown.rsplit(" ", 1)
        assert currency == "VND"
        assert parse_decimal(number, locale=lang) == Decimal(digits)
        if cents is not None:
            assert number.endswith(_decimal_sign(lang) + cents)

    @pytest.mark.parametrize("lang", LOCAL)
    def test_dates_are_babels(self, lang: str) -> None:
        """Dates are written as babel's medium format of the locale."""
        from babel.dates import format_date

        assert date_text(ON, lang) == format_date(ON, "medium", locale=lang)

    def test_local_forms_can_be_searched(self) -> None:
        """Every local name a display shows finds its form in the legal-form lookup."""
        for form in form_table().values():
            lang = COUNTRY_LANGUAGE.get(form.country)
            if lang is None:
                continue
            label = legal_form_label(form, lang)
            found = [f.code for f in find_legal_forms(label, country=form.country)]
            assert form.code in found, label
        assert [f.code for f in find_legal_forms("비영리사단법인")] == [
            "kr/incorporated-association"
        ]


class TestUnknownLanguage:
    """An unknown language is a clear error naming the known ones."""

    @pytest.mark.parametrize("lang", ["xx", "fr", "", "english", 7])
    def test_api(self, lang: object) -> None:
        """check_language and every display refuse it with UnknownLanguage (a ValueError)."""
        with pytest.raises(UnknownLanguage, match="expected one of en, km, ko, mn, th, vi"):
            check_language(lang)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="unknown language"):
            _result().explain(lang=lang)  # type: ignore[arg-type]

    @pytest.mark.parametrize("lang", ["vi-VN", "VI", "vi_VN", " th "])
    def test_regions_and_case(self, lang: str) -> None:
        """A region or another case names the same language."""
        assert check_language(lang) in LOCAL

    @pytest.mark.parametrize(
        "argv",
        [
            ["classify", str(SAMPLE), "--lang", "xx"],
            ["explain", str(SAMPLE), "--id", "vn-00001", "--lang", "xx"],
            ["profiles", "--lang", "xx"],
        ],
    )
    def test_cli(self, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
        """The command line says so in its one error style, exit 2, nothing on stdout."""
        out = io.StringIO()
        with pytest.raises(SystemExit) as exc:
            main(argv, out)
        assert exc.value.code == 2
        assert out.getvalue() == ""
        line = capsys.readouterr().err
        assert line.startswith("sse-model: error: argument --lang: unknown language 'xx'")
        assert "expected one of en, km, ko, mn, th, vi" in line
        assert line.count("\n") == 1

    def test_machine_formats_stay_english(self, tmp_path: Path) -> None:
        """--lang with a machine format is a usage error: JSON and CSV are never translated."""
        out, err = io.StringIO(), io.StringIO()
        code = main(["classify", str(SAMPLE), "--lang", "vi", "--format", "csv"], out, err)
        assert code == 2
        assert err.getvalue().startswith("sse-model: error: --lang goes with --format table")
        assert out.getvalue() == ""


def _run(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    assert main(list(argv), out, err) == 0, err.getvalue()
    return out.getvalue()


def _organisation(**extra: object) -> sse_model.Organisation:
    data = {
        "id": "vn-0001",
        "name": "Green Roots JSC",
        "country": "VN",
        "legal_form": "vn/jsc",
        "purpose": {"social": True, "commitment_registered": True},
        "finances": {
            "2024": {"profit_after_tax": "1000000000 VND", "reinvested": "510000000 VND"}
        },
    }
    data.update(extra)
    return sse_model.structure(data, sse_model.Organisation)


def _result() -> sse_model.Classification:
    return sse_model.classify(_organisation(), "vn/social-enterprise", on=ON)


class TestCommandLine:
    """--lang on classify, explain and profiles."""

    def test_classify_summary_in_vietnamese(self) -> None:
        """The README's job in Vietnamese: counts and date in the vi locale, the law's
        own title; headings with no verified term stay English."""
        text = _run(
            "classify", str(SAMPLE), "--on", "2025-06-30", "--profile", "vn/social-enterprise",
            "--lang", "vi", "--quiet",
        )  # fmt: skip
        assert text.startswith("Classified 3.000 organisations on 30 thg 6, 2025.")
        assert "3.000" in text.split("vn/social-enterprise", 1)[1].splitlines()[0]
        assert "  vn/social-enterprise: Luật Doanh nghiệp\n" in text

    def test_english_unchanged(self) -> None:
        """--lang en prints exactly what no --lang prints."""
        args = ("classify", str(SAMPLE), "--on", "2025-06-30", "--profile", "th/cooperative")
        assert _run(*args, "--lang", "en") == _run(*args)

    def test_classify_thai(self) -> None:
        """Each profile's law title is shown in its own language only."""
        text = _run(
            "classify", str(SAMPLE), "--on", "2025-06-30", "--profile", "th/social-enterprise",
            "--profile", "vn/cooperative", "--lang", "th",
        )  # fmt: skip
        assert "th/social-enterprise: พระราชบัญญัติส่งเสริมวิสาหกิจเพื่อสังคม พ.ศ. 2562" in text
        assert "Luật Hợp tác xã" not in text
        assert "3,000" in text

    def test_explain(self, tmp_path: Path) -> None:
        """explain --lang vi: the law's title and the date in Vietnamese."""
        path = tmp_path / "org.json"
        path.write_text(json.dumps(sse_model.unstructure(_organisation())), "utf-8")
        text = _run(
            "explain", str(path), "--profile", "vn/social-enterprise", "--on", "2025-06-30",
            "--lang", "vi",
        )  # fmt: skip
        assert "on 30 thg 6, 2025" in text.splitlines()[0]
        assert "  law: Luật Doanh nghiệp" in text
        everything = _run("explain", str(path), "--on", "2025-06-30", "--lang", "vi")
        assert everything.startswith("vn-0001 on 30 thg 6, 2025")

    def test_profiles(self) -> None:
        """profiles --lang ko lists Korean laws' own titles, English for the rest."""
        text = _run("profiles", "--lang", "ko")
        lines = {line.split()[0]: line for line in text.splitlines()}
        assert lines["kr/social-enterprise"].endswith("사회적기업 육성법")
        assert lines["kr/cooperative"].endswith("협동조합 기본법")
        assert lines["vn/cooperative"].endswith(load_profile("vn/cooperative").title)
        one = _run("profiles", "kh/association-ngo", "--lang", "km")
        assert one.splitlines()[1] == "ច្បាប់ស្តីពីសមាគម និងអង្គការមិនមែនរដ្ឋាភិបាល"


class TestDisplays:
    """lang= on the HTML and text displays; escaping holds with non-Latin text."""

    def test_explain_text(self) -> None:
        """explain(lang=) localises the date and adds the law's title; default unchanged."""
        r = _result()
        assert r.explain() == str(r) == r.explain("en")
        vi = r.explain("vi")
        assert "(version loe-2020, on 30 thg 6, 2025, fiscal year 2024): QUALIFIES" in vi
        assert "  law: Luật Doanh nghiệp" in vi

    def test_classification_html(self) -> None:
        """The result's HTML in Vietnamese: its criterion heading (a verified term), date
        and law title; every cell left-aligned; English HTML unchanged."""
        r = _result()
        assert r.to_html() == r._repr_html_() == r.to_html("en")
        html = r.to_html("vi")
        assert "tiêu chí</th>" in html
        assert "30 thg 6, 2025" in html
        assert "Luật Doanh nghiệp" in html
        assert "<td>" not in html and "<th>" not in html

    def test_organisation_html_escapes_non_latin(self) -> None:
        """Markup in a Khmer name is escaped, the Khmer text itself kept as characters;
        the family and legal form are in Khmer."""
        org = sse_model.structure(
            {
                "id": "kh-<1>",
                "name": "<script>x</script> សហគមន៍ & ក្រុម",
                "country": "KH",
                "legal_form": "kh/agricultural-cooperative",
                "family": "cooperative",
            },
            sse_model.Organisation,
        )
        html = org.to_html("km")
        assert "<script>" not in html
        assert "&lt;script&gt;x&lt;/script&gt; សហគមន៍ &amp; ក្រុម" in html
        assert "kh-&lt;1&gt;" in html
        assert "សហគមន៍កសិកម្ម" in html
        assert "· សហគមន៍</p>" in html
        assert org.to_html() == org._repr_html_()

    def test_money_in_the_locale(self) -> None:
        """Amounts in an organisation's HTML use the locale's separators, every digit kept."""
        org = _organisation(finances={"2024": {"revenue": "1234567.50 VND"}})
        assert "1.234.567,50 VND" in org.to_html("vi")
        assert "1,234,567.50 VND" in org.to_html()

    def test_register_html(self) -> None:
        """A register result's HTML: numbers and date in the locale; badges escaped."""
        pa = pytest.importorskip("pyarrow")
        table = pa.table(
            {
                "id": [f"vn-{i}" for i in range(1200)],
                "name": ["<b>Hợp tác xã</b>"] * 1200,
                "country": ["VN"] * 1200,
                "legal_form": ["vn/cooperative"] * 1200,
            }
        )
        res = sse_model.classify_table(table, ["vn/cooperative"], on=ON)
        assert res.to_html() == res._repr_html_()
        html = res.to_html("vi")
        assert "<b>1.200 rows</b>: 1.200 classified, 0 rejected, on 30 thg 6, 2025" in html
        assert "<td>" not in html

    def test_classification_table(self) -> None:
        """One organisation under all profiles: text and HTML in the locale's date."""
        t = sse_model.classify_under_all(_organisation(), on=ON)
        assert str(t) == t.to_text() == t.to_text("en")
        assert t.to_text("ko").startswith("vn-0001 on 2025. 6. 30.")
        assert "2025. 6. 30." in t.to_html("ko")
        assert t.to_html() == t._repr_html_()


class TestGuide:
    """docs/guides/languages.md shows the catalogs as they are."""

    def test_term_table_is_current(self) -> None:
        """The guide's table of verified, secondary and English-kept terms is the one the
        catalogs give (regenerate: python -m sse_model._catalogs table)."""
        text = (ROOT / "docs" / "guides" / "languages.md").read_text("utf-8")
        start = text.index("<!-- term-table -->\n") + len("<!-- term-table -->\n")
        end = text.index("<!-- /term-table -->")
        assert text[start:end].strip() == term_table().strip()

    def test_counts(self) -> None:
        """Every language has some verified terms and keeps English for verdicts."""
        for lang in LOCAL:
            rows = term_rows(lang)
            assert any(r.status == "verified" for r in rows)
            assert all(r.status == "English kept" for r in rows if r.context == "verdict")

"""The built-in lookups (register labels onto vocabulary cells) and ``parse_amount``."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from babel.numbers import format_currency, format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

import sse_model
from sse_model import EntityFamily, InvalidInput, LegalForm, find_legal_forms, legal_forms
from sse_model._cli import main
from sse_model._io import _lookups
from sse_model._io._flat import _FALSE, _TRUE
from sse_model._io._lookups import (
    LOOKUP_NAMES,
    THIS_COLUMN,
    InvalidAmount,
    UnknownLookup,
    lookup,
    normalise,
    parse_amount,
)
from sse_model._model._forms import _form, form_entries

# --- strategies (private to this module) -------------------------------------------

#: the locales the project's registers are written in, for amounts
LOCALES = ("en_GB", "de_DE", "fr_FR", "vi_VN")

#: exact amounts: up to 16 integer digits (VND and KRW go past 1e10), 0 to 4 decimals
amounts = st.builds(
    lambda digits, places, negative: (-1 if negative else 1) * Decimal(digits).scaleb(-places),
    st.integers(0, 10**16),
    st.integers(0, 4),
    st.booleans(),
)


def respell(label: str, how: int) -> str:
    """*label* as a register might write it: another case, spaces around and inside,
    a trailing full stop."""
    spelt = (label, label.upper(), label.lower(), label.title(), label.swapcase())[how % 5]
    if how & 8:
        spelt = spelt.replace(" ", "  ")
    if how & 16:
        spelt = f"  {spelt}\t"
    if how & 32:
        spelt = f"{spelt}."
    return spelt


def _all_form_labels() -> list[tuple[str, str]]:
    """(label, form id) for every id, name, local name and alias of the shipped forms."""
    out = []
    for code, form in legal_forms().items():
        for label in (code, form.name, form.local_name, *form.aliases):
            if label:
                out.append((label, code))
    return out


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


# --- tests -------------------------------------------------------------------------


class TestLookupNames:
    """The lookups are found by name; a wrong name says which exist."""

    def test_names(self) -> None:
        """The six built-in lookups, each with its targets and a one-line doc."""
        assert LOOKUP_NAMES == ("legal-form", "elf", "essglobal", "country", "currency", "yes-no")
        for name in LOOKUP_NAMES:
            lk = lookup(name)
            assert lk.name == name and lk.targets and "\n" not in lk.doc

    def test_unknown_name(self) -> None:
        """An unknown name is a ValueError (and SSEModelError) naming the known lookups."""
        with pytest.raises(UnknownLookup) as e:
            lookup("legal_form")
        assert isinstance(e.value, ValueError) and isinstance(e.value, sse_model.SSEModelError)
        assert "unknown lookup 'legal_form'" in str(e.value)
        assert "legal-form, elf, essglobal, country, currency, yes-no" in str(e.value)

    def test_repr_is_short(self) -> None:
        """The repr names the lookup and leaves the table out."""
        assert repr(lookup("elf")).startswith("Lookup(name='elf', targets=('legal_form',)")
        assert "table" not in repr(lookup("elf"))

    def test_tables_are_built_once(self) -> None:
        """Each table is cached: two calls give the same object."""
        assert _lookups._country_table() is _lookups._country_table()
        assert _lookups._legal_form_table() is _lookups._legal_form_table()


class TestNormalise:
    """Texts are compared after NFKC, case folding, collapsed spaces and edge punctuation."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (" Ltd. ", "ltd"),
            ("Community  Interest\tCompany", "community interest company"),
            ("“Society”", "society"),
            ("Công ty TNHH", "công ty tnhh"),  # NFKC composes the decomposed accent
            ("ＣＩＣ", "cic"),  # full-width letters
            ("(S)CIO", "(s)cio"),  # brackets are kept
            ("...", ""),
        ],
    )
    def test_golden(self, text: str, expected: str) -> None:
        """Golden normal forms."""
        assert normalise(text) == expected

    @settings(max_examples=200)
    @given(st.sampled_from(_all_form_labels()), st.integers(0, 63))
    def test_spelling_does_not_matter(self, entry: tuple[str, str], how: int) -> None:
        """Law: a label respelt (case, spaces, trailing full stop) looks up to what the
        label does, with and without the form's country."""
        label, code = entry
        lk = lookup("legal-form")
        country = legal_forms()[code].country
        assert lk.get(respell(label, how), country=country) == lk.get(label, country=country)
        assert lk.get(respell(label, how)) == lk.get(label)


class TestLegalFormLookup:
    """Labels of real registers onto the shipped legal forms."""

    @pytest.mark.parametrize(
        ("text", "country", "expected"),
        [
            # the Co-operatives UK "Legal Form" values (2016 and 2023 editions)
            ("Society", None, "gb/registered-society"),
            ("Community Interest Company", None, "gb/cic"),
            ("Unincorporated", None, "gb/unincorporated-association"),
            ("LLP", None, "gb/llp"),
            ("Scottish Charitable Incorporated Organisation", None, "gb/scio"),
            ("Charitable Incorporated Organisation", None, "gb/cio"),
            ("Company", None, None),  # limited by shares or by guarantee: not one form
            ("Company", "GB", None),
            ("", None, None),
            # English abbreviations and statutory names
            ("CIC", None, "gb/cic"),
            ("CIC limited by shares", None, "gb/cic-shares"),
            ("SCIO", "GB", "gb/scio"),
            ("Credit union", None, "gb/credit-union"),
            ("Co-operative society", None, "gb/co-operative-society"),
            ("Bona fide co-operative society", None, "gb/co-operative-society"),
            ("Community benefit society", None, "gb/community-benefit-society"),
            ("Industrial and Provident Society", None, "gb/registered-society"),
            ("Ltd", "GB", None),
            ("S.r.l.", None, "it/srl"),
            # verified local terms
            ("Công ty TNHH", None, "vn/llc"),
            ("công ty trách nhiệm hữu hạn", None, "vn/llc"),
            ("สหกรณ์", None, "th/cooperative"),
            ("협동조합", None, "kr/cooperative"),
            ("хоршоо", None, "mn/cooperative"),
            ("ТББ", "MN", "mn/ngo"),
            # ids, and a country that has no such form
            ("gb/cic", None, "gb/cic"),
            ("Cooperative", "GB", None),
            ("Công ty TNHH", "TH", None),
        ],
    )
    def test_golden(self, text: str, country: str | None, expected: str | None) -> None:
        """Golden labels, with and without a country."""
        got = lookup("legal-form").get(text, country=country)
        assert got == (None if expected is None else {"legal_form": expected})

    @settings(max_examples=300)
    @given(st.sampled_from(_all_form_labels()))
    def test_every_label_finds_its_form(self, entry: tuple[str, str]) -> None:
        """Law: every form's id, name, local name and alias looks up to that form given
        the form's country (and without one, unless another country's form shares it)."""
        label, code = entry
        lk = lookup("legal-form")
        assert lk.get(label, country=legal_forms()[code].country) == {"legal_form": code}
        sharing = {c for lab, c in _all_form_labels() if normalise(lab) == normalise(label)}
        if sharing == {code}:
            assert lk.get(label) == {"legal_form": code}
        else:
            assert lk.get(label) is None

    @pytest.mark.parametrize("text", ["Cooperative", "Association", "Foundation", "Mutuelle"])
    def test_ambiguous_label_needs_a_country(self, text: str) -> None:
        """A label forms of several countries share matches only with a country; the
        suggestions are the candidates."""
        lk = lookup("legal-form")
        assert lk.get(text) is None
        candidates = lk.suggest(text)
        assert len(candidates) > 1 and all(c in legal_forms() for c in candidates)
        for code in candidates:
            country = legal_forms()[code].country
            assert lk.get(text, country=country) == {"legal_form": code}

    def test_suggestions_for_a_typo(self) -> None:
        """A misspelt label gets close labels, best first."""
        assert lookup("legal-form").suggest("Comunity Interest Compny")[0] == (
            "Community interest company"
        )
        assert lookup("legal-form").suggest("Socety") == ("Society", "Mutual society")

    def test_aliases_are_shipped(self) -> None:
        """The forms the Co-operatives UK data needs exist, with their laws and aliases."""
        forms = legal_forms()
        for code, alias in [
            ("gb/llp", "LLP"),
            ("gb/credit-union", "Credit union"),
            ("gb/unincorporated-association", "Unincorporated"),
            ("gb/scio", "SCIO"),
            ("gb/cio", "CIO"),
            ("gb/registered-society", "Society"),
            ("gb/cic", "CIC"),
        ]:
            assert alias in forms[code].aliases
        assert {forms[c].law is not None for c in ("gb/llp", "gb/cio", "gb/cic")} == {True}


class TestFormData:
    """Bad aliases in the legal-form data are refused with their path."""

    def test_bad_aliases(self) -> None:
        """``aliases`` must be a list of non-empty labels."""
        entry = {**form_entries()["gb/llp"], "aliases": ["LLP", ""]}
        with pytest.raises(InvalidInput) as e:
            _form("gb/llp", entry)
        assert e.value.errors[0].path == "legal_forms.gb/llp.aliases"
        assert "expected a list of labels" in e.value.errors[0].message

    def test_label_shared_within_a_country(self) -> None:
        """A label two forms of one country share is an error: no country could choose."""
        forms = dict(legal_forms())
        llp = forms["gb/llp"]
        forms["gb/llp"] = LegalForm(
            code=llp.code, country=llp.country, name=llp.name, family=None,
            families=llp.families, aliases=("CIC",),
        )  # fmt: skip
        with pytest.raises(InvalidInput, match="names several forms of one country"):
            _lookups._legal_form_labels(forms)


class TestElfLookup:
    """ISO 20275 codes onto the forms."""

    @settings(max_examples=100)
    @given(st.sampled_from([f for f in legal_forms().values() if f.elf_code]))
    def test_every_code_finds_its_form(self, form: LegalForm) -> None:
        """Law: a form's ELF code looks up to the form, or, for a code GLEIF gives several
        kinds of one form, to that form (17R0: gb/cic)."""
        assert form.elf_code is not None
        expected = _lookups._SHARED_ELF.get(form.elf_code, form.code)
        assert lookup("elf").get(form.elf_code) == {"legal_form": expected}
        assert lookup("elf").get(form.elf_code.lower(), country=form.country) == {
            "legal_form": expected
        }

    def test_golden(self) -> None:
        """Golden codes: a code of another country, and an unknown one, match nothing."""
        elf = lookup("elf")
        assert elf.get("17R0") == {"legal_form": "gb/cic"}
        assert elf.get("XLZV") == {"legal_form": "gb/registered-society"}
        assert elf.get("S97E", country="GB") is None
        assert elf.get("ZZZZ") is None

    def test_a_code_on_two_forms_must_be_declared(self) -> None:
        """Two forms with one code the table does not explain are an error in the data."""
        forms = dict(legal_forms())
        forms["gb/llp"] = LegalForm(
            code="gb/llp", country="GB", name="LLP", family=None, elf_code="XLZV",
            families=(EntityFamily.PARTNERSHIP,),
        )  # fmt: skip
        with pytest.raises(InvalidInput, match="XLZV is on several forms"):
            _lookups._elf_labels(forms)


_OS = "https://dev.lod.coop/essglobal/2.1/standard/organisational-structure/"


class TestEssGlobalLookup:
    """ESSGlobal organisational-structure terms onto what each says."""

    @pytest.mark.parametrize(
        ("term", "gb", "elsewhere"),
        [
            ("OS120", {"legal_form": "gb/cic"}, {}),
            ("OS130", {"legal_form": "gb/registered-society"}, {}),
            ("OS160", {"legal_form": "gb/unincorporated-association"}, {}),
            ("OS60", {"family": "cooperative"}, {"family": "cooperative"}),
            ("OS115", {"family": "cooperative"}, {"family": "cooperative"}),
            ("OS170", {"family": "mutual_society"}, {"family": "mutual_society"}),
            ("OS220", {"family": "public_body"}, {"family": "public_body"}),
            ("OS40", {"registration.charity": "true"}, {"registration.charity": "true"}),
            ("OS50", {}, {}),
            ("OS140", {}, {}),
            ("OS240", {}, {}),
        ],
    )
    def test_golden(self, term: str, gb: dict[str, str], elsewhere: dict[str, str]) -> None:
        """Golden terms, as a code, an ``os:`` name and a URI, in the UK and in France."""
        lk = lookup("essglobal")
        for text in (term, f"os:{term}", f"{_OS}{term}", term.lower()):
            assert lk.get(text, country="GB") == gb
            assert lk.get(text, country="FR") == elsewhere
            assert lk.get(text) == elsewhere

    def test_every_term_is_known(self) -> None:
        """OS10 to OS240 (the 25 terms of the 2.1 vocabulary) are all in the table."""
        ids = {f"OS{n}" for n in (*range(10, 250, 10), 115)}
        assert set(_lookups._essglobal_table().terms) == ids

    def test_unknown_terms(self) -> None:
        """Unknown terms, and membership types (no vocabulary column), match nothing."""
        lk = lookup("essglobal")
        assert lk.get("OS999") is None
        assert lk.get("bmt:BMT10") is None
        assert lk.get("https://example.org/OS120") is None

    def test_labels_match_too(self) -> None:
        """The English and French labels match the term."""
        lk = lookup("essglobal")
        assert lk.get("Workers cooperative") == {"family": "cooperative"}
        assert lk.get("Mutuelle") == {"family": "mutual_society"}
        assert lk.suggest("Workers coperative")[0] == "Workers cooperative"

    def test_bad_data(self) -> None:
        """A term naming a form of another country, or no note, is refused with its path."""
        raw: dict[str, Any] = {
            "bases": [],
            "terms": {"OS120": {"label": "CIC", "legal_form": {"FR": "gb/cic"}, "note": "x"}},
        }
        with pytest.raises(InvalidInput) as e:
            _lookups._essglobal_terms(raw, legal_forms())
        assert e.value.errors[0].path == "essglobal.terms.OS120"
        assert "expected a legal form of FR" in e.value.errors[0].message
        raw["terms"]["OS120"] = {"label": "CIC", "family": "coop", "note": "x"}
        with pytest.raises(InvalidInput, match="expected a family"):
            _lookups._essglobal_terms(raw, legal_forms())
        raw["terms"]["OS120"] = {"label": "CIC"}
        with pytest.raises(InvalidInput, match="expected a note"):
            _lookups._essglobal_terms(raw, legal_forms())


class TestCountryLookup:
    """Country codes and names in many languages onto ISO 3166-1 alpha-2."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("GB", "GB"), ("gbr", "GB"), ("826", "GB"), ("UK", "GB"), ("uk", "GB"),
            ("United Kingdom", "GB"), ("Great Britain", "GB"), ("England", "GB"),
            ("Scotland", "GB"), ("Wales", "GB"), ("Northern Ireland", "GB"),
            ("Österreich", "AT"), ("Deutschland", "DE"), ("Viet Nam", "VN"),
            ("Việt Nam", "VN"), ("Vietnam", "VN"), ("ประเทศไทย", "TH"), ("ไทย", "TH"),
            ("대한민국", "KR"), ("Republic of Korea", "KR"), ("South Korea", "KR"),
            ("Монгол", "MN"), ("កម្ពុជា", "KH"), ("France.", "FR"), ("  france ", "FR"),
            ("Frace", None), ("Atlantis", None), ("", None),
        ],
    )  # fmt: skip
    def test_golden(self, text: str, expected: str | None) -> None:
        """Golden names and codes."""
        got = lookup("country").get(text)
        assert got == (None if expected is None else {"country": expected})

    def test_suggestions_for_a_typo(self) -> None:
        """A misspelt country gets the close English names."""
        assert lookup("country").suggest("Frace")[0] == "France"
        assert "Germany" in lookup("country").suggest("Germani")

    @settings(max_examples=50)
    @given(st.sampled_from(sorted(_lookups._COUNTRY_ALIASES)))
    def test_aliases_are_unambiguous(self, alias: str) -> None:
        """Law: every alias of the small table looks up to its one code."""
        assert lookup("country").get(alias) == {"country": _lookups._COUNTRY_ALIASES[alias]}


class TestCurrencyLookup:
    """ISO 4217 codes, names and symbols onto codes."""

    @pytest.mark.parametrize(
        ("text", "country", "expected"),
        [
            ("GBP", None, "GBP"), ("gbp", None, "GBP"), ("£", None, "GBP"),
            ("€", None, "EUR"), ("euro", None, "EUR"), ("euros", None, "EUR"),
            ("₫", None, "VND"), ("₩", None, "KRW"), ("US$", None, "USD"),
            ("$", None, "USD"), ("$", "MX", "MXN"), ("$", "CA", "CAD"),
            ("ZZZ", None, None), ("", None, None),
        ],
    )  # fmt: skip
    def test_golden(self, text: str, country: str | None, expected: str | None) -> None:
        """Golden currencies; the row's country picks among currencies sharing a symbol."""
        got = lookup("currency").get(text, country=country)
        assert got == (None if expected is None else {"currency": expected})


class TestYesNoLookup:
    """The flat reader's yes/no words onto true/false, for the column it is applied to."""

    def test_golden(self) -> None:
        """Every word the flat reader accepts, respelt, gives its value; others nothing."""
        lk = lookup("yes-no")
        assert lk.targets == (THIS_COLUMN,)
        for words, value in ((_TRUE, "true"), (_FALSE, "false")):
            for word in words:
                assert lk.get(f" {word.upper()}. ") == {THIS_COLUMN: value}
        assert lk.get("maybe") is None
        assert lk.suggest("yse") == ("yes",)


class TestParseAmount:
    """Amounts with symbols and separators, read by babel into exact decimal text."""

    @pytest.mark.parametrize(
        ("text", "kwargs", "expected"),
        [
            ("£1,234.50", {}, ("1234.50", "GBP")),
            ("1.234,5", {"locale": "de_DE"}, ("1234.5", None)),
            ("1 234,5", {"locale": "fr_FR"}, ("1234.5", None)),
            ("1\u202f234,5 €", {"locale": "fr_FR"}, ("1234.5", "EUR")),
            ("1.470.000.000.000 ₫", {"locale": "vi_VN"}, ("1470000000000", "VND")),
            ("VND 14,700,000,000", {}, ("14700000000", "VND")),
            ("-£5", {}, ("-5", "GBP")),
            ("\u22125", {}, ("-5", None)),
            ("1234", {}, ("1234", None)),
            ("0.00", {}, ("0.00", None)),
            ("1'234.5", {"decimal": ".", "thousands": "'"}, ("1234.5", None)),
            ("1 234,50", {"decimal": ",", "thousands": " "}, ("1234.50", None)),
            ("$5", {"locale": "es_MX"}, ("5", "MXN")),
        ],
    )
    def test_golden(self, text: str, kwargs: dict[str, str], expected: tuple[str, str]) -> None:
        """Golden amounts."""
        assert parse_amount(text, **kwargs) == expected

    @pytest.mark.parametrize(
        ("text", "kwargs", "message"),
        [
            ("12,34,5", {"locale": "en_GB"}, "expected an amount such as 1,234.50 (en_GB), got '12,34,5'"),
            ("1,2345", {}, "expected an amount such as 1,234.50 (en), got '1,2345'"),
            ("1.47e+10", {}, "got '1.47e+10'"),
            ("NaN", {}, "got 'NaN'"),
            ("Infinity", {}, "got 'Infinity'"),
            ("", {}, "got ''"),
            ("£1,234.50", {"locale": "de_DE"}, "(de_DE), got '£1,234.50'"),
            ("12 ZZZ", {}, "'ZZZ' is not a currency code, name or symbol"),
            ("£ 12 GBP", {}, "text both before and after the number"),
        ],
    )  # fmt: skip
    def test_bad_amount(self, text: str, kwargs: dict[str, str], message: str) -> None:
        """A text that is not an amount in the notation is an error saying what was expected."""
        with pytest.raises(InvalidAmount) as e:
            parse_amount(text, **kwargs)
        assert message in str(e.value)
        assert isinstance(e.value, ValueError)

    def test_bad_notation(self) -> None:
        """An unknown locale, or one separator for both, is an error."""
        with pytest.raises(InvalidAmount, match="expected a locale such as en_GB"):
            parse_amount("1", locale="xx_YY")
        with pytest.raises(InvalidAmount, match="expected different decimal and thousands"):
            parse_amount("1,5", decimal=",", thousands=",")

    @settings(max_examples=200)
    @given(amounts, st.sampled_from(LOCALES))
    def test_round_trip(self, amount: Decimal, locale: str) -> None:
        """Law: an amount babel writes in a locale reads back as the same exact decimal,
        written without an exponent."""
        text = format_decimal(amount, locale=locale, decimal_quantization=False)
        value, currency = parse_amount(text, locale=locale)
        assert Decimal(value) == amount and currency is None
        assert "e" not in value.lower()

    @settings(max_examples=100)
    @given(amounts, st.sampled_from([("en_GB", "GBP"), ("de_DE", "EUR"), ("fr_FR", "EUR"),
                                     ("vi_VN", "VND")]))  # fmt: skip
    def test_round_trip_with_currency(self, amount: Decimal, where: tuple[str, str]) -> None:
        """Law: an amount with its currency symbol, as babel writes it, reads back as the
        amount and the currency."""
        locale, code = where
        text = format_currency(
            amount, code, locale=locale, currency_digits=False, decimal_quantization=False
        )
        value, currency = parse_amount(text, locale=locale)
        assert Decimal(value) == amount and currency == code

    @settings(max_examples=100)
    @given(amounts, st.sampled_from([(".", ","), (",", "."), (",", " "), (".", "'")]))
    def test_round_trip_explicit_separators(self, amount: Decimal, seps: tuple[str, str]) -> None:
        """Law: with explicit separators, the amount written with them reads back exactly."""
        point, group = seps
        text = format_decimal(amount, locale="en", decimal_quantization=False)
        text = text.replace(",", "\0").replace(".", point).replace("\0", group)
        value, _ = parse_amount(text, decimal=point, thousands=group)
        assert Decimal(value) == amount


class TestFindLegalForms:
    """``sse_model.find_legal_forms``: forms by label, alias, ELF code, or closest."""

    def test_exact(self) -> None:
        """Labels, ELF codes and ids give the forms, with their presumptions."""
        assert [f.code for f in find_legal_forms("CIC")] == ["gb/cic"]
        assert [f.code for f in find_legal_forms("17R0")] == ["gb/cic"]
        assert find_legal_forms("gb/cic")[0] is legal_forms()["gb/cic"]
        assert len(find_legal_forms("Cooperative")) > 1

    def test_country(self) -> None:
        """A country, as a code or a name, keeps its forms only."""
        assert [f.code for f in find_legal_forms("Cooperative", country="VN")] == [
            "vn/cooperative"
        ]
        assert [f.code for f in find_legal_forms("cooperative", country="Thailand")] == [
            "th/cooperative"
        ]
        with pytest.raises(InvalidInput, match="did you mean France"):
            find_legal_forms("SCOP", country="Frace")

    def test_closest(self) -> None:
        """A typo gives the forms of the closest labels; nonsense gives none."""
        assert find_legal_forms("Comunity interest compny")[0].code == "gb/cic"
        assert find_legal_forms("qqqqqq") == ()


class TestLegalFormsCommand:
    """``sse-model legal-forms`` lists and finds forms."""

    def test_lists_every_form(self) -> None:
        """Without options, every shipped form, with its family and law; exit 0."""
        code, out, err = run("legal-forms")
        assert code == 0 and err == ""
        listed = [line.split()[0] for line in out.splitlines() if not line.startswith(" ")]
        assert listed == list(legal_forms())
        assert "    law: Limited Liability Partnerships Act 2000" in out

    def test_country(self) -> None:
        """``--country`` keeps one country's forms."""
        code, out, _ = run("legal-forms", "--country", "uk")
        listed = [line.split()[0] for line in out.splitlines() if not line.startswith(" ")]
        assert code == 0 and listed and all(c.startswith("gb/") for c in listed)

    def test_search(self) -> None:
        """``--search`` shows the forms a label names, or says it shows the closest."""
        code, out, _ = run("legal-forms", "--search", "Công ty TNHH")
        assert code == 0 and out.startswith("vn/llc  Limited liability company\n")
        assert "    local name: Công ty trách nhiệm hữu hạn\n" in out
        code, out, _ = run("legal-forms", "--search", "Comunity interest company")
        assert code == 0 and out.startswith("no legal form is called 'Comunity interest company'")
        assert "gb/cic  " in out
        code, out, _ = run("legal-forms", "--search", "qqqqqq")
        assert code == 0 and out == "no legal form is called 'qqqqqq' or anything close\n"

    def test_unknown_country(self) -> None:
        """An unknown ``--country`` is one error line with close names, exit 2."""
        code, out, err = run("legal-forms", "--country", "Frace")
        assert code == 2 and out == ""
        assert err.startswith("sse-model: error: --country: expected an ISO 3166-1 code")
        assert "did you mean France" in err and err.count("\n") == 1

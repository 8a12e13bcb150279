"""The organisation model: exact values, units at the edges, consistency checks."""

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given

from sse_model import (
    PRINCIPLES,
    CurrencyMismatch,
    EntityFamily,
    FiscalYear,
    InvalidInput,
    Money,
    Organisation,
    Principle,
    Undefined,
    legal_forms,
    structure,
    unit_registry,
)
from sse_model.testing import fiscal_years, ratios


def fy(**amounts: Any) -> FiscalYear:
    return structure({"year": 2023, **amounts}, FiscalYear)


class TestPrinciplesAndFamilies:
    """The ILO 2022 principles and the entity families are typed data with sources."""

    def test_four_principles_with_sources(self) -> None:
        """Each of the four principles has a name, a description and the ILO source."""
        assert len(PRINCIPLES) == 4
        for p in Principle:
            assert p.info.name and p.info.description
            assert any("ILO" in s for s in p.info.sources)

    def test_sse_families(self) -> None:
        """The six ILO families are SSE families; companies and public bodies are not."""
        sse = {f for f in EntityFamily if f.is_sse_family}
        assert {f.value for f in sse} == {
            "cooperative",
            "association",
            "mutual_society",
            "foundation",
            "social_enterprise",
            "self_help_group",
        }

    def test_legal_forms_map_to_families(self) -> None:
        """National forms are data mapped to families; a status is not a form."""
        forms = legal_forms()
        assert forms["vn/jsc"].family is EntityFamily.COMPANY
        assert forms["fr/scic"].family is EntityFamily.COOPERATIVE
        assert forms["kr/social-cooperative"].family is EntityFamily.COOPERATIVE
        assert not any("certified" in code for code in forms)
        assert all(code.split("/")[0] in (f.country.lower(), "ca-qc") for code, f in forms.items())


class TestQuantities:
    """Quantities are parsed once, exactly, through the one pint registry."""

    def test_one_registry(self) -> None:
        """The registry is built once and shared."""
        assert unit_registry() is unit_registry()

    @pytest.mark.parametrize("written", [0.51, "0.51", "51 %", "51%", "510 permille", "51/100"])
    def test_equivalent_ratios_normalise_equally(self, written: object) -> None:
        """0.51, 51 % and 510 permille are the same share, exactly 51/100."""
        o = structure(
            {
                "id": "a",
                "name": "a",
                "country": "VN",
                "governance": {"foreign_capital_share": written},
            },
            Organisation,
        )
        assert o.governance.foreign_capital_share == Fraction(51, 100)

    def test_percent_is_exact_at_the_boundary(self) -> None:
        """70 % is exactly 7/10 (a float registry would give 0.7000000000000001)."""
        o = structure(
            {
                "id": "a",
                "name": "a",
                "country": "TH",
                "governance": {"foreign_capital_share": "70 %"},
            },
            Organisation,
        )
        assert o.governance.foreign_capital_share == Fraction(7, 10)

    def test_currencies_never_mix(self) -> None:
        """Adding amounts in two currencies is an error, never a conversion."""
        with pytest.raises(CurrencyMismatch):
            _ = Money(Decimal(1), "VND") + Money(Decimal(1), "THB")
        with pytest.raises(CurrencyMismatch):
            _ = Money(Decimal(1), "VND") <= Money(Decimal(1), "THB")
        assert Money(Decimal(1), "VND") < Money(Decimal(2), "VND")
        assert Money(Decimal(3), "VND") - Money(Decimal(1), "VND") == Money(Decimal(2), "VND")
        q = Money(Decimal(5), "EUR").to_quantity()
        with pytest.raises(Exception, match=r"[Cc]annot convert|dimension"):
            q.to("currency_USD")

    def test_a_year_in_two_currencies_is_rejected(self) -> None:
        """All amounts of a fiscal year are in one currency."""
        with pytest.raises(InvalidInput, match="expected an amount in VND"):
            fy(revenue="10 VND", labour_costs="1 USD")

    @given(ratios(), ratios())
    def test_hours_in_other_units(self, a: Fraction, b: Fraction) -> None:
        """Volunteer hours written in days or minutes are normalised to exact hours."""
        hours = a * 1000 + b
        o1 = structure(
            {
                "id": "a",
                "name": "a",
                "country": "KR",
                "workforce": {"volunteer_hours": f"{hours} h"},
            },
            Organisation,
        )
        o2 = structure(
            {
                "id": "a",
                "name": "a",
                "country": "KR",
                "workforce": {"volunteer_hours": f"{hours * 60} min"},
            },
            Organisation,
        )
        assert o1 == o2
        assert o1.workforce.volunteer_hours == hours


class TestDerivedShares:
    """Derived shares come exactly from raw amounts; a loss year gives 'undefined'."""

    @given(fiscal_years())
    def test_shares_equal_exact_recomputation(self, year: FiscalYear) -> None:
        """reinvested_share == reinvested / profit_after_tax, exactly, when profit > 0."""
        p, r = year.profit_after_tax, year.reinvested
        if p is None or r is None:
            assert year.reinvested_share is None
        elif p.amount <= 0:
            assert isinstance(year.reinvested_share, Undefined)
        else:
            assert year.reinvested_share == Fraction(r.amount) / Fraction(p.amount)
        s, rev = year.revenue_from_sales, year.revenue
        if s is not None and rev is not None and rev.amount > 0:
            assert year.sales_share == Fraction(s.amount) / Fraction(rev.amount)

    def test_loss_year_is_undefined_not_negative(self) -> None:
        """A loss gives an undefined share, never a negative or infinite one."""
        year = fy(profit_after_tax="-100 VND", reinvested="0 VND", dividends="0 VND")
        assert isinstance(year.reinvested_share, Undefined)
        assert isinstance(year.distributed_share, Undefined)
        assert year.pays_dividends is False

    def test_unknown_stays_unknown(self) -> None:
        """A missing amount gives an unknown share, not zero."""
        year = fy(reinvested="10 VND")
        assert year.reinvested_share is None
        assert year.pays_dividends is None


class TestNewShares:
    """The shares added in issue 15 at and around their zero denominators."""

    @pytest.mark.parametrize(
        ("equity", "contributions", "expected"),
        [
            ("1000 EUR", "0 EUR", Fraction(60, 1000)),  # (50 + 10) / (1000 + 0)
            ("0 EUR", "1 EUR", Fraction(60, 1)),  # a denominator of one euro
            ("0 EUR", "0 EUR", Undefined),  # no equity and no contributions
        ],
    )
    def test_capital_return(self, equity: str, contributions: str, expected: Any) -> None:
        """R.3332-21-1 2°: (dividends + remuneration) / (equity + contributions)."""
        year = fy(
            dividends="50 EUR",
            financial_contributions_remuneration="10 EUR",
            equity=equity,
            financial_contributions=contributions,
        )
        if expected is Undefined:
            assert isinstance(year.capital_return, Undefined)
        else:
            assert year.capital_return == expected

    def test_capital_return_unknown_part_is_unknown(self) -> None:
        """An unknown remuneration of contributions leaves the return unknown, never zero."""
        year = fy(dividends="50 EUR", equity="1000 EUR", financial_contributions="0 EUR")
        assert year.capital_return is None

    @pytest.mark.parametrize(
        ("branch", "expected"),
        [("25000 EUR", Fraction(7)), ("1 EUR", Fraction(175000)), ("0 EUR", Undefined)],
    )
    def test_pay_to_branch_minimum(self, branch: str, expected: Any) -> None:
        """L.3332-17-1 I 3°: pay over the annual pay at the branch minimum wage."""
        o = structure(
            {
                "id": "x",
                "name": "x",
                "workforce": {
                    "top5_average_pay": "175000 EUR",
                    "highest_pay": "175000 EUR",
                    "branch_minimum_pay": branch,
                },
            },
            Organisation,
        )
        for share in (
            o.workforce.top5_pay_to_branch_minimum,
            o.workforce.highest_pay_to_branch_minimum,
        ):
            if expected is Undefined:
                assert isinstance(share, Undefined)
            else:
                assert share == expected

    def test_branch_minimum_in_another_currency_is_refused(self) -> None:
        """The pay and the branch minimum are one currency."""
        with pytest.raises(InvalidInput, match="workforce"):
            structure(
                {
                    "id": "x",
                    "name": "x",
                    "workforce": {"highest_pay": "60000 EUR", "branch_minimum_pay": "20000 GBP"},
                },
                Organisation,
            )


class TestLda:
    """pt/lda: the Portuguese private limited company (sociedade por quotas)."""

    def test_form(self) -> None:
        """A company with legal personality; ELF USOG."""
        form = legal_forms()["pt/lda"]
        assert form.family is EntityFamily.COMPANY
        assert form.legal_personality is True
        assert form.elf_code == "USOG"
        assert form.aliases == ("Lda.",)


class TestConsistency:
    """Checks a careful analyst would make give clear errors with paths."""

    def test_vulnerable_workers_at_most_workers(self) -> None:
        """Vulnerable workers cannot outnumber paid workers."""
        with pytest.raises(
            InvalidInput, match=r"workforce\.vulnerable_workers: expected at most paid_workers"
        ):
            structure(
                {
                    "id": "a",
                    "name": "a",
                    "country": "KR",
                    "workforce": {"paid_workers": 3, "vulnerable_workers": 4},
                },
                Organisation,
            )

    def test_shares_within_bounds(self) -> None:
        """A share above 100 % is rejected."""
        with pytest.raises(InvalidInput, match="between 0 and 100 %"):
            structure(
                {
                    "id": "a",
                    "name": "a",
                    "country": "VN",
                    "governance": {"foreign_capital_share": "120 %"},
                },
                Organisation,
            )

    def test_allocations_within_profit(self) -> None:
        """Reinvested + reserves + dividends + refunds cannot exceed the profit."""
        with pytest.raises(InvalidInput, match="at most profit_after_tax"):
            fy(profit_after_tax="100 VND", reinvested="60 VND", dividends="50 VND")

    def test_family_may_differ_from_the_legal_form(self) -> None:
        """Identity is not the vehicle: a co-operative incorporated as a company is
        accepted with the family it is given (a difference from the form's family is
        reported on the classification, not rejected)."""
        org = structure(
            {
                "id": "a",
                "name": "a",
                "country": "VN",
                "legal_form": "vn/jsc",
                "family": "cooperative",
            },
            Organisation,
        )
        assert org.family is EntityFamily.COOPERATIVE
        assert org.legal_form == "vn/jsc"

    def test_family_is_not_filled_from_the_legal_form(self) -> None:
        """An organisation's family is what the data says; the form's is a presumption."""
        org = Organisation(id="a", name="a", country="VN", legal_form="vn/jsc")
        assert org.family is None

    def test_country_is_checked_against_iso_3166(self) -> None:
        """The country must be an ISO 3166-1 alpha-2 code."""
        with pytest.raises(InvalidInput, match="ISO 3166-1"):
            Organisation(id="a", name="a", country="XX")
        with pytest.raises(InvalidInput, match="subdivision"):
            Organisation(id="a", name="a", country="CA", subdivision="FR-IDF")
        assert (
            Organisation(id="a", name="a", country="CA", subdivision="CA-QC").subdivision
            == "CA-QC"
        )


class TestCertifications:
    """A certification is a status on top of a legal form, valid between dates."""

    def test_validity(self) -> None:
        """A status is valid from its grant until expiry or revocation."""
        from sse_model import Certification

        c = Certification(
            "kr/certified-social-enterprise",
            granted_on=date(2020, 1, 1),
            expires_on=date(2024, 12, 31),
        )
        assert c.valid_on(date(2019, 12, 31)) is False
        assert c.valid_on(date(2020, 1, 1)) is True
        assert c.valid_on(date(2025, 1, 1)) is False
        assert Certification("x").valid_on(date(2020, 1, 1)) is None
        open_ended = Certification("x", granted_on=date(2020, 1, 1))
        assert open_ended.valid_on(date(2021, 1, 1)) is None  # expiry unknown: not assumed
        forever = Certification("x", granted_on=date(2020, 1, 1), indefinite=True)
        assert forever.valid_on(date(2030, 1, 1)) is True
        revoked = Certification(
            "x", granted_on=date(2020, 1, 1), indefinite=True, revoked_on=date(2022, 1, 1)
        )
        assert revoked.valid_on(date(2022, 1, 1)) is False


class TestRepr:
    """Reprs stay short."""

    def test_organisation_repr(self) -> None:
        """The repr names the organisation, not all its facts."""
        o = Organisation(id="vn-1", name="Green", country="VN", legal_form="vn/jsc")
        assert (
            repr(o) == "Organisation(id='vn-1', name='Green', country='VN', legal_form='vn/jsc')"
        )


class TestElfCodes:
    """ISO 20275 codes are filled only where read in the GLEIF list."""

    def test_codes_are_well_formed_and_checked(self) -> None:
        """Every code is 4 alphanumerics; forms without a code in the list have none."""
        forms = legal_forms()
        codes = {k: f.elf_code for k, f in forms.items() if f.elf_code}
        assert all(len(c) == 4 and c.isalnum() and c == c.upper() for c in codes.values())
        assert len(codes) == 47
        assert codes["vn/cooperative"] == "S97E"
        assert codes["pt/lda"] == "USOG"  # Sociedade por Quotas, both copies of the list
        assert codes["fr/association-1901"] == "BEWI"
        assert forms["kr/cooperative"].elf_code is None  # not in the GLEIF list
        assert forms["fr/scic"].elf_code is None

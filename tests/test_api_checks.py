"""The public API at its boundary: arguments checked at every entry point, ``on`` read
in every form, Hypothesis's entry point, compact counterexamples."""

from __future__ import annotations

import datetime as dt
import decimal
import fractions
import inspect
import json
import os
import subprocess
import sys
import textwrap
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.vendor.pretty import pretty

import sse_model
from sse_model import (
    Classifier,
    InvalidArgument,
    InvalidInput,
    Money,
    Organisation,
    RegisterClassifier,
    SSEModelError,
    _checks,
    classify,
    classify_file,
    classify_many,
    classify_table,
    classify_under_all,
    compare_profiles,
    compare_thresholds,
    load_profile,
    presume,
    structure,
    to_dataframe,
    to_json,
)
from sse_model import plots as sse_plots
from sse_model._model import MODEL_TYPES
from sse_model.testing import organisations

pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")

ROOT = Path(__file__).resolve().parents[1]
P = "intl/ilo-2022"
ON = dt.date(2025, 6, 30)
ORG = structure(
    {"id": "a", "name": "A", "country": "VN", "legal_form": "vn/cooperative"}, Organisation
)
ORGS = [ORG, structure({"id": "b", "name": "B", "country": "VN"}, Organisation)]
FRAME = pd.DataFrame([{"id": "a", "name": "A", "country": "VN"}])

#: (call, argument named, words of the hint)
WRONG: list[tuple[str, Callable[[], Any], str, str]] = [
    ("frame to classify_many", lambda: classify_many(FRAME, P), "organisations", "classify_table"),
    ("series to classify", lambda: classify(FRAME.iloc[0], P), "organisation", "classify_table"),
    ("classify swapped", lambda: classify(P, ORG), "organisation", "swapped"),  # type: ignore[arg-type]
    ("profiles to classify", lambda: classify(ORG, [P, P]), "profile", "classify_many"),  # type: ignore[arg-type]
    ("path to classify", lambda: classify(ORG, Path("x.toml")), "profile", "load_profile_file"),  # type: ignore[arg-type]
    ("classify_many swapped", lambda: classify_many(P, ORGS), "organisations", "swapped"),  # type: ignore[arg-type]
    ("one organisation", lambda: classify_many(ORG, P), "organisations", "classify("),  # type: ignore[arg-type]
    ("frame as profiles", lambda: classify_many(ORGS, FRAME), "profiles", "swapped"),
    (
        "record among orgs",
        lambda: classify_many([ORG, {"id": "x"}], P),
        "organisations[1]",
        "structure",
    ),  # type: ignore[list-item]
    ("bad profile in list", lambda: classify_many(ORGS, [P, 3]), "profiles[1]", ""),  # type: ignore[list-item]
    ("path to classify_table", lambda: classify_table("reg.csv", P), "table", "classify_file"),
    ("orgs to classify_table", lambda: classify_table(ORGS, P), "table", "classify_many"),
    ("classify_table swapped", lambda: classify_table(P, FRAME), "profiles", "swapped"),
    ("one record", lambda: classify_table({"id": "a"}, P), "table", "[record]"),
    (
        "frame to classify_file",
        lambda: classify_file(FRAME, P, output="o.csv"),
        "source",
        "classify_table",
    ),
    ("frame to RegisterClassifier", lambda: RegisterClassifier(FRAME), "profiles", "swapped"),
    ("frame to to_dataframe", lambda: to_dataframe(FRAME), "classifications", "classify_table"),
    (
        "one classification",
        lambda: to_dataframe(classify(ORG, P, on=ON)),
        "classifications",
        "[classification]",
    ),
    (
        "record to classify_under_all",
        lambda: classify_under_all({"id": "a"}, on=ON),
        "organisation",
        "structure",
    ),  # type: ignore[arg-type]
    ("text to presume", lambda: presume("a", ON), "org", ""),  # type: ignore[arg-type]
    ("number as on", lambda: classify(ORG, P, on=20250630), "on", ""),  # type: ignore[arg-type]
    ("list as on", lambda: compare_profiles(on=[ON]), "on", ""),  # type: ignore[arg-type]
    ("method swapped", lambda: Classifier().classify(P, ORG), "organisation", "swapped"),  # type: ignore[arg-type]
]


class TestArgumentChecks:
    """Every public entry point names the argument it cannot take and what it takes."""

    @pytest.mark.parametrize(
        ("call", "argument", "hint"), [w[1:] for w in WRONG], ids=[w[0] for w in WRONG]
    )
    def test_wrong_argument(self, call: Callable[[], Any], argument: str, hint: str) -> None:
        """The error is an InvalidArgument (a TypeError) naming the argument, what was
        expected, what was received and, for the common mistakes, what to do."""
        with pytest.raises(InvalidArgument) as info:
            call()
        e = info.value
        assert isinstance(e, TypeError)
        assert isinstance(e, SSEModelError)
        assert e.argument == argument
        assert str(e).startswith(f"{argument}: expected {e.expected}, got {e.received}")
        assert hint in str(e)

    def test_received_is_described(self) -> None:
        """What was received is named by its kind, with a short text of plain values."""
        assert _checks.described(FRAME) == "a pandas DataFrame"
        assert _checks.described(FRAME["id"]) == "a pandas Series"
        assert _checks.described(ORG) == "an Organisation"
        assert _checks.described([P, ORG]) == "a list of Organisation and str"
        assert _checks.described("x" * 100) == f"str '{'x' * 36}..."

    def test_right_arguments_in_every_form(self) -> None:
        """Any iterable of organisations and any sequence of profiles (ids or objects)
        are taken, as before the checks."""
        profile = load_profile(P)
        expected = [c.verdict for c in classify_many(ORGS, [P], on=ON)]
        makers: list[Callable[[], Any]] = [
            lambda: ORGS,
            lambda: tuple(ORGS),
            lambda: iter(ORGS),
            lambda: (o for o in ORGS),
        ]
        for orgs in makers:
            for ps in (P, profile, [P], (profile,)):
                assert [c.verdict for c in classify_many(orgs(), ps, on=ON)] == expected

    def test_checked_once_per_call(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """classify_many checks its date and profiles once, and nothing per organisation
        (beyond being one)."""
        calls: list[str] = []
        for name in ("on_date", "profiles", "one_profile"):
            real = getattr(_checks, name)

            def spy(*args: Any, _real: Any = real, _name: str = name, **kw: Any) -> Any:
                calls.append(_name)
                return _real(*args, **kw)

            monkeypatch.setattr(_checks, name, spy)
        classify_many(ORGS * 20, [P, "vn/social-enterprise"], on="2025-06-30")
        assert calls.count("on_date") == 1
        assert calls.count("profiles") == 1
        assert calls.count("one_profile") == 0  # the path of each row checks nothing


def _on_forms(day: dt.date) -> list[Any]:
    """The same day as every form ``on`` takes."""
    noon = dt.datetime.combine(day, dt.time(12))
    return [
        day,
        day.isoformat(),
        f" {day.isoformat()}T23:59:59 ",
        noon,
        noon.replace(tzinfo=dt.timezone(dt.timedelta(hours=-11))),
        pd.Timestamp(noon),
        pd.Timestamp(noon, tz="Asia/Seoul"),
        np.datetime64(day.isoformat()),
    ]


class TestOnDates:
    """``on`` takes a date, an ISO string, a datetime or a Timestamp, everywhere."""

    @settings(max_examples=25)
    @given(st.dates(dt.date(2023, 1, 1), dt.date(2035, 12, 31)))
    def test_every_form_is_the_same_day(self, day: dt.date) -> None:
        """Law: every form of one calendar day reads as that day (a time zone is kept,
        not converted), and classifies as the date itself."""
        expected = classify(ORG, P, on=day)
        for form in _on_forms(day):
            assert _checks.on_date(form) == day
            got = classify(ORG, P, on=form)
            assert got == expected
            assert type(got.on) is dt.date

    def test_time_zone_is_not_converted(self) -> None:
        """A tz-aware datetime gives the date it shows, not the UTC or local one."""
        late = dt.datetime(2024, 12, 31, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
        early = pd.Timestamp("2025-01-01 00:30", tz="Asia/Seoul")
        assert _checks.on_date(late) == dt.date(2024, 12, 31)
        assert _checks.on_date(early) == dt.date(2025, 1, 1)

    def test_every_entry_point(self) -> None:
        """Each function taking ``on`` reads a string and a Timestamp as the date."""
        text, stamp = ON.isoformat(), pd.Timestamp(ON.isoformat() + " 08:00")
        frame = pd.DataFrame([{"id": o.id, "name": o.name, "country": o.country} for o in ORGS])
        for on in (text, stamp):
            assert classify_many(ORGS, P, on=on)[0].on == ON
            assert Classifier().classify(ORG, P, on=on).on == ON
            assert RegisterClassifier(P, on=on).on == ON
            assert classify_table(frame, P, on=on).table.column("on")[0].as_py() == ON
            assert classify_under_all(ORG, on=on, profiles=[P]).on == ON
            assert compare_profiles([P], on=on) == compare_profiles([P], on=ON)
            assert compare_thresholds(on=on) == compare_thresholds(on=ON)
            assert presume(ORG, on) == presume(ORG, ON)
            c = Classifier()
            assert c.plan(P, on) is c.plan(P, ON)  # one cache entry for the day

    @pytest.mark.parametrize(
        "bad", ["2025-13-01", "30/06/2025", "", pd.NaT, np.datetime64("NaT")], ids=repr
    )
    def test_unreadable_date(self, bad: Any) -> None:
        """A string or time that names no date is InvalidInput at the path ``on``."""
        with pytest.raises(InvalidInput) as info:
            classify(ORG, P, on=bad)
        (error,) = info.value.errors
        assert error.path == "on"
        assert error.message.startswith("expected a date such as '2024-12-31'")

    def test_default_is_today_everywhere(self) -> None:
        """Without ``on``, every result says today's date: the classification, its JSON,
        the register table and its display."""
        today = dt.date.today()
        c = classify(ORG, P)
        assert c.on == today
        assert json.loads(to_json(c))["on"] == today.isoformat()
        rows = [{"id": "a", "name": "A", "country": "VN"}]
        result = classify_table(rows, P)
        assert result.table.column("on")[0].as_py() == today
        assert f"on {today.isoformat()}" in result._repr_html_()
        assert result.to_pandas()["on"][0] == pd.Timestamp(today)

    def test_cli_summary_says_the_default_date(self, tmp_path: Path) -> None:
        """The command line's summary names the date, and says when it is today's."""
        from sse_model._cli import main

        src = tmp_path / "r.jsonl"
        src.write_text(json.dumps({"id": "a", "name": "A", "country": "VN"}) + "\n", "utf-8")
        out = tmp_path / "summary.txt"
        assert main(["classify", str(src), "--output", str(out), "--format", "table"]) == 0
        first = out.read_text("utf-8").splitlines()[0]
        assert first == f"Classified 1 organisations on {dt.date.today().isoformat()} (today)."
        assert main(["classify", str(src), "--output", str(out), "--on", "2025-06-30"]) == 0
        assert (
            out.read_text("utf-8").splitlines()[0] == "Classified 1 organisations on 2025-06-30."
        )

    def test_every_docstring_states_the_default(self) -> None:
        """Each public function or method taking ``on`` says its default (today) or that
        it has none."""
        found = []
        for module, names in ((sse_model, sse_model.__all__), (sse_plots, sse_plots.__all__)):
            for name in names:
                obj = getattr(module, name)
                if inspect.isfunction(obj):
                    found.append((name, obj, obj.__doc__))
                elif inspect.isclass(obj) and obj.__module__.startswith("sse_model._engine._c"):
                    for m, f in vars(obj).items():
                        if inspect.isfunction(f) and not m.startswith("_"):
                            found.append((f"{name}.{m}", f, f.__doc__))
                elif obj is RegisterClassifier:
                    found.append((name, obj.__init__, obj.__doc__))
        checked = []
        for name, f, doc in found:
            on = inspect.signature(f).parameters.get("on")
            if on is None:
                continue
            checked.append(name)
            words = "today" if on.default is None else "no default date"
            assert words in " ".join((doc or "").split()), name
        assert {"classify", "classify_file", "compare_profiles", "Classifier.plan"} <= set(checked)


#: what a process needs to find the entry point pyproject.toml declares
_HOOK_CHECK = textwrap.dedent(
    """
    import sys
    from hypothesis import given, settings, strategies as st
    import sse_model
    assert "sse_model.testing" not in sys.modules, "imported too early"
    drawn = []
    @settings(max_examples=5, database=None)
    @given(st.from_type(sse_model.Organisation), st.from_type(sse_model.FiscalYear),
           st.from_type(sse_model.Money), st.from_type(sse_model.Governance))
    def check(org, year, money, governance):
        drawn.append((org, year, money, governance))
    check()
    assert len(drawn) == 5
    assert all(isinstance(o, sse_model.Organisation) for o, *_ in drawn)
    print("ok", "sse_model.testing" in sys.modules)
    """
)


class TestHypothesisEntryPoint:
    """``st.from_type(Organisation)`` works in a fresh process, through the entry point."""

    def _declared(self) -> dict[str, str]:
        with (ROOT / "pyproject.toml").open("rb") as f:
            return tomllib.load(f)["project"]["entry-points"]["hypothesis"]  # type: ignore[no-any-return]

    def test_declared(self) -> None:
        """pyproject.toml declares the hook in Hypothesis's entry-point group."""
        assert self._declared() == {"_": "sse_model._hypothesis:_hypothesis_setup_hook"}

    def _run(
        self, tmp_path: Path, *, script: str = _HOOK_CHECK, plugins: bool = True
    ) -> subprocess.CompletedProcess[str]:
        # a distribution's metadata holding the declared entry point, as an install has
        info = tmp_path / "sse_model_entry_point-0.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text("Metadata-Version: 2.1\nName: x\nVersion: 0\n", "utf-8")
        lines = [f"{k} = {v}" for k, v in self._declared().items()]
        (info / "entry_points.txt").write_text("[hypothesis]\n" + "\n".join(lines) + "\n")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT / "src")])}
        env.pop("HYPOTHESIS_NO_PLUGINS", None)
        if not plugins:
            env["HYPOTHESIS_NO_PLUGINS"] = "1"
        return subprocess.run(
            [sys.executable, "-c", script],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def test_fresh_process(self, tmp_path: Path) -> None:
        """In a fresh process, Hypothesis finds the strategies of the model's types without
        sse_model.testing imported first; it is imported on the first draw."""
        done = self._run(tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == ["ok", "True"]

    def test_without_the_entry_point_nothing_is_registered(self, tmp_path: Path) -> None:
        """The check above can fail: with plugins off, a fresh process has no strategy
        registered for the model's types (Hypothesis would build them from their fields)."""
        script = (
            "from hypothesis.strategies._internal import types\n"
            "import sse_model\n"
            "print(sse_model.Organisation in types._global_type_lookup)\n"
        )
        on = self._run(tmp_path / "on", script=script)
        off = self._run(tmp_path / "off", script=script, plugins=False)
        assert (on.stdout.strip(), off.stdout.strip()) == ("True", "False"), on.stderr

    def test_hook_registers_every_model_type(self) -> None:
        """The hook covers every model type that sse_model.testing gives a strategy."""
        from sse_model.testing import type_strategies

        assert set(type_strategies()) == {*MODEL_TYPES, Money}


def _namespace() -> dict[str, Any]:
    from sse_model import _model

    names = {n: getattr(_model, n) for n in _model.__all__}
    extra = {"datetime": dt, "Decimal": decimal.Decimal, "Fraction": fractions.Fraction}
    return {**names, **extra}


class TestCompactCounterexamples:
    """Counterexamples print the fields that matter, and read back as the value."""

    @settings(max_examples=30)
    @given(organisations())
    def test_pretty_evaluates_back(self, org: Organisation) -> None:
        """Law: the pretty form (what Hypothesis prints) evaluates to an equal
        organisation, and names no field left at its default."""
        text = pretty(org)
        assert eval(text, _namespace()) == org
        assert "=None" not in text

    def test_pretty_is_compact(self) -> None:
        """An organisation of three facts prints three fields; money prints positionally."""
        assert pretty(ORG) == (
            "Organisation(id='a', name='A', country='VN', legal_form='vn/cooperative')"
        )
        assert pretty(Money(decimal.Decimal("12.5"), "VND")) == "Money(Decimal('12.5'), 'VND')"

    def test_repr_is_stable(self) -> None:
        """repr() stays the short identity of an organisation."""
        assert repr(ORG) == (
            "Organisation(id='a', name='A', country='VN', legal_form='vn/cooperative')"
        )


class TestKeepFlag:
    """``sse-model classify --keep COL[,COL]`` carries input columns into every output."""

    ROWS = "id,name,country,registration.number\na,Coop A,VN,0123\nb,Coop B,VN,\n"

    def _run(self, tmp_path: Path, *args: str) -> tuple[int, str, str]:
        import contextlib
        import io

        from sse_model._cli import main

        src = tmp_path / "reg.csv"
        src.write_text(self.ROWS, "utf-8")
        out, err = io.StringIO(), io.StringIO()
        argv = ["classify", str(src), "--on", "2025-06-30", "--quiet", *args]
        with contextlib.redirect_stderr(err):  # argparse writes its errors to sys.stderr
            try:
                code = main(argv, out, err)
            except SystemExit as e:
                code = int(e.code or 0)
        return code, out.getvalue(), err.getvalue()

    @pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl", "json"])
    def test_every_row_output(self, tmp_path: Path, fmt: str) -> None:
        """csv and parquet get the columns after organisation_id, json and jsonl under
        'kept'; each row has its own organisation's cells."""
        target = tmp_path / f"out.{fmt}"
        code, _, err = self._run(
            tmp_path, "--keep", "name", "--keep", "registration.number", "--output", str(target)
        )
        assert code == 0, err
        if fmt in ("csv", "parquet"):
            frame = pd.read_csv(target, dtype=str) if fmt == "csv" else pd.read_parquet(target)
            assert list(frame.columns[:3]) == ["organisation_id", "name", "registration.number"]
            assert frame["name"].tolist() == ["Coop A", "Coop B"]
            assert frame["registration.number"].tolist()[0] == "0123"
        else:
            text = target.read_text("utf-8")
            docs = (
                json.loads(text) if fmt == "json" else [json.loads(x) for x in text.splitlines()]
            )
            assert [d["kept"] for d in docs] == [
                {"name": "Coop A", "registration.number": "0123"},
                {"name": "Coop B", "registration.number": None},
            ]

    def test_comma_list_is_repeatable_flag(self, tmp_path: Path) -> None:
        """``--keep a,b`` is ``--keep a --keep b``."""
        one = self._run(tmp_path, "--keep", "name,registration.number", "--format", "csv")
        two = self._run(
            tmp_path, "--keep", "name", "--keep", "registration.number", "--format", "csv"
        )
        assert one == two
        assert one[1].splitlines()[0].startswith("organisation_id,name,registration.number,")

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--keep", "verdict", "--format", "csv"], "a column of the results"),
            (["--keep", "name", "--format", "table"], "--format table writes none"),
            (["--keep", "notes", "--format", "jsonl"], "columns of the vocabulary"),
            (["--keep", "name,,", "--format", "csv"], "separated by commas"),
        ],
        ids=["result column", "table", "not vocabulary", "empty name"],
    )
    def test_refused(self, tmp_path: Path, args: list[str], message: str) -> None:
        """A --keep that cannot be carried is a usage error, in the one error style."""
        code, out, err = self._run(tmp_path, *args)
        assert code == 2
        assert out == ""
        assert message in err
        assert "sse-model" in err
        assert "error:" in err


def _kr_classification() -> Any:
    org = structure(
        {
            "id": "kr-1",
            "name": "<i>Coop</i>",
            "country": "KR",
            "legal_form": "kr/stock-company",
            "finances": {
                "2024": {
                    "revenue": "1234567 KRW",
                    "revenue_from_sales": "1000000 KRW",
                    "labour_costs": "400000 KRW",
                }
            },
        },
        Organisation,
    )
    return classify(org, "kr/social-enterprise", on=ON)


class TestDisplayForms:
    """Displays group citations and show numbers for people; the data keeps them whole."""

    def test_ratio_share_money(self) -> None:
        """A ratio of two quantities shows as x : 1, a share in per cent, money grouped."""
        from sse_model._engine._display import requirement_text, value_text

        assert value_text("workforce.pay_ratio", "5") == "5 : 1"
        assert value_text("finances.2024.sales_to_labour_costs", "5/2 (≈ 250 %)") == "2.5 : 1"
        assert value_text("finances.reinvested_share", "51/100") == "51 %"
        assert value_text("finances.sales_to_labour_costs", "250 %") == "2.5 : 1"
        assert value_text("finances.2024.revenue", "1234567.5 VND") == "1,234,567.5 VND"
        assert requirement_text("<= 1000 %", "workforce.highest_pay_to_branch_minimum") == (
            "<= 10 : 1"
        )
        assert requirement_text("finances.sales_to_labour_costs >= 50 %") == (
            "finances.sales_to_labour_costs >= 0.5 : 1"
        )
        assert requirement_text("workforce.highest_pay <= 10 × smic = 216216 EUR") == (
            "workforce.highest_pay <= 10 × smic = 216,216 EUR"
        )
        assert requirement_text("finances.reinvested_share >= 51 %") == (
            "finances.reinvested_share >= 51 %"
        )

    @given(st.text(max_size=30), st.text(max_size=30).filter(lambda t: "(" not in t))
    def test_split_citation(self, title: str, article: str) -> None:
        """Law: a citation cut in two reads back whole: title, ", ", article."""
        from sse_model._engine._display import split_citation

        citation = f"{title}, {article}" if article else title
        head, tail = split_citation(citation)
        assert (f"{head}, {tail}" if tail else head) == citation

    def test_classification_cites_each_instrument_once(self) -> None:
        """The HTML and the text list each instrument once; each criterion cites [n]."""
        c = _kr_classification()
        html, text = c._repr_html_(), c.explain()
        titles = {r.citation.split(", Art.")[0] for r in c.criteria}
        assert len(titles) == 2
        for title in titles:
            assert html.count(f"<li>{title}</li>") == 1
            assert text.count(title) == 1
        assert text.count("source: [") == len(c.criteria)
        assert "&lt;i&gt;Coop&lt;/i&gt;" not in html  # the name is not part of this view
        assert "≈ 2.50 : 1" not in text  # exact: 1000000 / 400000 is 2.5
        assert "finances.sales_to_labour_costs = 2.5 : 1" in text

    def test_data_keeps_whole_citations(self) -> None:
        """JSON and frames keep the full citation and the threshold as written."""
        c = _kr_classification()
        doc = json.loads(to_json(c))
        assert [x["citation"] for x in doc["criteria"]] == [r.citation for r in c.criteria]
        assert any(
            "sales_to_labour_costs >= 50 %" in (x["threshold"] or "") for x in doc["criteria"]
        )
        frame = compare_thresholds(on=ON).to_pandas()
        assert frame["citation"].str.contains(", ").all()

    def test_comparison_tables_group_citations(self) -> None:
        """compare_thresholds and compare_profiles list each instrument once, escaped."""
        for table in (compare_thresholds(on=ON), compare_profiles(on=ON)):
            html = table._repr_html_()
            items = html.split("<ol>")[1].split("</ol>")[0].split("<li>")[1:]
            assert len(items) == len(set(items))
            assert html.count("<li>") == len(items)
        html = compare_thresholds(["fr/esus"], on=ON)._repr_html_()
        assert "highest_pay_to_branch_minimum" in html
        assert "&lt;= 10 : 1" in html
        assert "216,216 EUR" in html

    def test_sources_are_escaped(self) -> None:
        """A title from an untrusted profile is escaped in the list of sources."""
        from sse_model._engine._display import Sources

        sources = Sources()
        assert sources.cite("<script>x</script> Act, Art. 1") == "[1] Art. 1"
        assert sources.cite("<script>x</script> Act, Art. 2") == "[1] Art. 2"
        assert "<script>" not in sources.html()
        assert "&lt;script&gt;" in sources.html()

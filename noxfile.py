"""The one entry point for checks: ``nox`` runs the default sessions.

Every session installs what it needs from PyPI, so a machine with only
Python 3.11 is enough.
"""

from __future__ import annotations

import os

import nox

nox.options.sessions = ["tests", "typing", "lint", "docs"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True

PYTHON = "3.11"


def _group(session: nox.Session, *groups: str, extras: str = "") -> None:
    project = nox.project.load_toml("pyproject.toml")
    deps: list[str] = []
    for g in groups:
        deps.extend(nox.project.dependency_groups(project, g))
    session.install(f".{extras}", *deps)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite under coverage (Hypothesis 'ci' profile when CI is set); it
    executes the example notebooks too (tests/test_notebooks.py)."""
    _group(session, "tests", "notebooks")
    env = {"HYPOTHESIS_PROFILE": "ci"} if os.environ.get("CI") else {}
    session.run(
        "pytest",
        "-n",
        "auto",
        "--cov",
        "--cov-report=term",
        *session.posargs,
        env=env,
    )


@nox.session(python=PYTHON)
def typing(session: nox.Session) -> None:
    """mypy --strict on the package and on the typing tests of the public API."""
    _group(session, "typing", "tests")
    session.run("mypy", "src", "tests/typing")


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff lint and format check."""
    _group(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the docs with warnings as errors, then execute every example in them."""
    _group(session, "docs", "tests")
    session.run("sphinx-build", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html")
    session.run("pytest", "-p", "no:cacheprovider", "-o", "testpaths=", "README.md", "docs")


@nox.session(python=PYTHON, default=False)
def properties(session: nox.Session) -> None:
    """The ready-made properties on every shipped profile, at length (opt-in): 2,000
    examples per profile (CI runs 150); ``nox -s properties -- 5000`` for more."""
    _group(session, "tests")
    examples = session.posargs[0] if session.posargs else "2000"
    session.run(
        "pytest",
        "-n",
        "auto",
        "-p",
        "no:cacheprovider",
        "tests/test_properties.py",
        env={"HYPOTHESIS_PROFILE": "ci", "SSE_PROFILE_EXAMPLES": examples},
    )


@nox.session(python=PYTHON, default=False)
def examples(session: nox.Session) -> None:
    """Run the example programs (the README's main job among them)."""
    session.install(".")
    session.run("sse-model", "classify", "examples/sample-register.jsonl")


@nox.session(python=PYTHON, default=False)
def fuzz(session: nox.Session) -> None:
    """Coverage-guided fuzzing (opt-in): each atheris harness for N seconds (default 240)."""
    _group(session, "fuzz", extras="[arrow,excel]")
    seconds = session.posargs[0] if session.posargs else "240"
    for harness in (
        "fuzz/fuzz_profile.py",
        "fuzz/fuzz_organisation.py",
        "fuzz/fuzz_register.py",
    ):
        session.run("python", harness, f"-max_total_time={seconds}", "-print_final_stats=1")


@nox.session(python=PYTHON, default=False)
def bench(session: nox.Session) -> None:
    """Benchmarks (opt-in): ratios against baselines measured in the same process.

    ``nox -s bench -- --rows 1000000 --big 10000000`` passes options to
    bench/bench_register.py (registers: columnar vs per-object, end to end, memory);
    the peers of bench/peers.py (pandas, polars, OpenFisca) run on 1,000,000 rows
    unless ``--peers N`` is given (``--peers 0`` skips them).
    """
    _group(session, "bench", extras="[all,excel-fast]")
    session.run("python", "bench/bench_engine.py")
    session.run("python", "bench/bench_paths.py")
    session.run("python", "bench/bench_paths.py", "--formats")
    peers = [] if any(a.startswith("--peers") for a in session.posargs) else ["--peers", "1000000"]
    session.run("python", "bench/bench_register.py", *peers, *session.posargs)

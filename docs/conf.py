"""Sphinx configuration for sse-model."""

from pathlib import Path

project = "sse-model"
author = "sse-model developers"
copyright = "2026, sse-model developers"
release = "0.1.0"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
html_theme = "furo"
html_title = "sse-model"
autodoc_member_order = "bysource"
# types in the signatures, by short names (Organisation, not its private module's path)
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
autodoc_default_options = {"undoc-members": False}
# the build runs offline in CI: do not fetch inventories
nitpicky = False


def _generate(app: object) -> None:
    """Write the pages generated from the profile data (comparison, jurisdictions)."""
    from datetime import date

    import sse_model
    from sse_model._engine._compare import render_principles, render_profile, render_thresholds

    out = Path(__file__).parent / "generated"
    (out / "jurisdictions").mkdir(parents=True, exist_ok=True)
    on = date.today()
    (out / "comparison.md").write_text(
        "# How the profiles compare\n\n"
        f"Generated from the shipped profiles for {on.isoformat()}; never edited by hand.\n\n"
        "## Principles put into practice\n\n"
        + render_principles(sse_model.compare_profiles(on=on))
        + "\n## Thresholds on the same facts\n\n"
        + render_thresholds(sse_model.compare_thresholds(on=on))
        + "\n",
        encoding="utf-8",
    )
    by_scope: dict[str, list[str]] = {}
    for pid in sse_model.profile_ids():
        by_scope.setdefault(pid.split("/")[0], []).append(pid)
    pages = []
    for scope, ids in sorted(by_scope.items()):
        body = "\n".join(render_profile(sse_model.load_profile(pid)) for pid in ids)
        (out / "jurisdictions" / f"{scope}.md").write_text(
            f"# {scope.upper()}\n\nGenerated from the profile data.\n\n{body}", encoding="utf-8"
        )
        pages.append(scope)
    _cli_reference(out)
    from sse_model._reference import (
        facts_table,
        indicators_page,
        lookups_table,
        mapping_table,
        vocabulary_table,
    )

    note = "<!-- generated from the model's declarations; never edited by hand -->\n\n"
    (out / "facts.md").write_text(note + facts_table(), encoding="utf-8")
    (out / "vocabulary.md").write_text(note + vocabulary_table(), encoding="utf-8")
    (out / "lookups.md").write_text(note + lookups_table(), encoding="utf-8")
    (out / "mapping.md").write_text(note + mapping_table(), encoding="utf-8")
    (out / "indicators.md").write_text(
        "# Indicator definitions\n\n" + note + indicators_page(), encoding="utf-8"
    )
    import json

    schema = json.dumps(sse_model.mapping_schema(), indent=2, ensure_ascii=False)
    (out / "mapping.schema.json").write_text(schema + "\n", encoding="utf-8")
    toc = "\n".join(pages)
    (out / "jurisdictions" / "index.md").write_text(
        "# Jurisdictions\n\nOne page per jurisdiction, generated from the shipped profiles: "
        "instruments, what each profile encodes, interpretations, unverified items and "
        f"sources.\n\n```{{toctree}}\n:maxdepth: 1\n\n{toc}\n```\n",
        encoding="utf-8",
    )


def _cli_reference(out: Path) -> None:
    """The command-line reference, generated from the program's own parser."""
    import argparse

    from sse_model._cli import _parser

    parser = _parser()
    parts = [
        "# Command-line reference\n",
        "Generated from `sse-model --help` at build time.\n",
        "```text",
        parser.format_help().rstrip(),
        "```",
    ]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                parts += [
                    f"\n## `sse-model {name}`\n",
                    "```text",
                    sub.format_help().rstrip(),
                    "```",
                ]
    (out / "cli.md").write_text("\n".join(parts) + "\n", encoding="utf-8")


def setup(app: object) -> None:
    app.connect("builder-inited", _generate)  # type: ignore[attr-defined]

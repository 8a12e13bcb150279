"""The package's shipped data files (``_data/``), read as text.

Read through the package's loader (``get_data``), which file-system and zip imports
both provide, rather than :mod:`importlib.resources`, whose import alone (it loads
``tempfile``, ``shutil``, ``bz2``, ``lzma`` and ``random``) was about 6 ms of a cold
start's first classification.
"""

from __future__ import annotations

import os

__all__ = ["data_folders", "data_text"]

_HERE = os.path.dirname(__file__)


def data_text(name: str) -> str:
    """The text of ``_data/<name>`` (``/``-separated), decoded as UTF-8 with newlines
    read as a text file reads them (``\\r\\n`` and ``\\r`` as ``\\n``)."""
    loader = getattr(__spec__, "loader", None)  # this module's: the package's files too
    path = os.path.join(_HERE, "_data", *name.split("/"))
    get_data = getattr(loader, "get_data", None)
    if get_data is None:  # pragma: no cover - a loader without get_data (none we ship)
        from importlib import resources

        return resources.files("sse_model").joinpath(f"_data/{name}").read_text("utf-8")
    data: bytes = get_data(path)
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def data_folders(name: str) -> dict[str, list[str]]:
    """The folders of ``_data/<name>`` and the names of the files in each."""
    top = os.path.join(_HERE, "_data", *name.split("/"))
    if not os.path.isdir(top):  # pragma: no cover - a zipped package
        from importlib import resources

        root = resources.files("sse_model").joinpath(f"_data/{name}")
        return {
            d.name: sorted(f.name for f in d.iterdir() if f.is_file())
            for d in root.iterdir()
            if d.is_dir()
        }
    return {
        d.name: sorted(f.name for f in os.scandir(d.path) if f.is_file())
        for d in os.scandir(top)
        if d.is_dir()
    }

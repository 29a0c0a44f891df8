"""The English translation: complete, compiled, up to date with the code, and actually used.

Swedish is the source language (the msgids); `locale/en/LC_MESSAGES/django.po` holds English and
the compiled `django.mo` is committed, because GNU gettext is not installed on a user's machine.
See `src/itfabrik/locale/README.md` for how to update them.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

polib = pytest.importorskip("polib", reason="polib is in the test extra: pip install -e .[test]")

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # src/itfabrik
SRC_DIR = PACKAGE_DIR.parent
MESSAGES_DIR = PACKAGE_DIR / "locale" / "en" / "LC_MESSAGES"
PO_PATH = MESSAGES_DIR / "django.po"
MO_PATH = MESSAGES_DIR / "django.mo"

# printf-style placeholders as Python and gettext understand them: %(name)s, %s, %d, %%.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")
BRACE_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")

GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")


def _catalogue() -> Any:
    return polib.pofile(str(PO_PATH))


def _entries() -> list[Any]:
    return [e for e in _catalogue() if not e.obsolete]


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def _translations(entry: Any) -> list[tuple[str, str]]:
    """(source, translation) pairs: msgstr[0] goes with msgid, the other forms with the plural."""
    if entry.msgid_plural:
        return [
            (entry.msgid if index == 0 else entry.msgid_plural, text)
            for index, text in sorted(entry.msgstr_plural.items())
        ]
    return [(entry.msgid, entry.msgstr)]


# --- (a) every entry is translated, not fuzzy, with the same placeholders -----------------------


def test_catalogue_is_english_and_not_fuzzy() -> None:
    po = _catalogue()
    assert po.metadata.get("Language") == "en"
    assert "nplurals=2" in po.metadata.get("Plural-Forms", "")
    assert not po.metadata_is_fuzzy, "the header is marked fuzzy"
    assert len(_entries()) > 100


def test_every_entry_is_translated_without_fuzzy_flag() -> None:
    untranslated = [e.msgid for e in _entries() if not e.translated()]
    fuzzy = [e.msgid for e in _entries() if "fuzzy" in e.flags]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"
    for entry in _entries():
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == [0, 1], entry.msgid
        for source, text in _translations(entry):
            assert text.strip(), f"empty translation of {source!r}"


def test_placeholders_are_kept() -> None:
    problems = []
    for entry in _entries():
        for source, text in _translations(entry):
            if _placeholders(source) != _placeholders(text):
                problems.append((source, text))
            if "python-brace-format" in entry.flags and sorted(
                BRACE_PLACEHOLDER.findall(source)
            ) != sorted(BRACE_PLACEHOLDER.findall(text)):
                problems.append((source, text))
    assert not problems, problems


def test_plain_text_stays_plain_and_spacing_is_kept() -> None:
    problems = []
    for entry in _entries():
        for source, text in _translations(entry):
            if not HTML_TAG.search(source) and HTML_TAG.search(text):
                problems.append(("HTML added", source, text))
            if source[:1].isspace() != text[:1].isspace():
                problems.append(("leading space", source, text))
            if source[-1:].isspace() != text[-1:].isspace():
                problems.append(("trailing space", source, text))
            if source.count("\n") != text.count("\n"):
                problems.append(("line breaks", source, text))
    assert not problems, problems


# --- (b) the committed .mo is the compiled .po ---------------------------------------------------


def test_compiled_catalogue_matches_po() -> None:
    assert MO_PATH.is_file(), "django.mo is missing: run compilemessages and commit it"
    with MO_PATH.open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    assert mo.info().get("language") == "en"

    stale = []
    for entry in _entries():
        if entry.msgid_plural:
            for n, index in ((1, 0), (2, 1)):
                got = mo.ngettext(entry.msgid, entry.msgid_plural, n)
                if got != entry.msgstr_plural[index]:
                    stale.append((entry.msgid, index, got))
        elif entry.msgctxt:  # pgettext: a word that translates differently in a context
            if mo.pgettext(entry.msgctxt, entry.msgid) != entry.msgstr:
                stale.append((entry.msgid, entry.msgctxt, mo.pgettext(entry.msgctxt, entry.msgid)))
        elif mo.gettext(entry.msgid) != entry.msgstr:
            stale.append((entry.msgid, None, mo.gettext(entry.msgid)))
    assert not stale, f"django.mo is out of date, run compilemessages: {stale}"

    # Nothing in the .mo that the .po no longer has (the header has the key "").
    expected_keys = {""}
    for entry in _entries():
        if entry.msgid_plural:
            expected_keys |= {(entry.msgid, index) for index in entry.msgstr_plural}
        elif entry.msgctxt:
            expected_keys.add(f"{entry.msgctxt}\x04{entry.msgid}")  # how .mo files key a context
        else:
            expected_keys.add(entry.msgid)
    assert set(mo._catalog) == expected_keys  # type: ignore[attr-defined]


# --- (c) every translatable string in the code and templates is in the .po -----------------------


def _copy_sources(target: Path) -> None:
    """The files makemessages reads (.py, .html, .txt), without tests, data or the catalogue."""
    for path in PACKAGE_DIR.rglob("*"):
        rel = path.relative_to(PACKAGE_DIR)
        if path.suffix not in {".py", ".html", ".txt"} or not path.is_file():
            continue
        if rel.parts[0] in {"var", "locale"} or "tests" in rel.parts[:-1]:
            continue
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            continue
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)


@pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in GETTEXT_TOOLS),
    reason="GNU gettext (xgettext, msgmerge, ...) is not installed; the catalogue checks still run",
)
def test_catalogue_has_every_string_in_the_code(tmp_path: Path) -> None:
    # makemessages on a copy of the sources, so the committed catalogue is never touched.
    # LOCALE_PATHS is emptied so that only the copy's own locale directory is used.
    sources = tmp_path / "itfabrik"
    _copy_sources(sources)
    (sources / "locale" / "en" / "LC_MESSAGES").mkdir(parents=True)
    settings_dir = tmp_path / "settings"
    settings_dir.mkdir()
    (settings_dir / "i18n_check_settings.py").write_text(
        textwrap.dedent(
            """
            from itfabrik.config.settings.test import *  # noqa: F403

            LOCALE_PATHS = []
            """
        )
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "i18n_check_settings",
        "PYTHONPATH": os.pathsep.join(
            [str(settings_dir), str(SRC_DIR), os.environ.get("PYTHONPATH", "")]
        ),
        "ITFABRIK_DATA_DIR": str(tmp_path / "var"),
    }
    command = [
        sys.executable,
        "-m",
        "django",
        "makemessages",
        "-l",
        "en",
        "--no-obsolete",
        "--ignore",
        "tests/*",
        "--ignore",
        "*/tests/*",
    ]
    result = subprocess.run(
        command, cwd=sources, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr

    fresh = polib.pofile(str(sources / "locale" / "en" / "LC_MESSAGES" / "django.po"))

    def keys(po: Any) -> set[tuple[str, str, str]]:
        return {(e.msgctxt or "", e.msgid, e.msgid_plural or "") for e in po if not e.obsolete}

    missing = keys(fresh) - keys(_catalogue())
    assert not missing, (
        "strings in the code are not in locale/en/LC_MESSAGES/django.po; run makemessages, "
        f"translate and compilemessages (see locale/README.md): {sorted(missing)}"
    )


# --- (d) the site and the API actually speak both languages --------------------------------------


def test_login_page_is_swedish_by_default_and_english_after_switching(client: Any, db: Any) -> None:
    page = client.get("/konto/logga-in/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="sv">' in html
    assert "<h1>Logga in</h1>" in html

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/konto/logga-in/"})
    assert switched.status_code == 302
    assert switched["Location"] == "/konto/logga-in/"

    page = client.get("/konto/logga-in/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Sign in</h1>" in html
    assert "Logga in" not in html
    assert "Användarnamn" not in html


def test_api_error_carries_both_languages(client: Any, db: Any) -> None:
    response = client.get("/api/v1/organisations/")
    assert response.status_code in {401, 403}, response.status_code
    error = response.json()["error"]
    messages = error["messages"]
    assert set(messages) == {"sv", "en"}
    assert messages["sv"].strip()
    assert messages["en"].strip()
    assert messages["sv"] != messages["en"]
    # The English one is the catalogue's translation of the Swedish one.
    entry = _catalogue().find(messages["sv"])
    assert entry is not None, messages["sv"]
    assert messages["en"] == entry.msgstr
    # Without Accept-Language the main message is Swedish, the default language.
    assert error["message"] == messages["sv"]

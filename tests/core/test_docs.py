"""The repository explains itself: no tracked file points to a design document outside the
repository, and every link to a page in docs/ (from the code, the README or the docs
themselves) leads to a page, and a section, that exists (docs/architecture.md)."""

import re
import subprocess
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
THIS = Path(__file__).resolve().relative_to(ROOT).as_posix()

# Where the product's design lived before it came into docs/ (a DESIGN.md, a STYLE.md and a
# "contract" of fixed interfaces beside the checkout): none of it is in the repository.
OUTSIDE = ("../shared", "/work/shared", "DESIGN.md", "STYLE.md", "contract/", "(contract:")

# `docs/x.md` or `docs/adr/y.md#section`, anywhere in a file, read from the repository's root.
DOCS_PATH = re.compile(r"(?<![\w.-])docs/[\w./-]*?\.md(?:#[\w-]+)?")
# A markdown link or image: [text](target) — read relative to the file it is in.
MD_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
CODE = re.compile(r"`[^`\n]*`")


@cache
def tracked() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    # A file deleted in the working tree but not yet in git is not read.
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def _text(name: str) -> str | None:
    data = (ROOT / name).read_bytes()
    if b"\0" in data[:8000]:
        return None  # binary: an image, a font
    return data.decode("utf-8", errors="replace")


@cache
def anchors(path: Path) -> frozenset[str]:
    """The section anchors of a markdown page, as GitHub makes them from its headings."""
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    found = set()
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
        found.add(slug.replace(" ", "-"))
    return frozenset(found)


def _problem(target: Path, anchor: str) -> str | None:
    if not target.exists():
        return "does not exist"
    if anchor and target.suffix == ".md" and anchor not in anchors(target):
        return f"has no section #{anchor}"
    return None


def _markdown_links(name: str, text: str) -> list[str]:
    text = CODE.sub("", FENCE.sub("", text))
    problems = []
    for target in MD_LINK.findall(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
            continue  # http:, https:, mailto:
        path, _, anchor = target.partition("#")
        resolved = (ROOT / name).parent / path if path else ROOT / name
        problem = _problem(resolved.resolve(), anchor)
        if problem:
            problems.append(f"{name}: link {target} {problem}")
    return problems


def test_no_file_points_outside_the_repository():
    found = []
    for name in tracked():
        if name == THIS:
            continue
        text = _text(name)
        if text is None:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            for word in OUTSIDE:
                if word in line:
                    found.append(f"{name}:{number}: {word}")
    assert found == []


def test_every_mention_of_a_docs_page_leads_to_it():
    found = []
    for name in tracked():
        if name == THIS:
            continue
        text = _text(name)
        if text is None:
            continue
        for mention in sorted(set(DOCS_PATH.findall(text))):
            path, _, anchor = mention.partition("#")
            problem = _problem(ROOT / path, anchor)
            if problem:
                found.append(f"{name}: {mention} {problem}")
    assert found == []


@pytest.mark.parametrize("name", [n for n in tracked() if n.endswith(".md")])
def test_markdown_links_resolve(name):
    text = _text(name)
    assert text is not None
    assert _markdown_links(name, text) == []


# The pages that describe the code name its files; a file moved or renamed must take its
# description along. `var/` is made at run time, not kept in git.
DESCRIBING = ("docs/product.md", "docs/architecture.md", "docs/interfaces.md")
CODE_PATH = re.compile(r"`([\w.-]+(?:/[\w.-]+)+/?)`")


def _missing_code_paths(text: str) -> list[str]:
    missing = []
    for path in sorted(set(CODE_PATH.findall(text))):
        if path.startswith("var/") or not re.search(r"(\.[a-z]+|/)$", path):
            continue  # a run-time file, or not a file name (`/api/v1/reports`, `10/h`)
        if path.startswith("/"):
            continue
        if not any((base / path).exists() for base in (ROOT, ROOT / "src", ROOT / "src/baken")):
            missing.append(path)
    return missing


@pytest.mark.parametrize("name", DESCRIBING)
def test_the_files_the_docs_name_exist(name):
    assert _missing_code_paths((ROOT / name).read_text(encoding="utf-8")) == []


def test_the_checks_see_a_broken_link_and_an_outside_pointer():
    # The checks themselves can fail: a link to a missing page and to a missing section.
    assert _markdown_links("README.md", "[x](docs/no-such-page.md)") != []
    assert _markdown_links("README.md", "[x](docs/product.md#no-such-section)") != []
    assert _markdown_links("README.md", "[x](docs/product.md#roles)") == []
    assert _problem(ROOT / "docs/architecture.md", "the-order-of-the-layers") is None
    assert _missing_code_paths("`reports/workflow.py` and `reports/no_such_module.py`") == [
        "reports/no_such_module.py"
    ]

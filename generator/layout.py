"""Layouts as data: `layouts/<name>/layout.yaml` (page, fonts, colours, styles) and `text.yaml`.

A layout may `extends:` another; its mappings are merged key by key into the base's.
Styles inherit from their `parent`; the result is a flat style sheet both writers read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Annotated, Any

from . import layout_spec, sources
from .confine import confined, is_plain_name
from .contrast import contrast_problems
from .errors import MAX_SHOWN, BulletinError, KeyPath, Problem, clipped, shown_path
from .font_files import font_file_problem
from .layout_room import room_problems
from .layout_spec import (
    CHECKOUT,
    ChartStyle,
    LayoutSpec,
    PageSetup,
    SectionStyle,
    Style,
    StyleSpec,
    builtin,
)
from .schema import Field, ValidationError, translate, validate
from .sources import Source
from .style_names import WRITERS, StyleNames, word_name_problem
from .wording import Wording, WordingError, parse

LAYOUTS = builtin("layouts")
MAX_EXTENDS = 8
"""How many layouts an `extends:` chain may hold."""
TextValue = str | list[str]
MAX_WORDING = 2_000
"""The most characters in one wording (the longest built-in one has 120), and items in a list."""
MAX_ITEMS = 20


@dataclass(frozen=True)
class Layout:
    """A layout ready for the writers: page, fonts, colours, resolved styles, wording."""

    name: str
    spec: LayoutSpec
    styles: dict[str, Style]
    text: dict[str, Wording | list[Wording]]
    text_source: Source | None = None
    source: Source | None = None
    """Where each value of layout.yaml (and of the layouts it extends) stands."""
    warnings: tuple[Problem, ...] = ()
    """Located problems that do not stop a build (an error with --strict): faint text."""

    @property
    def page(self) -> PageSetup:
        return self.spec.page

    def style(self, name: str) -> Style:
        """The named style; a name the layout does not define is a bug in the caller."""
        return self.styles[name]

    @property
    def chart(self) -> ChartStyle:
        """The chart's look; loading refuses a layout without it when the bulletin has charts."""
        assert self.spec.chart is not None, "the style contract asks for a chart"
        return self.spec.chart

    def section(self, key: str) -> SectionStyle:
        return self.spec.sections.get(key, SectionStyle())

    def words(self, key: str, **values: Any) -> str:
        """Render one fixed wording of the layout with the given values."""
        return " ".join(self.word_list(key, **values))

    def word_list(self, key: str, **values: Any) -> list[str]:
        """Render a wording that is a list (table headers), or a one-item list."""
        if key not in self.text:
            raise self._text_problem((), f"no text '{key}'", f"add '{key}:' to text.yaml")
        wordings = self.text[key]
        listed = isinstance(wordings, list)
        items = wordings if isinstance(wordings, list) else [wordings]
        filled = []
        for i, item in enumerate(items):
            try:
                filled.append(item.fill(values))
            except WordingError as error:
                path: KeyPath = (key, i) if listed else (key,)
                raise self._text_problem(path, error.message, error.hint, error.offset) from None
        return filled

    def problem(self, path: KeyPath, message: str, hint: str) -> BulletinError:
        """A located error about a value of the layout (for checks made while composing)."""
        if self.source is None:
            return BulletinError([Problem(self.name, 1, 1, "", message, hint)])
        return BulletinError([self.source.problem(path, message, hint)])

    def wording_problem(self, key: str, message: str, hint: str) -> BulletinError:
        """A located error about a wording of text.yaml (for checks made while composing)."""
        return self._text_problem((key,), message, hint)

    def _text_problem(
        self, path: KeyPath, message: str, hint: str, offset: int | None = None
    ) -> BulletinError:
        if self.text_source is None:
            return BulletinError([Problem(self.name, 1, 1, "", message, hint)])
        return BulletinError([_wording_problem(self.text_source, path, message, hint, offset)])


Folders = tuple[Path, ...]
"""Where layouts (or fonts) are looked up, first first: the project's, then the built-in."""


def project_folders(project: Path | None, kind: str) -> Folders:
    """Where `layouts` or `fonts` are looked up: the project's own folder first, then the
    built-in one. In a checkout the repository's folders are the built-in ones."""
    builtin = LAYOUTS if kind == "layouts" else layout_spec.FONTS
    if project is None or project.resolve() == CHECKOUT:
        return (builtin,)
    return (project / kind, builtin)


def available(folders: Folders = ()) -> list[str]:
    """The names of the layouts found in the folders (the built-in ones at least)."""
    found = {
        p.name
        for folder in dict.fromkeys((*folders, LAYOUTS))
        if folder.is_dir()
        for p in folder.iterdir()
        if _layout_file(p.name, "layout.yaml", (folder,))
    }
    return sorted(found)


def _layout_file(name: str, file: str, folders: Folders) -> Path | None:
    """A file of the named layout in the first folder that has the layout, if it is one and
    stays inside that folder."""
    if not is_plain_name(name):
        return None
    for folder in folders:
        if confined((folder,), f"{name}/layout.yaml") is not None:
            found = confined((folder,), f"{name}/{file}")
            return found if found is not None and found.is_file() else None
    return None


def load_layout(name: str, needs: StyleNames = WRITERS, project: Path | None = None) -> Layout:
    """Read, merge, check and resolve the named layout, or raise its located problems.

    `needs` are the style names the document uses: a layout lacking one is refused. The
    `project` folder's own layouts/ and fonts/ come before the built-in ones.
    """
    folders = project_folders(project, "layouts")
    if _layout_file(name, "layout.yaml", folders) is None:
        plain = is_plain_name(name) and len(name) <= MAX_SHOWN
        shown = str(folders[0] / name) if plain else str(folders[0])
        hint = f"choose one of: {', '.join(available(folders))}"
        raise BulletinError([Problem(shown, 1, 1, "", f"no layout '{name[:200]}'", hint)])
    source = _merged_source(name, (), folders)
    if source.problems:
        raise BulletinError(source.problems)
    try:
        spec = validate(LayoutSpec, source.value)
    except ValidationError as error:
        raise BulletinError(translate(error, source)) from None
    problems: list[Problem] = []
    styles = _resolve_styles(spec, source, problems)
    font_folders = project_folders(project, "fonts")
    for family in spec.fonts.values():
        family._folders = font_folders[:-1]
    problems.extend(_check_references(spec, styles, source, font_folders))
    problems.extend(_check_contract(spec, needs, source))
    problems.extend(_check_word_names(spec, source))
    problems.extend(_check_hyphenation(spec, source))
    if not problems:
        problems.extend(room_problems(spec, styles, source))
    text, text_source = _load_text(name, problems, folders, needs.wording)
    if problems:
        raise BulletinError(problems)
    warnings = tuple(contrast_problems(spec, styles, source))
    return Layout(name, spec, styles, text, text_source, source, warnings)


def _merged_source(name: str, seen: tuple[str, ...], folders: Folders) -> Source:
    path = _layout_file(name, "layout.yaml", folders)
    assert path is not None, name  # checked before: by load_layout, or as a base below
    folder = next(f for f in folders if confined((f,), f"{name}/layout.yaml"))
    source = sources.load(path, shown_path(folder / name / "layout.yaml"))
    source.files[()] = source.file
    base_name = source.value.get("extends") if isinstance(source.value, dict) else None
    if not base_name:
        return source
    if len(seen) + 1 >= MAX_EXTENDS:
        message = f"a chain of more than {MAX_EXTENDS} layouts extending each other"
        raise BulletinError([source.problem(("extends",), message, "extend a layout directly")])
    if base_name in (*seen, name) or _layout_file(str(base_name), "layout.yaml", folders) is None:
        shown = " or ".join(shown_path(f) for f in folders)
        raise BulletinError(
            [
                source.problem(
                    ("extends",),
                    f"cannot extend '{str(base_name)[:200]}'",
                    f"name a folder of {shown}: {', '.join(available(folders))}",
                )
            ]
        )
    base = _merged_source(str(base_name), (*seen, name), folders)
    _merge_into(base, source, ())
    base.problems.extend(source.problems)  # a duplicate key, a YAML tag: the child's own
    base.value["extends"] = None
    return base


def _merge_into(base: Source, child: Source, path: KeyPath) -> None:
    """Copy the child's values over the base's, mapping by mapping, keeping positions."""
    replaced: set[KeyPath] = set()
    _merge_values(base, child, path, replaced)
    for table, other in ((base.values, child.values), (base.keys, child.keys)):
        for known in [p for p in table if _under(p, replaced)]:
            del table[known]
        table.update({p: v for p, v in other.items() if _under(p, replaced)})


def _merge_values(base: Source, child: Source, path: KeyPath, replaced: set[KeyPath]) -> None:
    """Merge the values; note each path whose value the child replaces (one pass, no scans)."""
    target = _at(base.value, path)
    for key, value in _at(child.value, path).items():
        here = (*path, key)
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge_values(base, child, here, replaced)
            continue
        target[key] = value
        replaced.add(here)
        base.files[here] = child.file


def _under(path: KeyPath, replaced: set[KeyPath]) -> bool:
    """Whether a path is one of the replaced ones or inside one."""
    return any(path[:length] in replaced for length in range(1, len(path) + 1))


def _at(value: Any, path: KeyPath) -> Any:
    for part in path:
        value = value[part]
    return value


def _resolve_styles(spec: LayoutSpec, source: Source, problems: list[Problem]) -> dict[str, Style]:
    """Settle every style's properties through its parents; a broken chain is reported once."""
    resolved: dict[str, Style] = {}
    for name, chain in _parent_chains(spec, source, problems).items():
        values: dict[str, Any] = {}
        for link in reversed(chain):
            values.update(spec.styles[link].values(exclude={"parent"}))
        if "rule_below" in spec.styles[name].given:
            values["rule_below"] = spec.styles[name].rule_below
        missing = [f for f in ("font", "size", "leading", "colour") if f not in values]
        if missing:
            problems.append(
                source.problem(
                    ("styles", name),
                    f"style '{name}' has no {', '.join(missing)}",
                    "give them or a parent",
                )
            )
            continue
        known = {f.name for f in fields(Style)}
        style = Style(name=name, **{k: v for k, v in values.items() if k in known})
        resolved[name] = replace(style, parent=spec.styles[name].parent)
    return resolved


def _parent_chains(
    spec: LayoutSpec, source: Source, problems: list[Problem]
) -> dict[str, list[str]]:
    """Each style with its parents, nearest first, for the styles whose chain ends well.

    A parent that does not exist, and a circle, are reported at the styles that cause them
    (once each); the styles below them are left out without a problem of their own.
    """
    unknown = [name for name, style in spec.styles.items() if _parent_is_unknown(style, spec)]
    for name in unknown:
        parent = spec.styles[name].parent
        problems.append(
            source.problem(
                ("styles", name, "parent"), f"no style '{parent}'", "name a style of this layout"
            )
        )
    circle = _styles_in_circles(spec)
    for name in (n for n in spec.styles if n in circle):
        problems.append(
            source.problem(
                ("styles", name, "parent"),
                "styles inherit from each other in a circle",
                "break the circle",
            )
        )
    broken = {*unknown, *circle}
    chains = {}
    for name in spec.styles:
        chain = [name]
        while chain[-1] not in broken and (parent := spec.styles[chain[-1]].parent) is not None:
            chain.append(parent)
        if chain[-1] not in broken:
            chains[name] = chain
    return chains


def _parent_is_unknown(style: StyleSpec, spec: LayoutSpec) -> bool:
    return style.parent is not None and style.parent not in spec.styles


def _styles_in_circles(spec: LayoutSpec) -> set[str]:
    """The styles whose `parent` chain comes back to a style already in it."""
    found: set[str] = set()
    for name in spec.styles:
        chain = [name]
        while (parent := spec.styles[chain[-1]].parent) in spec.styles:
            if parent in chain:
                found.update(chain[chain.index(parent) :])
                break
            chain.append(parent)
    return found


def _check_references(
    spec: LayoutSpec, styles: dict[str, Style], source: Source, font_folders: Folders
) -> list[Problem]:
    """Every colour, font, style and frame a layout names must exist in it."""
    found = []

    def need(kind: str, name: str | None, table: dict[str, Any], path: KeyPath) -> None:
        if name is not None and name not in table:
            found.append(
                source.problem(
                    path, f"no {kind} '{name}'", f"define it under '{kind}s' or use one that is"
                )
            )

    need("colour", spec.page.masthead_background, spec.colours, ("page", "masthead_background"))
    need("colour", spec.page.paper, spec.colours, ("page", "paper"))
    for name, style in styles.items():
        need("colour", style.colour, spec.colours, ("styles", name, "colour"))
        need("colour", style.rule_below, spec.colours, ("styles", name, "rule_below"))
        need("font", style.font, spec.fonts, ("styles", name, "font"))
    for name, written in spec.styles.items():  # where written, not in each inheriting style
        need("colour", written.background, spec.colours, ("styles", name, "background"))
    for name, char in spec.character_styles.items():
        need("colour", char.colour, spec.colours, ("character_styles", name, "colour"))
        need("colour", char.background, spec.colours, ("character_styles", name, "background"))
    for slot, colour in spec.theme:
        need("colour", colour, spec.colours, ("theme", slot))
    for name, frame in spec.frames.items():
        for key in ("background", "border"):
            need("colour", getattr(frame, key), spec.colours, ("frames", name, key))
    for name, table in spec.tables.items():
        for key in ("header_background", "stripe", "rule"):
            need("colour", getattr(table, key), spec.colours, ("tables", name, key))
        for key in ("header_style", "body_style"):
            need("style", getattr(table, key), spec.styles, ("tables", name, key))
    if spec.chart is not None:
        need("colour", spec.chart.bar_colour, spec.colours, ("chart", "bar_colour"))
        need("colour", spec.chart.label_colour, spec.colours, ("chart", "label_colour"))
        need("style", spec.chart.style, spec.styles, ("chart", "style"))
    need("colour", spec.email.background, spec.colours, ("email", "background"))
    need("colour", spec.email.paper, spec.colours, ("email", "paper"))
    for name, section in spec.sections.items():
        need("frame", section.frame, spec.frames, ("sections", name, "frame"))
    for name, family in spec.fonts.items():
        for key in ("regular", "bold", "italic", "bold_italic"):
            file, at = getattr(family, key), ("fonts", name, key)
            found.extend(_font_problems(file, at, source, font_folders))
    return found


def _check_word_names(spec: LayoutSpec, source: Source) -> list[Problem]:
    """Every style must be a style of its own in the Word file too, which names styles by
    their letters and digits alone and makes some of its own (found at the name)."""
    found: list[Problem] = []
    seen: dict[str, str] = {}
    for key, table in (
        ("styles", spec.styles),
        ("character_styles", spec.character_styles),
        ("tables", spec.tables),
    ):
        for name in table:
            why = word_name_problem(name, seen)
            if why:
                hint = "rename the style (and its uses) with other letters"
                found.append(source.problem((key, name), why, hint, key=True))
    return found


LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def _check_hyphenation(spec: LayoutSpec, source: Source) -> list[Problem]:
    """Each `hyphenation` key is a language tag, and lists a word once (found at the key, and
    at the word listed again)."""
    found: list[Problem] = []
    for language, listing in spec.hyphenation.items():
        if not LANGUAGE_TAG.fullmatch(language):
            found.append(
                source.problem(
                    ("hyphenation", language),
                    f"'{clipped(language, 40)}' is not a language",
                    "write a language tag such as en or en-GB (as bulletin.yaml's locale)",
                    key=True,
                )
            )
        seen: dict[str, str] = {}
        for k, word in enumerate(listing.exceptions):
            letters = word.replace("-", "").casefold()
            if letters in seen:
                found.append(
                    source.problem(
                        ("hyphenation", language, "exceptions", k),
                        f"'{word}' is listed already, as '{seen[letters]}'",
                        "list each word once",
                    )
                )
            seen.setdefault(letters, word)
    return found


def _check_contract(spec: LayoutSpec, needs: StyleNames, source: Source) -> list[Problem]:
    """Every style the document uses must be defined (found at the table that lacks it)."""
    found = []
    for kind, key, names, table in (
        ("style", "styles", needs.paragraph, spec.styles),
        ("character style", "character_styles", needs.character, spec.character_styles),
        ("table style", "tables", needs.table, spec.tables),
    ):
        for name in names:
            if name not in table:
                found.append(
                    source.problem(
                        (key,),
                        f"no {kind} '{name}', which the bulletin uses",
                        f"define '{name}' under '{key}' (see docs/layouts.md)",
                        key=True,
                    )
                )
    if needs.chart and spec.chart is None:
        found.append(
            source.problem(
                (),
                "no 'chart:', which the bulletin uses",
                "add a chart section (see docs/layouts.md)",
            )
        )
    return found


def _font_problems(file: str, path: KeyPath, source: Source, folders: Folders) -> list[Problem]:
    """A font file named by a layout: inside a fonts folder, and a TrueType font."""
    folders = (*folders[:-1], *layout_spec.FONT_FOLDERS)
    shown = shown_path(folders[0])
    found = confined(folders, file)
    if found is None:
        hint = f"put the TTF in {shown}/ and give its name (no folders outside it)"
        return [source.problem(path, f"no font file {shown}/{file[:200]}", hint)]
    reason = font_file_problem(found)
    if reason is not None:
        hint = "use a TrueType font (.ttf with glyf outlines)"
        return [source.problem(path, f"font file {shown}/{file} {reason}", hint)]
    return []


def _text_path(name: str, folders: Folders) -> Path:
    """The text.yaml a layout uses: its own, else the nearest base's, else its own (missing)."""
    folder = name
    while (found := _layout_file(folder, "text.yaml", folders)) is None:
        file = _layout_file(folder, "layout.yaml", folders)
        base = sources.load(file).value.get("extends") if file else None
        if not base:
            own = _layout_file(name, "layout.yaml", folders)
            return own.parent / "text.yaml" if own else LAYOUTS / name / "text.yaml"
        folder = str(base)
    return found


def _load_text(
    name: str, problems: list[Problem], folders: Folders, known: tuple[str, ...]
) -> tuple[dict[str, Any], Source | None]:
    """Compile the layout's wording (its own text.yaml, else its base's)."""
    path = _text_path(name, folders)
    if not path.is_file():
        hint = "a layout needs its wording: add text.yaml, or `extends:` a layout that has one"
        problems.append(Problem(shown_path(path), 1, 1, "", "file not found", hint))
        return {}, None
    try:
        source = sources.load(path, shown_path(path))
        problems.extend(source.problems)  # a duplicate key, a YAML tag: refused as in layout.yaml
        wording = Annotated[dict[str, TextValue], Field(max_length=500)]
        values = validate(wording, source.value)
    except BulletinError as error:
        problems.extend(error.problems)
        return {}, None
    except ValidationError as error:
        problems.extend(translate(error, source))
        return {}, None
    compiled: dict[str, Any] = {}
    for key, value in values.items():
        if known and key not in known:
            problems.append(_unknown_wording(source, key, known))
            continue
        items = value if isinstance(value, list) else [value]
        if len(items) > MAX_ITEMS or any(len(item) > MAX_WORDING for item in items):
            message = f"more than {MAX_ITEMS} items or {MAX_WORDING:,} characters in a wording"
            problems.append(source.problem((key,), message, "a wording is a heading or a line"))
            continue
        try:
            if isinstance(value, list):
                compiled[key] = [_parsed(source, (key, i), item) for i, item in enumerate(value)]
            else:
                compiled[key] = _parsed(source, (key,), value)
        except BulletinError as error:
            problems.extend(error.problems)
    return compiled, source


def _unknown_wording(source: Source, key: str, known: tuple[str, ...]) -> Problem:
    """A key of text.yaml the bulletin never uses: a typo, or a wording of another bulletin."""
    import difflib  # only for a mistake: a build that has none never loads it

    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = (
        f"did you mean '{close[0]}'?"
        if close
        else "the keys are those of the built-in layout's text.yaml (docs/layouts.md)"
    )
    return source.problem((key,), f"unknown wording '{clipped(key)}'", hint, key=True)


def _parsed(source: Source, path: KeyPath, text: str) -> Wording:
    """One wording of text.yaml, or its located problem."""
    try:
        return parse(text)
    except WordingError as error:
        problem = _wording_problem(source, path, error.message, error.hint, error.offset)
        raise BulletinError([problem]) from None


def _wording_problem(
    source: Source, path: KeyPath, message: str, hint: str, offset: int | None
) -> Problem:
    """A problem in a wording, at the column of its mark when the value is on one line."""
    problem = source.problem(path, message, hint)
    if offset is None:
        return problem
    try:
        lines = Path(problem.file).read_text(encoding="utf-8").splitlines()
        row = lines[problem.line - 1]
    except (OSError, UnicodeError, IndexError):
        return problem
    value = _at(source.value, path)
    quoted = row[problem.column - 1 : problem.column] in ("'", '"')
    start = problem.column - 1 + quoted
    if row[start : start + len(value)] != value:
        return problem  # escapes, folding or a block scalar: the value's own position
    return replace(problem, column=start + offset + 1)

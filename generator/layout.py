"""Layouts as data: `layouts/<name>/layout.yaml` (page, fonts, colours, styles) and `text.yaml`.

A layout may `extends:` another; its mappings are merged key by key into the base's.
Styles inherit from their `parent`; the result is a flat style sheet both writers read.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import jinja2
from pydantic import TypeAdapter, ValidationError

from . import sources
from .errors import BulletinError, KeyPath, Problem
from .layout_spec import (
    FONTS,
    ROOT,
    LayoutSpec,
    PageSetup,
    SectionStyle,
    Style,
    StyleSpec,
)
from .sources import Source
from .validate import shown_path, translate

LAYOUTS = ROOT / "layouts"
TextValue = str | list[str]


@dataclass(frozen=True)
class Layout:
    """A layout ready for the writers: page, fonts, colours, resolved styles, wording."""

    name: str
    spec: LayoutSpec
    styles: dict[str, Style]
    text: dict[str, jinja2.Template | list[jinja2.Template]]
    text_source: Source | None = None

    @property
    def page(self) -> PageSetup:
        return self.spec.page

    def style(self, name: str) -> Style:
        """The named style; a name the layout does not define is a bug in the caller."""
        return self.styles[name]

    def section(self, key: str) -> SectionStyle:
        return self.spec.sections.get(key, SectionStyle())

    def words(self, key: str, **values: Any) -> str:
        """Render one fixed wording of the layout with the given values."""
        return " ".join(self.word_list(key, **values))

    def word_list(self, key: str, **values: Any) -> list[str]:
        """Render a wording that is a list (table headers), or a one-item list."""
        if key not in self.text:
            raise self._text_problem((), f"no text '{key}'", f"add '{key}:' to text.yaml")
        templates = self.text[key]
        items = templates if isinstance(templates, list) else [templates]
        try:
            return [item.render(**values) for item in items]
        except jinja2.UndefinedError as error:
            names = ", ".join(sorted(values))
            raise self._text_problem(
                (key,), f"template error: {error.message}", f"the names here are: {names}"
            ) from None

    def _text_problem(self, path: KeyPath, message: str, hint: str) -> BulletinError:
        if self.text_source is None:
            return BulletinError([Problem(self.name, 1, 1, "", message, hint)])
        return BulletinError([self.text_source.problem(path, message, hint)])


def available() -> list[str]:
    return sorted(p.name for p in LAYOUTS.iterdir() if (p / "layout.yaml").is_file())


def load_layout(name: str) -> Layout:
    """Read, merge, check and resolve the named layout, or raise its located problems."""
    if not (LAYOUTS / name / "layout.yaml").is_file():
        raise BulletinError(
            [
                Problem(
                    str(LAYOUTS / name),
                    1,
                    1,
                    "",
                    f"no layout '{name}'",
                    f"choose one of: {', '.join(available())}",
                )
            ]
        )
    source = _merged_source(name, ())
    if source.problems:
        raise BulletinError(source.problems)
    try:
        spec = TypeAdapter(LayoutSpec).validate_python(source.value)
    except ValidationError as error:
        raise BulletinError(translate(error, source)) from None
    problems: list[Problem] = []
    styles = _resolve_styles(spec, source, problems)
    problems.extend(_check_references(spec, styles, source))
    text, text_source = _load_text(name, problems)
    if problems:
        raise BulletinError(problems)
    return Layout(name, spec, styles, text, text_source)


def _merged_source(name: str, seen: tuple[str, ...]) -> Source:
    path = LAYOUTS / name / "layout.yaml"
    source = sources.load(path, shown_path(path))
    source.files[()] = source.file
    base_name = source.value.get("extends") if isinstance(source.value, dict) else None
    if not base_name:
        return source
    if base_name in (*seen, name) or not (LAYOUTS / str(base_name) / "layout.yaml").is_file():
        raise BulletinError(
            [
                source.problem(
                    ("extends",),
                    f"cannot extend '{base_name}'",
                    f"name one of: {', '.join(available())}",
                )
            ]
        )
    base = _merged_source(str(base_name), (*seen, name))
    _merge_into(base, source, ())
    base.value["extends"] = None
    return base


def _merge_into(base: Source, child: Source, path: KeyPath) -> None:
    """Copy the child's values over the base's, mapping by mapping, keeping positions."""
    target = _at(base.value, path)
    for key, value in _at(child.value, path).items():
        here = (*path, key)
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge_into(base, child, here)
            continue
        target[key] = value
        for table, other in ((base.values, child.values), (base.keys, child.keys)):
            for known in [p for p in table if p[: len(here)] == here]:
                del table[known]
            table.update({p: v for p, v in other.items() if p[: len(here)] == here})
        base.files[here] = child.file


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
            values.update(spec.styles[link].model_dump(exclude_none=True, exclude={"parent"}))
        if "rule_below" in spec.styles[name].model_fields_set:
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


def _check_references(spec: LayoutSpec, styles: dict[str, Style], source: Source) -> list[Problem]:
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
    for name, style in styles.items():
        need("colour", style.colour, spec.colours, ("styles", name, "colour"))
        need("colour", style.rule_below, spec.colours, ("styles", name, "rule_below"))
        need("font", style.font, spec.fonts, ("styles", name, "font"))
    for name, char in spec.character_styles.items():
        need("colour", char.colour, spec.colours, ("character_styles", name, "colour"))
    for name, frame in spec.frames.items():
        for key in ("background", "border"):
            need("colour", getattr(frame, key), spec.colours, ("frames", name, key))
    for name, table in spec.tables.items():
        for key in ("header_background", "stripe", "rule"):
            need("colour", getattr(table, key), spec.colours, ("tables", name, key))
        for key in ("header_style", "body_style"):
            need("style", getattr(table, key), spec.styles, ("tables", name, key))
    need("colour", spec.chart.bar_colour, spec.colours, ("chart", "bar_colour"))
    need("colour", spec.chart.label_colour, spec.colours, ("chart", "label_colour"))
    need("style", spec.chart.style, spec.styles, ("chart", "style"))
    need("colour", spec.email.background, spec.colours, ("email", "background"))
    need("colour", spec.email.paper, spec.colours, ("email", "paper"))
    for name, section in spec.sections.items():
        need("frame", section.frame, spec.frames, ("sections", name, "frame"))
    for name, family in spec.fonts.items():
        for key in ("regular", "bold", "italic", "bold_italic"):
            if not (FONTS / getattr(family, key)).is_file():
                found.append(
                    source.problem(
                        ("fonts", name, key),
                        f"no font file fonts/{getattr(family, key)}",
                        "put the TTF in fonts/ or fix the name",
                    )
                )
    return found


def _text_path(name: str) -> Path:
    """The text.yaml a layout uses: its own, else the nearest base's, else its own (missing)."""
    folder = LAYOUTS / name
    while not (folder / "text.yaml").is_file():
        base = sources.load(folder / "layout.yaml").value.get("extends")
        if not base:
            return LAYOUTS / name / "text.yaml"
        folder = LAYOUTS / str(base)
    return folder / "text.yaml"


def _load_text(name: str, problems: list[Problem]) -> tuple[dict[str, Any], Source | None]:
    """Compile the layout's wording (its own text.yaml, else its base's) with StrictUndefined."""
    path = _text_path(name)
    if not path.is_file():
        hint = "a layout needs its wording: add text.yaml, or `extends:` a layout that has one"
        problems.append(Problem(shown_path(path), 1, 1, "", "file not found", hint))
        return {}, None
    try:
        source = sources.load(path, shown_path(path))
        values = TypeAdapter(dict[str, TextValue]).validate_python(source.value)
    except BulletinError as error:
        problems.extend(error.problems)
        return {}, None
    except ValidationError as error:
        problems.extend(translate(error, source))
        return {}, None
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
    compiled: dict[str, Any] = {}
    for key, value in values.items():
        try:
            if isinstance(value, list):
                compiled[key] = [environment.from_string(item) for item in value]
            else:
                compiled[key] = environment.from_string(value)
        except jinja2.TemplateSyntaxError as error:
            problems.append(
                source.problem(
                    (key,), f"template error: {error.message}", "check the {{ }} and {% %} marks"
                )
            )
    return compiled, source

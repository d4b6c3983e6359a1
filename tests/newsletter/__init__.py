"""A second kind of bulletin, for tests: a quarterly newsletter of articles with pictures.

It proves the seam: everything specific to it (its data files and their checks, how an issue
becomes the document model, its styles, its summary) is here; the engine's sources, errors,
model, layouts, writers and build are used as they are. Its layout is in layouts/newsletter/.

```yaml
# data/bulletin.yaml                   # data/2021.yaml
kind: newsletter                       quarter: 3
title: Harbour Quarterly               sections:
publisher: Port Authority Staff Office   - title: News
                                           articles:
                                             - title: New quay opens
                                               text: The **north quay** opened ...
                                               image: {file: quay.png, alt: ..., caption: ...}
```
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from generator import inline, sources
from generator.errors import BulletinError, Problem, fail, shown_path
from generator.layout import Layout
from generator.model import (
    PAGE,
    PAGES,
    Document,
    DocumentInfo,
    Heading,
    Image,
    Masthead,
    PageFooter,
    Paragraph,
    Run,
    Section,
)
from generator.schema import (
    AfterValidator,
    Field,
    Record,
    ValidationError,
    problem,
    translate,
    validate,
)
from generator.sources import Source
from generator.style_names import WRITERS, StyleNames

STYLES = WRITERS | StyleNames(
    paragraph=(
        "Masthead Publisher",
        "Masthead Period",
        "Masthead Issue",
        "Title",
        "Heading 1",
        "Article Title",
        "Article Text",
        "Figure",
        "Caption",
    ),
    character=("Strong", "Emphasis", "Hyperlink"),
)
MONTHS = {1: "January – March", 2: "April – June", 3: "July – September", 4: "October – December"}


def _text(value: str) -> str:
    if not value.strip():
        raise problem("the text is empty", "write the text or remove the key")
    return value


def _picture(value: str) -> str:
    if not re.fullmatch(r"[\w-]+\.(png|jpg|jpeg)", value):
        raise problem(f"'{value}' is not a picture file name", "a .png or .jpg in the data folder")
    return value


Text = Annotated[str, AfterValidator(_text)]


class Settings(Record):
    kind: Literal["newsletter"]
    title: Text
    publisher: Text
    file_name: str = "newsletter-{year}-q{quarter}"


class Picture(Record):
    file: Annotated[str, AfterValidator(_picture)]
    alt: Text
    caption: Text | None = None


class Article(Record):
    title: Text
    text: Text
    image: Picture | None = None


class Part(Record):
    title: Text
    articles: list[Article] = Field(min_length=1)


class Quarter(Record):
    quarter: Annotated[int, Field(ge=1, le=4)]
    sections: list[Part] = Field(min_length=1)


@dataclass(frozen=True)
class Issue:
    settings: Settings
    quarter: Quarter
    year: int
    folder: Path
    source: Source


class Newsletter:
    """The newsletter as a kind of bulletin."""

    key = "newsletter"
    styles = STYLES
    layout = "newsletter"

    def load(self, data_dir: Path, year: str) -> Issue:
        settings_source = _load(data_dir / "bulletin.yaml")
        source = _load(data_dir / f"{year}.yaml")
        settings = _validate(settings_source, Settings)
        quarter = _validate(source, Quarter)
        missing = [
            source.problem(("sections", i, "articles", j, "image", "file"), "no such picture")
            for i, part in enumerate(quarter.sections)
            for j, article in enumerate(part.articles)
            if article.image and not (data_dir / article.image.file).is_file()
        ]
        if missing:
            raise BulletinError(missing)
        return Issue(settings, quarter, int(year), data_dir.absolute(), source)

    def compose(self, issue: Issue, layout: Layout) -> Document:
        return _Composer(issue, layout).document()

    def summarise(self, issue: Issue) -> str:
        articles = sum(len(part.articles) for part in issue.quarter.sections)
        pictures = sum(1 for p in issue.quarter.sections for a in p.articles if a.image)
        return (
            f"{issue.source.file}: ok\n  quarter  {issue.quarter.quarter} ({issue.year})\n"
            f"  articles {articles} in {len(issue.quarter.sections)} sections, "
            f"{pictures} with a picture"
        )

    def file_stem(self, issue: Issue, year: str) -> str:
        stem = issue.settings.file_name.replace("{year}", year)
        return stem.replace("{quarter}", str(issue.quarter.quarter))

    def warnings(self, issue: Issue, layout: Layout) -> list[Problem]:
        return []

    def new(self, data_dir: Path, year: str) -> str:
        raise fail(str(data_dir), "a newsletter has no template", "copy last quarter's file")

    def sources(self, data_dir: Path, issue: Issue) -> list[Source]:
        return [issue.source, _load(data_dir / "bulletin.yaml")]


def _load(path: Path) -> Source:
    source = sources.load(path, shown_path(path))
    if source.problems:
        raise BulletinError(source.problems)
    return source


def _validate(source: Source, model: Any) -> Any:
    try:
        return validate(model, source.value)
    except ValidationError as error:
        raise BulletinError(translate(error, source)) from None


class _Composer:
    def __init__(self, issue: Issue, layout: Layout) -> None:
        self.issue, self.layout = issue, layout
        self.names = {"year": issue.year, "quarter": issue.quarter.quarter}
        self.names["title"] = issue.settings.title

    def words(self, key: str, **extra: object) -> str:
        return self.layout.words(key, **self.names, **extra)

    def runs(self, text: str) -> tuple[Run, ...]:
        styles = {"bold": "Strong", "italic": "Emphasis"}
        found = []
        for span in inline.parse(text):
            style = (
                "Hyperlink"
                if span.url
                else next((s for flag, s in styles.items() if getattr(span, flag)), None)
            )
            found.append(Run(span.text, style, span.url))
        return tuple(found)

    def document(self) -> Document:
        settings, quarter = self.issue.settings, self.issue.quarter
        months = MONTHS[quarter.quarter]
        masthead = Masthead(
            (Paragraph("Masthead Publisher", (Run(settings.publisher),)),),
            Paragraph("Masthead Period", (Run(self.words("period", months=months)),)),
            Paragraph("Masthead Issue", (Run(self.words("issue")),)),
            Paragraph("Title", (Run(settings.title),)),
        )
        sections = tuple(self.section(i, part) for i, part in enumerate(quarter.sections))
        label = self.words("page_label", page=PAGE, pages=PAGES)
        parts = tuple(p for p in re.split(r"(\{page\}|\{pages\})", label) if p)
        footer = PageFooter(self.words("footer"), parts)
        subject = f"{settings.title}, {months} {self.issue.year}"
        info = DocumentInfo(settings.title, settings.publisher, subject, (), "en-GB")
        return Document(info, masthead, sections, footer)

    def section(self, i: int, part: Part) -> Section:
        blocks: list[Paragraph | Image] = []
        for article in part.articles:
            blocks.append(Paragraph("Article Title", self.runs(article.title)))
            blocks.append(Paragraph("Article Text", self.runs(article.text)))
            if article.image:
                blocks.append(self.image(article.image))
        heading = Heading("Heading 1", part.title, 1, f"section-{i + 1}")
        setting = self.layout.section("articles")
        return Section(f"section-{i + 1}", heading, tuple(blocks), setting.columns, setting.frame)

    def image(self, picture: Picture) -> Image:
        caption = Paragraph("Caption", self.runs(picture.caption)) if picture.caption else None
        return Image(str(self.issue.folder / picture.file), picture.alt, 0.8, caption)

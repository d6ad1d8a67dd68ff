"""Study tips bundled with the content, shown by `/help topic:tips`."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

TIPS_FILE = Path(__file__).resolve().parent / "tips.yaml"


class Tip(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=80)]
    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=400)]


class TipsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tips: list[Tip] = Field(min_length=1, max_length=25)


@cache
def load_tips(path: Path = TIPS_FILE) -> tuple[Tip, ...]:
    return tuple(TipsFile.model_validate(yaml.safe_load(path.read_text("utf-8"))).tips)

"""What the demo's steps share: the demo's folders and cities, the context passed from step to step,
and the two ways a step ends early (``Skip``, ``StepFailed``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xl_awards.base.findings import Finding
from xl_awards.demo.sample import PlantedError
from xl_awards.edition import Edition
from xl_awards.schema.intake import STAR_SHEET

DEFAULT_OUT = Path("out/demo")
TEMPLATES_DIR = "模板"
INTAKE_DIR = "市州申报"
# Cities whose sample workbooks the demo fills; the last one gets the planted mistakes.
CLEAN_CITIES = ("长沙市", "衡阳市", "湘西土家族苗族自治州")
ERROR_CITY = "株洲市"
# Enough applications in the clean cities that every award has more candidates than places,
# so the demo's ranking really selects (湘西州 has 9 window platforms: 9 stars at most).
CLEAN_CITY_COUNTS = {"star": 9, "institution": 4, "expert": 4, "product": 4}
ERROR_CITY_COUNTS = {STAR_SHEET: 4}  # enough stars for the star mistakes to sit on distinct rows
EXAMPLE_FINDINGS = 6

DONE, SKIPPED, FAILED = "done", "skipped", "failed"
STATUS_LABELS = {DONE: "完成", SKIPPED: "跳过", FAILED: "失败"}


class StepFailed(Exception):
    """A step ran but its result is wrong (the demo's own self-check)."""


@dataclass
class DemoContext:
    edition: Edition
    out_dir: Path
    seed: int = 0
    built: list[Path] = field(default_factory=list)  # everything `build` wrote
    templates: dict[str, Path] = field(default_factory=dict)  # city -> its intake template
    clean_files: list[Path] = field(default_factory=list)
    error_files: list[Path] = field(default_factory=list)
    planted: dict[Path, list[PlantedError]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    written_back: list[Path] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)  # for later steps to pass things on
    office: Any = None  # a started LibreOffice shared by the steps that write PDFs (None: each starts its own)

    @property
    def intake_files(self) -> list[Path]:
        return self.clean_files + self.error_files

    @property
    def hub(self) -> Path | None:
        """The hub workbook `build` wrote, if any (a later step may replace it in ``data``)."""
        if "hub" in self.data:
            return Path(self.data["hub"])
        return next((p for p in self.built if "枢纽" in p.name), None)


@dataclass
class StepResult:
    key: str
    title: str
    status: str
    lines: list[str] = field(default_factory=list)


@dataclass
class DemoResult:
    out_dir: Path
    steps: list[StepResult]
    context: DemoContext

    @property
    def ok(self) -> bool:
        return all(step.status != FAILED for step in self.steps)

    def step(self, key: str) -> StepResult:
        return next(s for s in self.steps if s.key == key)


class Skip(Exception):
    """A step that cannot run yet (its module or an input from an earlier step is missing)."""

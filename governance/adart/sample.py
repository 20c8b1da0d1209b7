"""The sample AD/ART draft the demo, the rehearsal and the tests ratify."""

from __future__ import annotations

from pathlib import Path

SAMPLE_DRAFT = Path(__file__).resolve().parent / "sample_draft.md"

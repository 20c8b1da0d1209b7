"""How public screens show a congress: names stay off the projector until the secretariat says.

A projected hall can be photographed or streamed; for delegates who are stigmatised, a name on
the wall can be a danger. So candidate names are hidden by default and shown only by choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from governance.domain.events import Event, ProjectorNamesSet


@dataclass
class DisplaySettings:
    congress_id: str
    projector_names: bool = False
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    def show_names_on_projector(self, show: bool) -> None:
        if show != self.projector_names:
            self.projector_names = show
            self.events.append(ProjectorNamesSet(congress_id=self.congress_id, show=show))

"""Reading submitted forms strictly: one value per field unless the field allows several."""

from __future__ import annotations

from starlette.datastructures import FormData

from governance.domain.errors import InvalidInput


class RepeatedField(InvalidInput):
    code = "repeated_field"


def single(form: FormData, name: str, *, required: bool = True, max_length: int = 200) -> str:
    """The one value of a field; a repeated or oversized field is refused, not guessed at."""
    values = form.getlist(name)
    if len(values) > 1:
        raise RepeatedField(name)
    if not values:
        if required:
            raise InvalidInput(name)
        return ""
    value = values[0]
    if not isinstance(value, str) or len(value) > max_length:
        raise InvalidInput(name)
    return value


def integers(form: FormData, name: str, *, limit: int = 100) -> list[str]:
    values = form.getlist(name)
    if len(values) > limit or any(not isinstance(v, str) for v in values):
        raise InvalidInput(name)
    return [str(v) for v in values]

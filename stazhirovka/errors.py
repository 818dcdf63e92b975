"""Errors the program reports to its users, in Russian, without a traceback."""

from __future__ import annotations

from dataclasses import dataclass


class UserError(Exception):
    """An error whose message is meant for the user as it is."""


@dataclass(frozen=True)
class Problem:
    """One problem with input: the field (its Russian label) and what is wrong."""

    field: str
    label: str
    message: str

    def __str__(self) -> str:
        return f"{self.label}: {self.message}" if self.label else self.message


class ValidationError(UserError):
    """Every problem found in one piece of input, reported together."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def for_field(self, field: str) -> list[str]:
        return [p.message for p in self.problems if p.field == field]


class BatchRowError(UserError):
    """One record of a batch was refused; ``index`` is its place in the batch."""

    def __init__(self, index: int, error: UserError):
        self.index, self.error = index, error
        super().__init__(str(error))


class NotFoundError(UserError):
    pass


class DeleteRefusedError(UserError):
    """Deleting a record that history depends on; the message says what depends on it."""


class ConflictError(UserError):
    """Someone else saved the record in the meantime."""


class DatabaseError(UserError):
    """The database cannot be opened, is too new, or failed a check."""

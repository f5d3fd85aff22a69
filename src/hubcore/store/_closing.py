"""What every backend shares: use as a context manager that closes the store."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class ClosingContext:
    """``with store: ...`` closes the store on the way out, whatever happened inside."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

"""Key rotation: every encrypted value re-written under the newest key.

ENCRYPTION_KEYS lists keys newest first and any of them can read (app/crypto.py), so a council
rotates in three steps: put a new key first, run `flask --app app keys rotate`, then remove the
old key. The old key may go only after the rotation has finished: a value that it alone can read
would otherwise be lost for good.

The columns are found from the models (every EncryptedJSON column), so a new encrypted column is
rotated without anyone remembering to list it here. The work goes in batches in primary-key
order, each its own transaction when `commit` is given: a big database is never held in one long
transaction, and a rotation stopped halfway can be run again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Column, LargeBinary, Table, bindparam, select, type_coerce, update
from sqlalchemy.orm import Session

from app import crypto
from app.contacts import search
from app.models import Base, EncryptedJSON

BATCH = 500


@dataclass(frozen=True)
class Encrypted:
    """A table and its encrypted columns."""

    table: Table
    columns: tuple[Column[object], ...]

    @property
    def id(self) -> Column[object]:
        (column,) = self.table.primary_key.columns  # every encrypted table has one id column
        return column


def encrypted_tables() -> list[Encrypted]:
    found = []
    for table in Base.metadata.sorted_tables:
        columns = tuple(c for c in table.columns if isinstance(c.type, EncryptedJSON))
        if columns:
            found.append(Encrypted(table, columns))
    return found


def _rotate_table(
    session: Session, target: Encrypted, size: int, commit: Callable[[], None] | None
) -> int:
    # Read and write the stored bytes as they are (LargeBinary), not through EncryptedJSON,
    # which would decrypt on the way out and encrypt the JSON of the bytes on the way in.
    stored = [type_coerce(column, LargeBinary).label(column.key) for column in target.columns]
    write = update(target.table).where(target.id == bindparam("row_id"))
    write = write.values(
        {c.key: bindparam(f"new_{c.key}", type_=LargeBinary) for c in target.columns}
    )
    done = 0
    after = None
    while True:
        query = select(target.id, *stored).order_by(target.id).limit(size)
        if after is not None:
            query = query.where(target.id > after)
        rows = session.execute(query).all()
        if not rows:
            return done
        params = []
        for row_id, *values in rows:
            params.append(
                {"row_id": row_id}
                | {
                    f"new_{column.key}": None if value is None else crypto.rotate(value)
                    for column, value in zip(target.columns, values, strict=True)
                }
            )
            done += sum(value is not None for value in values)
        session.execute(write, params)
        if commit is not None:
            commit()
        after = rows[-1][0]


def rotate(
    session: Session, *, size: int = BATCH, commit: Callable[[], None] | None = None
) -> dict[str, int]:
    """Re-encrypt every stored value with the newest key, and rewrite the search hashes made
    from the old one (so search keeps working once the old key is removed); how many values,
    by table."""
    counts = {
        target.table.name: _rotate_table(session, target, size, commit)
        for target in encrypted_tables()
    }
    counts["contact_search"] = search.reindex(session, size=size, commit=commit)
    return counts

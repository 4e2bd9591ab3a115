"""The column contracts of measured data, and which one a file's header follows.

A contract names its columns, the required ones first; a header is matched without regard to case,
spaces, hyphens and dots (``Interval Start`` is ``interval_start``), and under German aliases
(``Beginn`` is ``start``). A column whose header begins with ``#`` is a comment. Which contract a file
follows is the one whose required columns its header has (an explicit kind overrides); a header that is
no column of it is refused with the closest column as a suggestion, since a misspelt optional column
would otherwise be read as missing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from msgspec import Struct, field

from slagen.errors import InputError, Problem

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


class Contract(Struct, frozen=True):
    """The columns of one kind of data file: required, optional, and those that may repeat."""

    kind: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    repeated: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)
    """Other names of a column (normalised, see :func:`normal`) → the column."""
    open: bool = False
    """Whether any other column is a field of the records (the generic measurements file)."""

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column, in the contract's order."""
        return (*self.required, *self.optional, *self.repeated)


def normal(name: str) -> str:
    """A header as compared: lower case, umlauts as ae/oe/ue, runs of spaces, hyphens and dots one underscore.

    >>> normal(" Interval-Start "), normal("Ticket ID"), normal("paused_from.2"), normal("Früh aufgelegt")
    ('interval_start', 'ticket_id', 'paused_from_2', 'frueh_aufgelegt')
    """
    return re.sub(r"[\s\-./]+", "_", name.strip().lower().translate(_UMLAUTS)).strip("_")


def _aliases(**names: str) -> dict[str, str]:
    """``column="alias|alias"`` → {alias: column}."""
    return {normal(alias): column for column, listed in names.items() for alias in listed.split("|")}


CONTRACTS = {
    "outages": Contract(
        "outages",
        ("start", "end", "service", "cause"),
        ("note",),
        aliases=_aliases(
            start="beginn|von|started_at|ausfall_beginn|from|scheduled_for|customer_impact_start",
            end="ende|bis|resolved_at|ausfall_ende|to|scheduled_until|customer_impact_end",
            service="dienst|system|komponente|component|components",
            cause="ursache|grund|reason",
            note="notiz|bemerkung|kommentar|comment|description|beschreibung",
        ),
    ),
    "tickets": Contract(
        "tickets",
        ("id", "created"),
        ("priority", "kind", "responded", "restored", "resolved", "paused", "from_backup", "data_lost_since"),
        ("paused_from", "paused_to"),
        aliases=_aliases(
            id="ticket|ticket_id|number|nummer|ticketnummer|key",
            priority="priorität|prio",
            created="erstellt|eingang|gemeldet|opened_at|created_at|reported",
            kind="art|typ|type",
            responded="first_response|reagiert|erste_reaktion|responded_at",
            restored="wiederhergestellt|restored_at",
            resolved="gelöst|erledigt|resolved_at|closed_at",
            paused="pausen|pausiert|on_hold",
            paused_from="pause_von|pause_beginn",
            paused_to="pause_bis|pause_ende",
            from_backup="aus_backup|aus_sicherung|backup_restore",
            data_lost_since="datenverlust_seit",
        ),
    ),
    "intervals": Contract(
        "intervals",
        ("interval_start", "minutes", "offered", "answered", "answered_in_time", "abandoned", "abandoned_short"),
        ("wait_seconds", "forecast"),
        aliases=_aliases(
            interval_start="intervall_beginn|intervallbeginn|intervall|interval",
            minutes="minuten|dauer|länge",
            offered="angeboten|angebotene_anrufe|eingehend|calls_offered",
            answered="angenommen|angenommene_anrufe|calls_answered|handled",
            answered_in_time="rechtzeitig_angenommen|in_zeit|answered_within_threshold|within_threshold",
            abandoned="aufgelegt|abgebrochen|verloren|calls_abandoned",
            abandoned_short="früh_aufgelegt|kurz_aufgelegt|short_abandoned",
            wait_seconds="wartezeit_sekunden|wartesekunden|wartezeit|total_wait_seconds",
            forecast="prognose|vorhersage|forecast_calls",
        ),
    ),
    "activity": Contract(
        "activity",
        ("day", "agent", "days_worked", "calls", "answered_in_person", "decision_maker_contacts", "appointments"),
        ("recordings_reviewed",),
        aliases=_aliases(
            day="tag|datum|date",
            agent="mitarbeiter|mitarbeiterin|agentin",
            days_worked="arbeitstage|einsatztage|anteil_tag",
            calls="anrufe|wählversuche|dials",
            answered_in_person="persönlich_erreicht|erreicht|connects",
            decision_maker_contacts="entscheiderkontakte|entscheider_kontakte|dm_contacts",
            appointments="termine|vereinbarte_termine",
            recordings_reviewed="geprüfte_aufzeichnungen|aufzeichnungen_geprüft",
        ),
    ),
    "samples": Contract(
        "samples",
        ("timestamp", "service", "up"),
        aliases=_aliases(
            timestamp="zeitpunkt|zeit|time|ts",
            service="dienst|system|instance|job",
            up="verfügbar|probe_success|value|wert|status",
        ),
    ),
    "measurements": Contract(
        "measurements",
        ("record", "timestamp"),
        ("id",),
        aliases=_aliases(record="datensatz|satzart", timestamp="zeitpunkt|zeitstempel|zeit|time", id="nummer|kennung"),
        open=True,
    ),
}
"""The contracts by kind, in the order a header is tried against them."""
KINDS = tuple(CONTRACTS)


class Layout(Struct, frozen=True):
    """Where a file's columns are: the contract, and for each of its columns the indexes of the file's columns."""

    contract: Contract
    at: Mapping[str, tuple[int, ...]]
    width: int = 0
    """The header's cells: a row of more (not empty) cells has a separator in a cell that was not quoted."""

    def index(self, column: str) -> int | None:
        """The index of a column given once, ``None`` if the file has none."""
        found = self.at.get(column, ())
        return found[0] if found else None


def layout_of(header: Sequence[str], path: Path, kind: str | None = None) -> Layout:
    """Which contract ``header`` follows (``kind``, if given) and where its columns are; refused with every reason."""
    if kind is not None and kind not in CONTRACTS:
        raise InputError.single(f"'{kind}' is no kind of measured data (kinds: {', '.join(KINDS)})", file=path)
    candidates = [CONTRACTS[kind]] if kind else list(CONTRACTS.values())
    scored = [(sum(_has(header, column, c) for column in c.required), c) for c in candidates]
    best = max(scored, key=lambda pair: pair[0] / len(pair[1].required))
    contract = best[1]
    if not kind and best[0] < 2:
        known = "; ".join(f"{c.kind}: {', '.join(c.required)}" for c in CONTRACTS.values())
        raise InputError.single(f"the header names no known kind of measured data (columns wanted: {known})", file=path)
    problems: list[Problem] = []
    at: dict[str, list[int]] = {}
    for index, cell in enumerate(header):
        if not cell or cell.startswith("#"):
            continue
        column = _column_of(cell, contract)
        if column is None and contract.open and normal(cell):
            column = normal(cell)
        if column is None:
            problems.append(Problem(_unknown(cell, contract), str(path), 1, cell))
            continue
        if column in at and column not in contract.repeated:
            problems.append(Problem(f"'{column}' is a column already (column {at[column][0] + 1})", str(path), 1, cell))
            continue
        at.setdefault(column, []).append(index)
    for column in contract.required:
        if column not in at:
            problems.append(Problem(f"the {contract.kind} file has no column '{column}'", str(path), 1, column))
    if len(at.get("paused_from", ())) != len(at.get("paused_to", ())):
        problems.append(Problem("paused_from and paused_to columns come in pairs", str(path), 1, "paused_from"))
    if problems:
        raise InputError(problems)
    return Layout(contract, {column: tuple(indexes) for column, indexes in at.items()}, len(header))


def _column_of(cell: str, contract: Contract) -> str | None:
    name = normal(cell)
    if name in contract.columns:
        return name
    if name in contract.aliases:
        return contract.aliases[name]
    numbered = re.sub(r"_?\d+$", "", name)  # paused_from_2, Pause von 2
    if numbered != name:
        column = _column_of(numbered, contract)
        if column in contract.repeated:
            return column
    return None


def _has(header: Sequence[str], column: str, contract: Contract) -> bool:
    return any(_column_of(cell, contract) == column for cell in header)


def _unknown(cell: str, contract: Contract) -> str:
    import difflib  # only for a suggestion in a message: not at start-up

    close = difflib.get_close_matches(normal(cell), [*contract.columns, *contract.aliases], n=1, cutoff=0.7)
    hint = f" (did you mean '{contract.aliases.get(close[0], close[0])}'?)" if close else ""
    return f"'{cell}' is no column of the {contract.kind} file{hint}; columns: {', '.join(contract.columns)}"

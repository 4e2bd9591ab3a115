"""Compare two versions of a contract as written: the whole body, block by block, and a changed block word by word.

Takes the bodies :class:`~slagen.writers.body.BodyWriter` wrote for the old and the new version
(cover, contents, parties, every clause, annexes, signatures) and gives the body of the redline:
the new version's blocks where nothing changed, the old version's marked deleted and the new
version's marked inserted where blocks came or went, and a paragraph or table present in both
with its changed words as tracked deletions and insertions. Because both versions are compared
as the writer wrote them, accepting every change gives the new contract and rejecting every
change the old one, whatever the writer puts into a contract.

Changed words are grouped as a lawyer's comparison tool groups them: a change of a few words
is shown word by word, a lone unchanged word between two changes goes with them, and a
paragraph that changed for the most part, in many places, is shown as the old paragraph deleted
and the new one inserted (:data:`MOSTLY_CHANGED`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from difflib import SequenceMatcher
from typing import Any

from lxml import etree
from msgspec import Struct

from slagen.writers.tracked import (
    W,
    mark_block,
    mark_paragraph_mark,
    mark_row,
    mark_runs,
    paragraph_style,
    parse_body,
    shown_text,
    tag,
)

MOSTLY_CHANGED = 0.5
"""A paragraph of which less than this share (of its characters) stays, in :data:`FRAGMENTS` or more changed
places, is replaced as a whole; in fewer places, when less than 40 % of that share (a fifth) stays."""
FRAGMENTS = 3
SIMILAR = 0.5
"""Two replaced paragraphs of the same kind are compared word by word when their texts are this similar."""
_DIGITS = re.compile(r"\d+")
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
_WORD = re.compile(r"\w")


class Unit(Struct, frozen=True):
    """A block of the body and what must be equal for it to count as unchanged."""

    blocks: tuple[Any, ...]
    key: str


def compare_bodies(old: str | bytes, new: str | bytes) -> list[Any]:
    """The redline's body blocks: ``new`` with every change from ``old`` as a tracked revision.

    The revisions carry no ids yet: :func:`slagen.writers.tracked.number_ids` gives them.
    """
    before, after = _units(parse_body(old, old=True)), _units(parse_body(new))
    matcher = SequenceMatcher(None, [u.key for u in before], [u.key for u in after], autojunk=False)
    out: list[Any] = []
    lists: dict[str, str] = {}  # list ids of the old version → the new version's for the same list
    from_old: list[Any] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for x, y in zip(before[i1:i2], after[j1:j2], strict=True):
                lists.update(_same_lists(x, y))
                out += y.blocks
            continue
        olds, news = before[i1:i2], after[j1:j2]
        for kind, a, b in _pair(olds, news):
            if kind == "modify" and a is not None and b is not None:
                out.append(_modified(a.blocks[0], b.blocks[0]))
            elif a is not None:
                from_old += a.blocks
                out += [mark_block(block, "del") for block in a.blocks]
            elif b is not None:
                out += [mark_block(block, "ins") for block in b.blocks]
    for block in from_old:  # a deleted list item keeps counting with its list
        for num in block.iter(f"{W}numId"):
            num.set(f"{W}val", lists.get(num.get(f"{W}val", ""), num.get(f"{W}val", "")))
    return out


def _units(blocks: list[Any]) -> list[Unit]:
    """Each block as a unit.

    A field that spans blocks (the table of contents) needs no care: each version's blocks stay whole
    in its view (accept all, reject all), so the field is whole in both.
    """
    return [Unit((block,), _key(block)) for block in blocks]


def _key(block: Any) -> str:
    name = tag(block)
    if name == "p":
        return f"p:{paragraph_style(block)}:{shown_text(block)}"
    if name == "tbl":
        style = block.find(f"{W}tblPr/{W}tblStyle")
        rows = "\n".join(shown_text(row) for row in block.iter(f"{W}tr"))
        return f"t:{style.get(f'{W}val', '') if style is not None else ''}:{rows}"
    return f"{name}:{shown_text(block)}"


def _same_lists(a: Unit, b: Unit) -> dict[str, str]:
    pairs = zip(a.blocks[0].iter(f"{W}numId"), b.blocks[0].iter(f"{W}numId"), strict=False)
    return {x.get(f"{W}val", ""): y.get(f"{W}val", "") for x, y in pairs} if len(a.blocks) == 1 else {}


def _pair(old: list[Unit], new: list[Unit]) -> Iterator[tuple[str, Unit | None, Unit | None]]:
    """Replaced units paired for a word-by-word comparison, in order; the others deleted or inserted.

    Units that differ only in numbers (a renumbered contents entry, a reference to a renumbered clause) pair
    first; of the rest, a unit pairs with the next of the same kind that says much the same.
    """
    loose = SequenceMatcher(None, [_DIGITS.sub("#", u.key) for u in old], [_DIGITS.sub("#", u.key) for u in new])
    for op, i1, i2, j1, j2 in loose.get_opcodes():
        if op == "equal":
            yield from (("modify", a, b) for a, b in zip(old[i1:i2], new[j1:j2], strict=True))
        else:
            yield from _pair_similar(old[i1:i2], new[j1:j2])


def _pair_similar(old: list[Unit], new: list[Unit]) -> Iterator[tuple[str, Unit | None, Unit | None]]:
    j = 0
    for unit in old:
        match = next((k for k in range(j, len(new)) if _comparable(unit, new[k]) and _similar(unit, new[k])), None)
        if match is None:
            yield "delete", unit, None
            continue
        for other in new[j:match]:
            yield "insert", None, other
        yield "modify", unit, new[match]
        j = match + 1
    for other in new[j:]:
        yield "insert", None, other


def _similar(a: Unit, b: Unit) -> bool:
    matcher = SequenceMatcher(None, a.key, b.key, autojunk=False)
    return matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR and matcher.ratio() >= SIMILAR


def _comparable(a: Unit, b: Unit) -> bool:
    if len(a.blocks) != 1 or len(b.blocks) != 1:
        return False
    x, y = a.blocks[0], b.blocks[0]
    if tag(x) != tag(y) or tag(x) not in ("p", "tbl"):
        return False
    if tag(x) == "p":
        return paragraph_style(x) == paragraph_style(y) and _bookmarks(x) == _bookmarks(y)
    return _key(x).split(":", 2)[1] == _key(y).split(":", 2)[1] and _columns(x) == _columns(y)


def _bookmarks(element: Any) -> list[str]:
    return [mark.get(f"{W}name", "") for mark in element.iter(f"{W}bookmarkStart")]


def _columns(table: Any) -> int:
    return len(table.findall(f"{W}tblGrid/{W}gridCol"))


def _modified(old: Any, new: Any) -> Any:
    if tag(new) == "tbl":
        return _modified_table(old, new)
    return modified_paragraph(old, new)


def _modified_table(old: Any, new: Any) -> Any:
    """The new table with its rows compared to the old one's: equal, inserted, deleted or changed cell by cell."""
    before, after = old.findall(f"{W}tr"), new.findall(f"{W}tr")
    for row in after:
        new.remove(row)
    matcher = SequenceMatcher(None, [shown_text(r) for r in before], [shown_text(r) for r in after], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            new.extend(after[j1:j2])
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for a, b in zip(before[i1 : i1 + pairs], after[j1 : j1 + pairs], strict=True):
            if len(a.findall(f"{W}tc")) == len(b.findall(f"{W}tc")):
                new.append(_modified_row(a, b))
            else:
                new.extend([_whole_row(a, "del"), _whole_row(b, "ins")])
        for row in before[i1 + pairs : i2]:
            new.append(_whole_row(row, "del"))
        for row in after[j1 + pairs : j2]:
            new.append(_whole_row(row, "ins"))
    return new


def _whole_row(row: Any, kind: str) -> Any:
    mark_row(row, kind)
    for paragraph in row.iter(f"{W}p"):
        mark_paragraph_mark(paragraph, kind)
        mark_runs(paragraph, kind)
    return row


def _modified_row(old: Any, new: Any) -> Any:
    for a, b in zip(old.findall(f"{W}tc"), new.findall(f"{W}tc"), strict=True):
        paragraphs_old, paragraphs_new = a.findall(f"{W}p"), b.findall(f"{W}p")
        if len(paragraphs_old) == len(paragraphs_new):
            for x, y in zip(paragraphs_old, paragraphs_new, strict=True):
                y.addprevious(modified_paragraph(x, y))
                b.remove(y)
            continue
        for x in paragraphs_old:
            paragraphs_new[0].addprevious(mark_block(x, "del"))
        for y in paragraphs_new:
            mark_block(y, "ins")
    return new


class Atom(Struct, frozen=True):
    """A piece of a paragraph compared as one: a word, a space or a mark of a run, a field, a bookmark."""

    key: str
    text: str
    elements: tuple[Any, ...] = ()
    """The elements that write it; a word has none (its run is made from ``props`` and ``text``)."""
    props: Any = None
    """The run properties of a word."""
    word: bool = False


def modified_paragraph(old: Any, new: Any) -> Any:
    """The new paragraph with its words compared to the old one's: changed words as tracked revisions."""
    before, after = atoms(old), atoms(new)
    segments = _segments(before, after)
    result = new.makeelement(f"{W}p", dict(new.attrib))
    props = new.find(f"{W}pPr")
    if props is not None:
        result.append(props)
    for op, gone, came in segments:
        if op == "equal":
            _emit(result, came, None)
        else:
            _emit(result, gone, "del")
            _emit(result, came, "ins")
    return result


def _segments(old: list[Atom], new: list[Atom]) -> list[tuple[str, list[Atom], list[Atom]]]:
    """The paragraph's edit as (``equal`` or ``change``, old atoms, new atoms), grouped for a reader.

    Also the Markdown redline's, with a word, a space or a mark as an atom (:func:`word_atoms`).
    """
    matcher = SequenceMatcher(None, [a.key for a in old], [a.key for a in new], autojunk=False)
    raw = [
        ("equal" if op == "equal" else "change", old[i1:i2], new[j1:j2]) for op, i1, i2, j1, j2 in matcher.get_opcodes()
    ]
    for index in range(1, len(raw) - 1):  # a lone word between two changes goes with them
        op, gone, came = raw[index]
        lone = sum(1 for atom in came if _WORD.search(atom.text)) <= 1
        if op == "equal" and raw[index - 1][0] == raw[index + 1][0] == "change" and lone:
            raw[index] = ("change", gone, came)
    merged: list[tuple[str, list[Atom], list[Atom]]] = []
    for op, gone, came in raw:
        if merged and op == merged[-1][0] == "change":
            merged[-1] = ("change", merged[-1][1] + gone, merged[-1][2] + came)
        else:
            merged.append((op, list(gone), list(came)))
    kept = sum(len(atom.text) for op, _, came in merged if op == "equal" for atom in came)
    longest = max(sum(len(a.text) for a in old), sum(len(a.text) for a in new), 1)
    fragments = sum(1 for op, _, _ in merged if op == "change")
    if fragments and kept / longest < MOSTLY_CHANGED * (1 if fragments >= FRAGMENTS else 0.4):
        return [("change", old, new)]
    return merged


def grouped_edit(old: list[Atom], new: list[Atom]) -> list[tuple[str, list[Atom], list[Atom]]]:
    """The edit from ``old`` to ``new`` grouped for a reader: (``equal`` or ``change``, old atoms, new atoms)."""
    return _segments(old, new)


def word_atoms(text: str) -> list[Atom]:
    """A line of plain text as atoms: its words, spaces and marks."""
    return [Atom(token, token, word=True) for token in _TOKEN.findall(text)]


def atoms(paragraph: Any) -> list[Atom]:
    """The paragraph's content as atoms: each word and space of a run, each field, mark or other element."""
    out: list[Atom] = []
    children = [child for child in paragraph if tag(child) != "pPr"]
    index = 0
    while index < len(children):
        child = children[index]
        if tag(child) == "r" and _field_begins(child):
            group, depth = [], 0
            while index < len(children):
                group.append(children[index])
                for char in children[index].iter(f"{W}fldChar"):
                    depth += {"begin": 1, "end": -1}.get(char.get(f"{W}fldCharType", ""), 0)
                index += 1
                if depth <= 0:
                    break
            text = "".join(shown_text(run) for run in group)
            out.append(Atom("F" + text, text, tuple(group)))
            continue
        index += 1
        if tag(child) != "r":
            text = shown_text(child)
            out.append(Atom(f"X{tag(child)}:{text}", text, (child,)))
            continue
        props = child.find(f"{W}rPr")
        style = etree.tostring(props, encoding="unicode") if props is not None else ""
        for piece in child:
            if piece is props:
                continue
            if tag(piece) == "t":
                for token in _TOKEN.findall(piece.text or ""):
                    out.append(Atom(f"T{style}\0{token}", token, props=props, word=True))
                continue
            run = child.makeelement(f"{W}r", {})
            if props is not None:
                run.append(copy.deepcopy(props))
            run.append(copy.deepcopy(piece))
            text = shown_text(run)
            out.append(Atom(f"E{style}\0{etree.tostring(piece, encoding='unicode')}", text, (run,)))
    return out


def _field_begins(run: Any) -> bool:
    char = run.find(f"{W}fldChar")
    return char is not None and char.get(f"{W}fldCharType") == "begin"


def _emit(paragraph: Any, pieces: list[Atom], kind: str | None) -> None:
    """Append the atoms to ``paragraph`` (words of the same emphasis as one run), marked ``kind`` if given."""
    holder = paragraph.makeelement(f"{W}p", {})
    for atom in pieces:
        if not atom.word:
            holder.extend(copy.deepcopy(element) for element in atom.elements)
            continue
        last = holder[-1] if len(holder) else None
        if last is not None and last.get("slagen-style") == atom.key.partition("\0")[0]:
            text = last[-1]
            text.text = (text.text or "") + atom.text
            continue
        run = holder.makeelement(f"{W}r", {"slagen-style": atom.key.partition("\0")[0]})
        if atom.props is not None:
            run.append(copy.deepcopy(atom.props))
        text = etree.SubElement(run, f"{W}t")
        text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        text.text = atom.text
        holder.append(run)
    for run in holder.iter(f"{W}r"):
        run.attrib.pop("slagen-style", None)
    if kind is not None:
        mark_runs(holder, kind)
    paragraph.extend(list(holder))

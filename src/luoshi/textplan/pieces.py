"""A document's text handed from stage to stage as pieces, so that it is never held twice.

A large file is read, its tables rebuilt and its text normalised as a list of pieces whose
concatenation is the text, each piece but the last ending with a newline. A stage takes the
list over and empties it as it goes, so the pieces it has read are let go while it makes the
next ones; only the normaliser makes the one string the rules read, and it grows that string in
place (CPython appends to a string nothing else refers to without copying it), so a text is not
held in pieces and whole at once.
"""

from __future__ import annotations


def join_taking(pieces: list[str]) -> str:
    """The concatenation of ``pieces``, a list handed over and emptied: the string grows in place
    as each piece is appended and let go, where ``"".join`` held every piece beside the result."""
    pieces.reverse()  # taken from the end: popping from the front moves the whole list each time
    text = pieces.pop() if pieces else ""
    while pieces:
        text += pieces.pop()
    return text


def line_aligned(pieces: list[str]) -> list[str]:
    """The same text cut only after newlines (each piece but the last ends with one), taken from a
    list handed over and emptied; a line longer than a piece makes one piece of its own."""
    out: list[str] = []
    pieces.reverse()
    carry = ""  # the start of a line that the next piece ends
    while pieces:
        carry += pieces.pop()
        if not carry:
            continue
        cut = carry.rfind("\n") + 1
        if cut == len(carry):
            out.append(carry)
            carry = ""
        elif cut:
            out.append(carry[:cut])
            carry = carry[cut:]
    if carry:
        out.append(carry)
    return out

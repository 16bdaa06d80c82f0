"""Reading and marking a reader's answers to the chapters' exercises.

An answer arrives as free text. It is *parsed* (a small tokenizer with a fixed
grammar, never ``eval``) into rows, a shape, a vector or a number, and then
compared with the correct answer, which the caller computes with w2vlib. A wrong
answer gets a hint saying what is off; text that cannot be read gets a friendly
message saying what the box expects.

The four kinds of answer:
    rows    "1, 3", "[1 3]", "rows 1 and 3", "you, goodbye", "1-7", "all"  (maths counts from 1)
    shape   "3x7", "3 x 7", "3×7", "(3, 7)", "3 by 7"
    vector  "0.14, -0.86, 0.14", "[0.14 -0.86 0.14]", "(1/7, -6/7, 1/7)"
    number  "-0.0042", "1.5e-3", "3/4"

Every exercise's ``check(text)`` returns a ``Feedback`` with a ``status`` —
"correct", "wrong" or "malformed" — and a ``message`` for the reader. Every message, the
marking's and the parsers' (an ``AnswerError``'s text), comes from the catalogue
``w2vlib.messages``, by key, in the language it is set to; the exercises' questions, hints and
solutions are in the chapters, and ``w2vlib.answers`` computes what each one shows and expects.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from .messages import message

CORRECT, WRONG, MALFORMED = "correct", "wrong", "malformed"

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_NUMBER_OR_FRACTION = re.compile(rf"^({_NUMBER})(?:/({_NUMBER}))?$")
# Everything an answer may contain: letters, digits, white space, signs, the decimal point,
# fractions, brackets and separators. Quotes, underscores, '=' and the like make it malformed,
# which is also why nothing a reader types can ever be executed.
_ALLOWED = re.compile(r"^[A-Za-z0-9\s.,;:+\-/()\[\]{}×*]*$")
_UNICODE_MINUS = str.maketrans({"−": "-", "–": "-", "—": "-"})
# An answer box holds a short answer. Longer text is refused before it is read, which bounds what any
# answer can cost (every count of items in it, every number's digits) to a few milliseconds.
MAX_ANSWER_LENGTH = 1000
# A range such as "1-7" is checked against the number of rows asked about before it is expanded,
# and an answer's ranges together may name at most this many rows.
MAX_RANGE = 1000
_FILLER_WORDS = {"row", "rows", "and", "only", "column", "columns", "w", "the", "of"}


class AnswerError(ValueError):
    """The answer text cannot be read; the message tells the reader what the box expects."""


@dataclass(frozen=True)
class Feedback:
    status: str      # CORRECT, WRONG or MALFORMED
    message: str

    @property
    def correct(self) -> bool:
        return self.status == CORRECT


def _shown(token: str, limit: int = 24) -> str:
    """``token`` as a message quotes it: a long one is cut, so the message stays readable."""
    return token if len(token) <= limit else token[:limit - 1] + "…"


def _error(key: str, count: int | None = None, **params: object) -> AnswerError:
    """An AnswerError whose text is the catalogue's message ``key``."""
    return AnswerError(message(key, count=count, **params))


def _clean(text: object, expects: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"an answer must be a str, got {type(text).__name__}")
    if len(text) > MAX_ANSWER_LENGTH:
        raise _error("parse.too_long", length=len(text), limit=MAX_ANSWER_LENGTH,
                     expects=expects)
    text = text.translate(_UNICODE_MINUS).strip()
    if not text:
        raise _error("parse.empty", expects=expects)
    if not _ALLOWED.match(text):
        bad = sorted({ch for ch in text if not _ALLOWED.match(ch)})
        shown = " ".join(repr(c) for c in bad[:8]) + (" …" if len(bad) > 8 else "")
        raise _error("parse.characters", characters=shown, expects=expects)
    return text


def _split(text: str) -> list[str]:
    """Drop brackets; split on commas, semicolons and white space."""
    return [tok for tok in re.split(r"[\s,;]+", re.sub(r"[()\[\]{}]", " ", text)) if tok]


def _to_float(token: str, expects: str) -> float:
    match = _NUMBER_OR_FRACTION.match(token)
    if not match:
        raise _error("parse.not_a_number", token=_shown(token), expects=expects)
    value = float(match.group(1))
    if match.group(2) is not None:
        denominator = float(match.group(2))
        if denominator == 0:
            raise _error("parse.divides_by_zero", token=_shown(token), expects=expects)
        value /= denominator
    return value


# ---------------------------------------------------------------------------- parsers

def parse_number(text: str) -> float:
    """One number: "-0.0042", "1.5e-3", "3/4", "+2"."""
    expects = message("expects.number")
    cleaned = _clean(text, expects)
    if re.fullmatch(r"[+-]?\d+,\d+", cleaned):
        raise _error("parse.decimal_comma", point=_shown(cleaned.replace(",", ".")),
                     comma=_shown(cleaned))
    tokens = _split(cleaned)
    if len(tokens) != 1:
        raise _error("parse.items", count=len(tokens), expects=expects)
    return _to_float(tokens[0], expects)


def parse_vector(text: str) -> np.ndarray:
    """Numbers separated by commas or spaces, with or without brackets; fractions allowed."""
    expects = message("expects.vector")
    tokens = _split(_clean(text, expects))
    if not tokens:
        raise _error("parse.no_numbers", expects=expects)
    return np.array([_to_float(tok, expects) for tok in tokens])


def parse_shape(text: str) -> tuple[int, int]:
    """Two positive whole numbers: "3x7", "3 x 7", "3×7", "3*7", "(3, 7)", "3 by 7"."""
    expects = message("expects.shape")
    cleaned = _clean(text, expects).lower()
    cleaned = re.sub(r"(?<=\d)\s*(?:x|×|\*|by)\s*(?=\d)", " ", cleaned)
    tokens = _split(cleaned)
    if len(tokens) != 2 or not all(tok.isdigit() for tok in tokens):
        raise _error("parse.not_a_shape", text=_shown(text.strip()), expects=expects)
    rows, cols = int(tokens[0]), int(tokens[1])
    if rows == 0 or cols == 0:
        raise _error("parse.empty_matrix", expects=expects)
    return rows, cols


@dataclass(frozen=True)
class RowsAnswer:
    """What the reader named: ``numbers`` as typed (to be read 1-based), ``word_ids`` 0-based."""
    numbers: tuple[int, ...]
    word_ids: tuple[int, ...]
    all_rows: bool = False


def parse_rows(text: str, vocab: Sequence[str] | None = None, *,
               and_as_word: bool = False, n_rows: int | None = None) -> RowsAnswer:
    """Row numbers and/or words: "1, 3", "rows 1 and 3", "you goodbye", "all".

    Numbers are kept as typed; the checker decides how they were counted. Words are
    looked up in ``vocab`` (case-insensitive) and returned as 0-based ids.
    "and" between two items ("1 and 3", "you and goodbye") joins them, unless
    ``and_as_word``; on its own ("say, and") it is the vocabulary word "and".
    A range "a-b" is expanded only when it ends within the ``n_rows`` rows asked about (when
    given) and the answer then names at most ``MAX_RANGE`` rows.
    """
    if n_rows is not None and (isinstance(n_rows, bool) or not isinstance(n_rows, int)
                               or n_rows < 1):
        raise ValueError(f"n_rows must be a positive int, got {n_rows!r}")
    expects = message("expects.rows_or_words" if vocab else "expects.rows")
    cleaned = re.sub(r"[()\[\]{}]", " ", _clean(text, expects).lower())
    tokens = []
    for group in re.split(r"[,;]+", cleaned):
        words = group.split()
        tokens += [w for k, w in enumerate(words)
                   if and_as_word or not (w == "and" and 0 < k < len(words) - 1)]
    lookup = {word.lower(): i for i, word in enumerate(vocab or ())}
    numbers, word_ids, all_rows = [], [], False
    for tok in tokens:
        if tok.isdigit():
            numbers.append(int(tok))
        elif re.fullmatch(r"\d+-\d+", tok):     # a range such as 1-7
            first, last = (int(part) for part in tok.split("-"))
            if first > last:
                raise _error("parse.range_backwards", range=_shown(tok),
                             reversed=_shown(f"{last}-{first}"))
            if n_rows is not None and last > n_rows:
                raise _error("rows.no_such", number=_shown(str(last)), n=n_rows,
                             what=message("rows.row"), whats=message("rows.rows"))
            if len(numbers) + last - first >= MAX_RANGE:
                raise _error("parse.range_too_long", range=_shown(tok), limit=MAX_RANGE,
                             expects=expects)
            numbers.extend(range(first, last + 1))
        elif tok in lookup:
            word_ids.append(lookup[tok])
        elif tok == "all":
            all_rows = True
        elif tok in _FILLER_WORDS:
            continue
        elif re.fullmatch(_NUMBER, tok):
            raise _error("parse.not_whole", token=_shown(tok), expects=expects)
        elif vocab:
            raise _error("parse.unknown_word_vocab", token=_shown(tok), expects=expects,
                         words=", ".join(vocab))
        else:
            raise _error("parse.unknown_word", token=_shown(tok), expects=expects)
    if not (numbers or word_ids or all_rows):
        raise _error("parse.no_rows", expects=expects)
    return RowsAnswer(tuple(numbers), tuple(word_ids), all_rows)


# ---------------------------------------------------------------------------- exercises
# The marking. Every message comes from w2vlib.messages, by key: the words of an exercise
# (question, hint, solution) are in its chapter; here is only what decides right or wrong.

def _close(a: float | np.ndarray, b: float | np.ndarray, rtol: float, atol: float) -> bool:
    return bool(np.all(np.abs(np.asarray(a) - np.asarray(b)) <= atol + rtol * np.abs(b)))


def _feedback(status: str, key: str, count: int | None = None, **params: object) -> Feedback:
    return Feedback(status, message(key, count=count, **params))


@dataclass(frozen=True)
class Mistake:
    """A wrong answer that a learner is likely to give, in the exercise's own form, and the
    catalogue key (with its parameters) of the feedback it earns."""
    answer: object
    key: str
    params: dict[str, object] = field(default_factory=dict)

    def feedback(self) -> Feedback:
        return _feedback(WRONG, self.key, **self.params)


@dataclass
class Exercise:
    """Base: the known ``mistakes``, the ``given`` values the question shows (its chapter
    prints them), and the catalogue key of the answer box's ``placeholder``.

    ``check(text)`` parses the text and marks it: ``Feedback`` with status CORRECT, WRONG or
    MALFORMED and a message for the reader.
    """
    mistakes: list[Mistake] = field(default_factory=list)
    given: dict[str, object] = field(default_factory=dict)
    placeholder: str = ""

    def check(self, text: str) -> Feedback:
        try:
            answer = self.parse(text)
        except AnswerError as exc:
            return Feedback(MALFORMED, str(exc))
        return self.judge(answer)

    def parse(self, text: str):  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def judge(self, answer) -> Feedback:  # pragma: no cover
        raise NotImplementedError


@dataclass
class NumberExercise(Exercise):
    """One number, right within ``atol + rtol * |answer|``."""
    answer: float = 0.0
    rtol: float = 0.02
    atol: float = 1e-12
    placeholder: str = "placeholder.number"

    def parse(self, text: str) -> float:
        return parse_number(text)

    def judge(self, value: float) -> Feedback:
        if _close(value, self.answer, self.rtol, self.atol):
            return _feedback(CORRECT, "correct.value", value=f"{self.answer:.6g}")
        for mistake in self.mistakes:
            if _close(value, mistake.answer, self.rtol, self.atol):
                return mistake.feedback()
        if _close(-value, self.answer, self.rtol, self.atol):
            return _feedback(WRONG, "wrong.sign")
        return _feedback(WRONG, "wrong.value", value=f"{value:.6g}")


@dataclass
class VectorExercise(Exercise):
    """A vector, every entry right within ``atol + rtol * |answer entry|``."""
    answer: np.ndarray = field(default_factory=lambda: np.zeros(0))
    rtol: float = 0.0
    atol: float = 5e-3
    placeholder: str = "placeholder.vector"

    def parse(self, text: str) -> np.ndarray:
        return parse_vector(text)

    def judge(self, vector: np.ndarray) -> Feedback:
        want = np.asarray(self.answer, dtype=np.float64)
        if vector.size != want.size:
            return _feedback(WRONG, "wrong.length", count=vector.size, want=want.size)
        if _close(vector, want, self.rtol, self.atol):
            return _feedback(CORRECT, "correct")
        for mistake in self.mistakes:
            if _close(vector, np.asarray(mistake.answer), self.rtol, self.atol):
                return mistake.feedback()
        if _close(-vector, want, self.rtol, self.atol):
            return _feedback(WRONG, "wrong.signs")
        off = [str(k + 1) for k in np.flatnonzero(np.abs(vector - want) > self.atol + self.rtol
                                                   * np.abs(want))]
        return _feedback(WRONG, "wrong.entries", count=len(off), entries=", ".join(off))


@dataclass
class ShapeExercise(Exercise):
    """The shape of a matrix, rows × columns."""
    answer: tuple[int, int] = (1, 1)
    placeholder: str = "placeholder.shape"

    def parse(self, text: str) -> tuple[int, int]:
        return parse_shape(text)

    def judge(self, shape: tuple[int, int]) -> Feedback:
        rows, cols = self.answer
        if shape == (rows, cols):
            return _feedback(CORRECT, "correct.shape", rows=rows, cols=cols)
        for mistake in self.mistakes:
            if tuple(mistake.answer) == shape:
                return mistake.feedback()
        if shape == (cols, rows):
            return _feedback(WRONG, "wrong.shape_transposed", rows=shape[0], cols=shape[1])
        if shape[0] == rows:
            return _feedback(WRONG, "wrong.shape_rows_right")
        if shape[1] == cols:
            return _feedback(WRONG, "wrong.shape_columns_right")
        return _feedback(WRONG, "wrong.shape", rows=shape[0], cols=shape[1])


@dataclass
class RowsExercise(Exercise):
    """Which rows (0-based ids in ``answer``) of a matrix with ``n_rows`` rows.

    ``vocab`` names the rows; ``what`` is "row" or "column": which the messages speak of.
    """
    answer: frozenset[int] = frozenset()
    n_rows: int = 1
    vocab: Sequence[str] | None = None
    what: str = "row"
    placeholder: str = "placeholder.rows"

    def __post_init__(self) -> None:
        if self.what not in ("row", "column"):
            raise ValueError(f"what must be 'row' or 'column', got {self.what!r}")

    def parse(self, text: str) -> RowsAnswer:
        return parse_rows(text, self.vocab, n_rows=self.n_rows)

    def check(self, text: str) -> Feedback:
        feedback = super().check(text)
        if feedback.status != CORRECT and self.vocab and "and" in self.vocab:
            # "say and i" may list three words: read "and" as the word before giving up.
            try:
                alternative = self.judge(parse_rows(text, self.vocab, and_as_word=True,
                                                    n_rows=self.n_rows))
            except AnswerError:
                return feedback
            if alternative.correct:
                return alternative
        return feedback

    def _words(self) -> dict[str, str]:
        """The row or column noun, singular and plural, in the current language."""
        if self.what == "row":
            return {"what": message("rows.row"), "whats": message("rows.rows")}
        return {"what": message("rows.column"), "whats": message("rows.columns")}

    def _names(self, ids) -> str:
        what = self._words()["what"]
        comma = message("rows.list_separator")
        if self.vocab:
            return comma.join(message("rows.name", what=what, number=r + 1, word=self.vocab[r])
                              for r in sorted(ids))
        return comma.join(message("rows.name_plain", what=what, number=r + 1)
                          for r in sorted(ids))

    def judge(self, rows: RowsAnswer) -> Feedback:
        want, n, words = set(self.answer), self.n_rows, self._words()
        too_big = [k for k in rows.numbers if k > n]
        if too_big:
            return _feedback(MALFORMED, "rows.no_such", number=too_big[0], n=n, **words)
        if rows.all_rows:
            chosen = set(range(n))
        elif 0 in rows.numbers:
            chosen = None   # 1-based reading impossible; only the 0-based reading is left
        else:
            chosen = {k - 1 for k in rows.numbers} | set(rows.word_ids)
        if chosen == want:
            return _feedback(CORRECT, "correct.rows", names=self._names(want))
        zero_based = {k for k in rows.numbers if k < n} | set(rows.word_ids)
        if rows.numbers and not rows.all_rows and zero_based == want:
            return _feedback(WRONG, "rows.from_zero", **words)
        for mistake in self.mistakes:
            if chosen == set(mistake.answer):
                return mistake.feedback()
        if chosen is None:
            return _feedback(WRONG, "rows.zero", **words)
        extra, missing = chosen - want, want - chosen
        details = []
        if extra:
            details.append(message("rows.extra", names=self._names(extra)))
        if missing:
            details.append(message("rows.missing", count=len(missing), **words))
        return _feedback(WRONG, "rows.not_yet", details=message("rows.separator").join(details))

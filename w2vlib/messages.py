"""Every word w2vlib shows a learner: one catalogue of short messages per language.

The chapters hold every sentence a learner reads (questions, hints, solutions, captions).
What w2vlib itself says -- the feedback under an answer box, a panel's labels and its one-line
summary, the note beside a static copy -- comes from here, looked up by key:

    message("wrong.sign")                           -> "Right size, wrong sign."
    message("mistake.target_row", target="say")     -> "That is the target's row. ..."
    message("cbow.step", count=10)                  -> "+10 updates"

A message is a ``str.format`` template; its parameters are named. A message that depends on a
number has one template per plural form, ``{"one": ..., "other": ...}``, chosen by ``count``
(which is also a parameter); a language without plural forms gives a plain template.

The language is ``set_language(code)``, else the environment variable ``W2VLIB_LANG``, else
English. A translation is one more dict in ``CATALOGUES`` with the same keys and the same
parameters as ``EN``; ``add_catalogue`` checks that before accepting one.
"""
from __future__ import annotations

import os
import string
from typing import Mapping, Union

Template = Union[str, Mapping[str, str]]     # a template, or one per plural form

EN: dict[str, Template] = {
    # -- the answer box ---------------------------------------------------------------------
    "box.check": "Check",
    "box.static_note": "This is a static copy: run this chapter live, in your browser or on "
                       "Binder (rocket icon above), to type an answer.",
    "box.static_line": ("Answer box: run this chapter live (in your browser or on Binder) "
                        "to check your answer."),
    "placeholder.number": "a number, e.g. -0.0123",
    "placeholder.vector": "numbers separated by commas",
    "placeholder.shape": "a shape, e.g. 2x5",
    "placeholder.rows": "e.g. 2, 5  or  say, hello",
    "placeholder.columns": "e.g. 1, 4  or  and, i  or  all",
    # -- marking: right answers -------------------------------------------------------------
    "correct": "Correct.",
    "correct.value": "Correct: {value}.",
    "correct.shape": "Correct: {rows}×{cols}.",
    "correct.rows": "Correct: {names}.",
    # -- marking: wrong answers, whatever the exercise --------------------------------------
    "wrong.value": "{value} is not it.",
    "wrong.sign": "Right size, wrong sign.",
    "wrong.signs": "Every sign is flipped.",
    "wrong.length": {"one": "I read 1 number; the answer has {want}.",
                     "other": "I read {count} numbers; the answer has {want}."},
    "wrong.entries": {"one": "Not yet: entry {entries} (counting from 1) is off.",
                      "other": "Not yet: entries {entries} (counting from 1) are off."},
    "wrong.shape": "{rows}×{cols} is not it.",
    "wrong.shape_transposed": "Shape transposed: you wrote {rows}×{cols}; swap rows and columns.",
    "wrong.shape_rows_right": "The number of rows is right, the number of columns is not.",
    "wrong.shape_columns_right": "The number of columns is right, the number of rows is not.",
    # -- marking: rows or columns of a matrix -----------------------------------------------
    "rows.row": "row",
    "rows.rows": "rows",
    "rows.column": "column",
    "rows.columns": "columns",
    "rows.name": "{what} {number} ({word})",
    "rows.name_plain": "{what} {number}",
    "rows.no_such": "There is no {what} {number}: the {whats} are numbered 1 to {n}.",
    "rows.from_zero": "Right {whats}, but you counted from 0: in maths the first {what} is "
                      "{what} 1.",
    "rows.zero": "There is no {what} 0: in maths the first {what} is {what} 1.",
    "rows.extra": "{names} should not be in your list",
    "rows.missing": {"one": "1 {what} is missing", "other": "{count} {whats} are missing"},
    "rows.not_yet": "Not yet: {details}.",
    "rows.separator": "; ",
    # -- known mistakes of the chapters' exercises ------------------------------------------
    "mistake.shape_of_Y": "That is the shape of Y and of ∂L/∂Y. The question asks about X.",
    "mistake.shape_of_W": "That is the shape of W and of ∂L/∂W. The question asks about X.",
    "mistake.entry_swapped": "That is entry ({j}, {i}): the row index of ∂L/∂W picks the column "
                             "of X, the column index the column of ∂L/∂Y.",
    "mistake.entry_from_zero": "That is the entry you get counting from 0: in maths the first "
                               "row is row 1.",
    "mistake.target_row": "That is the target's row. The target “{target}” enters through "
                          "W_out, not W_in.",
    "mistake.target_in_W_in": "The target “{target}” does not go through W_in; only the "
                              "contexts do.",
    "mistake.all_rows": "Only the rows picked by the one-hot contexts receive a gradient.",
    "mistake.whole_dh": "That is all of ∂L/∂h_{entry}, entry {entry} of ∂L/∂h. Each context "
                        "line receives half of ∂L/∂h.",
    "mistake.one_share": "That is one line's share, ½ ∂L/∂h_{entry}. Both lines write into this "
                         "row: add them.",
    "mistake.y_itself": "That is y itself. Subtract t, which has its 1 at “{target}”.",
    "mistake.minus_one": "The −1 belongs at the target “{target}”, entry {entry}.",
    "mistake.shape_of_y_minus_t": "That is the shape of y − t. Multiply by hᵀ on the left.",
    "mistake.shape_of_h": "That is the shape of h.",
    "mistake.shape_of_hT": "That is the shape of hᵀ.",
    "mistake.W_out_transposed": "Shape transposed: W_out takes h (H numbers) to V scores, so it "
                                "is H×V.",
    "mistake.used_y": "You used y_j; use y_j − t_j.",
    "mistake.unused_target_row": "The target's row of W_in is not used by this sample.",
    "mistake.only_target": "Not only “{target}”: every word has y_j > 0, so (y − t)_j ≠ 0 for "
                           "every j.",
    "mistake.contexts_columns": "Those are the contexts, which pick rows of W_in. The columns of "
                                "W_out belong to the predicted words.",
    # -- a solution cell's printout, folded until clicked ---------------------------------
    "solution.output": "Output (click to show)",
    # -- the explorers ----------------------------------------------------------------------
    "panel.static_note": "This is a static copy: run this chapter live, in your browser or on "
                         "Binder (rocket icon above), to use it.",
    "panel.static_line": "Interactive explorer: run this chapter live (in your browser or on Binder) "
                         "to use it. The figure shows its first state.",
    "panel.figure": "The explorer's first state (figure).",
    "panel.context": "context {number}",
    "panel.target": "target",
    "matmul.row_i": "row i of W",
    "matmul.column_j": "column j of W",
    "matmul.axis_column": "column ({index})",
    "matmul.axis_row": "row {index}",
    "matmul.axis_entry_column": "column j",
    "matmul.axis_entry_row": "row i",
    "matmul.title": "∂L/∂w_{i}{j} = column {i} of X · column {j} of ∂L/∂Y = {value}",
    "input.line": "line {number}: {word}",
    "input.sum": "∂L/∂W_in (sum)",
    "input.summary": "Non-zero rows: {rows}; each holds ½ ∂L/∂h. ∂L/∂h = ({dh}), loss {loss}.",
    "input.summary_same": "Non-zero row: {rows}; both lines write into it, so it holds "
                          "½ ∂L/∂h + ½ ∂L/∂h = ∂L/∂h. ∂L/∂h = ({dh}), loss {loss}.",
    "input.and": " and ",
    "middle.title": "y = softmax(h W_out) and t; loss {loss}",
    "middle.summary": "h = ({h}), loss {loss}; y − t at the target {word}: {value}.",
    "cbow.step": {"one": "+{count} update", "other": "+{count} updates"},
    "cbow.reset": "Reset",
    "cbow.learning_rate": "learning rate",
    "cbow.W_in": "W_in (V×H), largest |w| {largest}",
    "cbow.W_out": "W_out (H×V), largest |w| {largest}",
    "cbow.no_updates": "no updates yet",
    "cbow.iteration": "iteration",
    "cbow.loss": "loss",
    "cbow.loss_after": {"one": "loss after {count} update: {loss}",
                        "other": "loss after {count} updates: {loss}"},
    "cbow.predictions": "predictions: {correct} of {samples} targets ranked first (target framed)",
    "cbow.summary": {"one": "After {updates} update (SGD, learning rate {lr}): loss {loss}; "
                            "the target is the most probable word for {correct} of the "
                            "{samples} contexts.",
                     "other": "After {updates} updates (SGD, learning rate {lr}): loss {loss}; "
                              "the target is the most probable word for {correct} of the "
                              "{samples} contexts."},
}

CATALOGUES: dict[str, dict[str, Template]] = {"en": EN}
DEFAULT = "en"
_chosen: str | None = None


def _fields(template: Template) -> set[str]:
    texts = [template] if isinstance(template, str) else list(template.values())
    return {name for text in texts for _, name, _, _ in string.Formatter().parse(text) if name}


def add_catalogue(code: str, catalogue: Mapping[str, Template]) -> None:
    """Register the catalogue of language ``code``.

    It must have exactly the keys of the English one, and each message may use only the
    parameters the English one has (and ``count``): the code fills in nothing else. It may use
    fewer (a language without plurals needs no plural noun).
    """
    if not isinstance(code, str) or not code:
        raise TypeError(f"a language code must be a non-empty str, got {code!r}")
    missing, extra = sorted(set(EN) - set(catalogue)), sorted(set(catalogue) - set(EN))
    if missing or extra:
        raise ValueError(f"catalogue {code!r}: missing keys {missing}, unknown keys {extra}")
    for key, template in catalogue.items():
        unknown = _fields(template) - _fields(EN[key]) - {"count"}
        if unknown:
            raise ValueError(f"catalogue {code!r}, key {key!r}: unknown parameters "
                             f"{sorted(unknown)}; the code gives {sorted(_fields(EN[key]))}")
    CATALOGUES[code] = dict(catalogue)


def set_language(code: str | None) -> None:
    """Choose the language of every later message; None goes back to W2VLIB_LANG or English."""
    if code is not None and code not in CATALOGUES:
        raise ValueError(f"no catalogue for language {code!r}; there are {sorted(CATALOGUES)}")
    global _chosen
    _chosen = code


def language() -> str:
    """The language in use: set_language's, else W2VLIB_LANG's (when it has a catalogue), else en."""
    if _chosen is not None:
        return _chosen
    code = os.environ.get("W2VLIB_LANG", "").strip()
    return code if code in CATALOGUES else DEFAULT


def message(key: str, /, count: int | None = None, **params: object) -> str:
    """The message ``key`` in the current language, filled in with ``params`` (and ``count``)."""
    template = CATALOGUES[language()].get(key, EN.get(key))
    if template is None:
        raise KeyError(f"no message {key!r} in the catalogue")
    if not isinstance(template, str):
        if count is None:
            raise TypeError(f"message {key!r} has plural forms: give count=")
        template = template["one" if count == 1 and "one" in template else "other"]
    return template.format(count=count, **params)

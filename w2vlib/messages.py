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
parameters as ``EN``; ``add_catalogue`` checks that before accepting one. Japanese (``JA``,
below) is registered on import: ``W2VLIB_LANG=ja``. Figures in Japanese need a Japanese font,
which ``w2vlib.plot.use_language_font`` sets up.
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
    # -- reading an answer: what each box expects, and why a text cannot be read -----------
    "expects.number": "one number, such as -0.25 or 1/4",
    "expects.vector": "numbers separated by commas, such as 0.1, -0.9, 0.1",
    "expects.shape": "a shape such as 3x7 or (3, 7)",
    "expects.rows": "row numbers such as 1, 3",
    "expects.rows_or_words": "row numbers such as 1, 3 or words such as you, goodbye",
    "parse.too_long": "That answer is {length} characters long; this box takes at most "
                      "{limit}: type {expects}.",
    "parse.empty": "The box is empty: type {expects}.",
    "parse.characters": "I can't read the character(s) {characters}: type {expects}.",
    "parse.not_a_number": "'{token}' is not a number: type {expects}.",
    "parse.divides_by_zero": "'{token}' divides by zero: type {expects}.",
    "parse.decimal_comma": "Write decimals with a point: {point}, not {comma}.",
    "parse.items": {"one": "I read 1 item, but this asks for {expects}.",
                    "other": "I read {count} items, but this asks for {expects}."},
    "parse.no_numbers": "I found no numbers: type {expects}.",
    "parse.not_a_shape": "I can't read '{text}' as a shape: type {expects}.",
    "parse.empty_matrix": "A matrix has at least one row and one column: type {expects}.",
    "parse.range_backwards": "The range '{range}' runs backwards: write it as {reversed}.",
    "parse.range_too_long": "The range '{range}' makes more than {limit} rows: type {expects}.",
    "parse.not_whole": "'{token}' is not a row number: rows are whole numbers. Type {expects}.",
    "parse.unknown_word": "I don't know '{token}'. Type {expects}.",
    "parse.unknown_word_vocab": "I don't know '{token}'. Type {expects}. The words are: {words}.",
    "parse.no_rows": "I found no rows in that answer: type {expects}.",
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
    "rows.list_separator": ", ",
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
    "cbow.loss_after": {"one": "loss after {count} update: {loss}",
                        "other": "loss after {count} updates: {loss}"},
    "cbow.predictions": "predictions: {correct} of {samples} targets ranked first (target framed)",
    "cbow.summary": {"one": "After {updates} update (SGD, learning rate {lr}): loss {loss}; "
                            "the target is the most probable word for {correct} of the "
                            "{samples} contexts.",
                     "other": "After {updates} updates (SGD, learning rate {lr}): loss {loss}; "
                              "the target is the most probable word for {correct} of the "
                              "{samples} contexts."},
    # -- figures (w2vlib.plot) ----------------------------------------------------------------
    "plot.probability": "probability",
    "plot.one_hot_target": "t (one-hot target)",
    "plot.iteration": "iteration",
    "plot.loss": "loss",
    "plot.component": "component {number}",
    "curve.w2vlib": "w2vlib",
    "curve.gensim_matched": "gensim, matched settings",
    "curve.gensim_defaults": "gensim, its defaults",
    "curve.epochs": "epochs (passes over the corpus)",
    "curve.seconds": "training time, seconds",
    "curve.cpu_seconds": "training time, CPU seconds",
    "curve.spearman": "WordSim-353 Spearman ρ",
}

# Japanese. Feedback and notes speak to the learner in です/ます; labels are nouns. Terms are
# those of the Japanese edition of the book (chapters/glossary.md). A count needs no plural
# form: one template serves every number.
JA: dict[str, Template] = {
    # -- the answer box ---------------------------------------------------------------------
    "box.check": "答え合わせ",
    "box.static_note": "これは静的なコピーです。答えを入力するには、この章をブラウザか"
                       "Binder（上のロケットのアイコン）でライブ実行してください。",
    "box.static_line": "解答欄：この章をライブ実行すると（ブラウザかBinderで）答えを確かめられます。",
    "placeholder.number": "数値。例：-0.0123",
    "placeholder.vector": "カンマで区切った数値",
    "placeholder.shape": "形状。例：2x5",
    "placeholder.rows": "例：2, 5　または　say, hello",
    "placeholder.columns": "例：1, 4　または　and, i　または　all",
    # -- reading an answer ------------------------------------------------------------------
    "expects.number": "-0.25や1/4のような数値1つ",
    "expects.vector": "0.1, -0.9, 0.1のようにカンマで区切った数値",
    "expects.shape": "3x7や(3, 7)のような形状",
    "expects.rows": "1, 3のような行番号",
    "expects.rows_or_words": "1, 3のような行番号か、you, goodbyeのような単語",
    "parse.too_long": "この答えは{length}文字あります。この解答欄に入るのは{limit}文字までです。"
                      "{expects}を入力してください。",
    "parse.empty": "解答欄が空です。{expects}を入力してください。",
    "parse.characters": "文字{characters}は読み取れません。{expects}を入力してください。",
    "parse.not_a_number": "「{token}」は数値ではありません。{expects}を入力してください。",
    "parse.divides_by_zero": "「{token}」は0で割っています。{expects}を入力してください。",
    "parse.decimal_comma": "小数は小数点で書いてください：{comma}ではなく{point}です。",
    "parse.items": "{count}個の項目が読み取れましたが、ここで求めているのは{expects}です。",
    "parse.no_numbers": "数値が見つかりません。{expects}を入力してください。",
    "parse.not_a_shape": "「{text}」は形状として読み取れません。{expects}を入力してください。",
    "parse.empty_matrix": "行列には少なくとも1つの行と1つの列があります。"
                          "{expects}を入力してください。",
    "parse.range_backwards": "範囲「{range}」が逆向きです。{reversed}と書いてください。",
    "parse.range_too_long": "範囲「{range}」は{limit}行を超えます。{expects}を入力してください。",
    "parse.not_whole": "「{token}」は行番号ではありません。行番号は整数です。"
                       "{expects}を入力してください。",
    "parse.unknown_word": "「{token}」は知らない語です。{expects}を入力してください。",
    "parse.unknown_word_vocab": "「{token}」は知らない語です。{expects}を入力してください。"
                                "単語は次のとおりです：{words}。",
    "parse.no_rows": "答えの中に行が見つかりません。{expects}を入力してください。",
    # -- marking: right answers -------------------------------------------------------------
    "correct": "正解です。",
    "correct.value": "正解です：{value}。",
    "correct.shape": "正解です：{rows}×{cols}。",
    "correct.rows": "正解です：{names}。",
    # -- marking: wrong answers -------------------------------------------------------------
    "wrong.value": "{value}ではありません。",
    "wrong.sign": "大きさは合っていますが、符号が逆です。",
    "wrong.signs": "すべての符号が逆になっています。",
    "wrong.length": "数値が{count}個読み取れましたが、答えは{want}個の数値です。",
    "wrong.entries": "まだです：{entries}番目の要素（1から数えて）が違います。",
    "wrong.shape": "{rows}×{cols}ではありません。",
    "wrong.shape_transposed": "形状が転置しています。{rows}×{cols}と書かれています。"
                              "行と列を入れ替えてください。",
    "wrong.shape_rows_right": "行数は合っていますが、列数が違います。",
    "wrong.shape_columns_right": "列数は合っていますが、行数が違います。",
    # -- marking: rows or columns of a matrix -----------------------------------------------
    "rows.row": "行",
    "rows.rows": "行",
    "rows.column": "列",
    "rows.columns": "列",
    "rows.name": "{number}{what}目（{word}）",
    "rows.name_plain": "{number}{what}目",
    "rows.no_such": "{number}{what}目はありません。{whats}の番号は1から{n}までです。",
    "rows.from_zero": "{whats}は合っていますが、0から数えています。数学では最初の{what}は"
                      "1{what}目です。",
    "rows.zero": "0{what}目はありません。数学では最初の{what}は1{what}目です。",
    "rows.extra": "{names}は余分です",
    "rows.missing": "{whats}が{count}つ足りません",
    "rows.not_yet": "まだです：{details}。",
    "rows.separator": "。",
    "rows.list_separator": "、",
    # -- known mistakes of the chapters' exercises ------------------------------------------
    "mistake.shape_of_Y": "それはYと∂L/∂Yの形状です。問われているのはXです。",
    "mistake.shape_of_W": "それはWと∂L/∂Wの形状です。問われているのはXです。",
    "mistake.entry_swapped": "それは({j}, {i})要素です。∂L/∂Wの行の添字はXの列を、列の添字は"
                             "∂L/∂Yの列を選びます。",
    "mistake.entry_from_zero": "それは0から数えたときの要素です。数学では最初の行は1行目です。",
    "mistake.target_row": "それはターゲットの行です。ターゲット「{target}」はW_inではなく"
                          "W_outを通ります。",
    "mistake.target_in_W_in": "ターゲット「{target}」はW_inを通りません。W_inを通るのは"
                              "コンテキストだけです。",
    "mistake.all_rows": "勾配を受け取るのは、コンテキストのone-hotベクトルが選ぶ行だけです。",
    "mistake.whole_dh": "それは∂L/∂h_{entry}全体、つまり∂L/∂hの{entry}番目の要素です。"
                        "それぞれの入力層が受け取るのは∂L/∂hの半分です。",
    "mistake.one_share": "それは入力層1つ分の½ ∂L/∂h_{entry}です。この行には2つの入力層が"
                         "書き込むので、足し合わせてください。",
    "mistake.y_itself": "それはyそのものです。「{target}」の位置に1を持つtを引いてください。",
    "mistake.minus_one": "−1が入るのはターゲット「{target}」の位置、{entry}番目の要素です。",
    "mistake.shape_of_y_minus_t": "それはy − tの形状です。左からhᵀを掛けてください。",
    "mistake.shape_of_h": "それはhの形状です。",
    "mistake.shape_of_hT": "それはhᵀの形状です。",
    "mistake.W_out_transposed": "形状が転置しています。W_outはh（H個の数値）をV個のスコアに"
                                "変換するので、H×Vです。",
    "mistake.used_y": "y_jを使っています。y_j − t_jを使ってください。",
    "mistake.unused_target_row": "W_inのターゲットの行は、このサンプルでは使われません。",
    "mistake.only_target": "「{target}」だけではありません。どの単語もy_j > 0なので、"
                           "すべてのjで(y − t)_j ≠ 0です。",
    "mistake.contexts_columns": "それはコンテキストで、コンテキストが選ぶのはW_inの行です。"
                                "W_outの列は予測される単語に対応します。",
    # -- a solution cell's printout -----------------------------------------------------------
    "solution.output": "出力（クリックで表示）",
    # -- the explorers ----------------------------------------------------------------------
    "panel.static_note": "これは静的なコピーです。操作するには、この章をブラウザかBinder"
                         "（上のロケットのアイコン）でライブ実行してください。",
    "panel.static_line": "インタラクティブな図：この章をライブ実行すると（ブラウザかBinderで）"
                         "操作できます。図は最初の状態です。",
    "panel.figure": "インタラクティブな図の最初の状態。",
    "panel.context": "コンテキスト{number}",
    "panel.target": "ターゲット",
    "matmul.row_i": "Wの行i",
    "matmul.column_j": "Wの列j",
    "matmul.axis_column": "列（{index}）",
    "matmul.axis_row": "行{index}",
    "matmul.axis_entry_column": "列j",
    "matmul.axis_entry_row": "行i",
    "matmul.title": "∂L/∂w_{i}{j} = Xの{i}列目 · ∂L/∂Yの{j}列目 = {value}",
    "input.line": "入力層{number}：{word}",
    "input.sum": "∂L/∂W_in（和）",
    "input.summary": "0でない行：{rows}。それぞれに½ ∂L/∂hが入ります。∂L/∂h = ({dh})、"
                     "損失{loss}。",
    "input.summary_same": "0でない行：{rows}。2つの入力層がこの行に書き込むので、"
                          "½ ∂L/∂h + ½ ∂L/∂h = ∂L/∂hが入ります。∂L/∂h = ({dh})、損失{loss}。",
    "input.and": "と",
    "middle.title": "y = softmax(h W_out)とt。損失{loss}",
    "middle.summary": "h = ({h})、損失{loss}。ターゲット{word}でのy − t：{value}。",
    "cbow.step": "+{count}回更新",
    "cbow.reset": "リセット",
    "cbow.learning_rate": "学習率",
    "cbow.W_in": "W_in（V×H）、|w|の最大値{largest}",
    "cbow.W_out": "W_out（H×V）、|w|の最大値{largest}",
    "cbow.no_updates": "まだ更新していません",
    "cbow.loss_after": "{count}回更新後の損失：{loss}",
    "cbow.predictions": "予測：{samples}個中{correct}個でターゲットが1位（枠がターゲット）",
    "cbow.summary": "{updates}回の更新（SGD、学習率{lr}）の後：損失は{loss}です。"
                    "{samples}個のコンテキストのうち{correct}個で、ターゲットが最も確率の高い"
                    "単語です。",
    # -- figures ------------------------------------------------------------------------------
    "plot.probability": "確率",
    "plot.one_hot_target": "t（ターゲットのone-hotベクトル）",
    "plot.iteration": "イテレーション",
    "plot.loss": "損失",
    "plot.component": "第{number}主成分",
    "curve.w2vlib": "w2vlib",
    "curve.gensim_matched": "gensim（同じ設定）",
    "curve.gensim_defaults": "gensim（デフォルト設定）",
    "curve.epochs": "エポック数（コーパスを通した回数）",
    "curve.seconds": "学習時間（秒）",
    "curve.cpu_seconds": "学習時間（CPU秒）",
    "curve.spearman": "WordSim-353のスピアマンのρ",
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


add_catalogue("ja", JA)

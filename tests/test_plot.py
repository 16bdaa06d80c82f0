"""Tests of w2vlib.plot: heatmap, probability_bars, loss_curve, word_vectors, quality_curves, and
the fonts of Japanese figures."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")   # before pyplot is used: no window, ever

import io  # noqa: E402
from pathlib import Path  # noqa: E402
import warnings  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from w2vlib import heatmap, loss_curve, plot, probability_bars, word_vectors  # noqa: E402
from w2vlib.learning_curve import Curve  # noqa: E402
from w2vlib.plot import curve_label, quality_curves, use_language_font  # noqa: E402

WORDS = ["you", "say", "goodbye", "and", "i", "hello", "."]


@pytest.fixture(autouse=True)
def close_figures(monkeypatch):
    """English unless a test says otherwise; matplotlib's settings as they were, afterwards."""
    monkeypatch.delenv("W2VLIB_LANG", raising=False)
    monkeypatch.setattr(plot, "_replaced_family", None)
    with matplotlib.rc_context():
        yield
    plt.close("all")


def gradient_like() -> np.ndarray:
    """A 7 x 3 matrix shaped like dW_in of the worked example: only rows 0 and 2 non-zero."""
    m = np.zeros((7, 3))
    m[[0, 2]] = np.random.default_rng(0).standard_normal(3)
    return m


def row_rectangles(ax: plt.Axes, **match) -> list[int]:
    """Rows (0-based) covered by Rectangle patches with the given properties."""
    rows = []
    for patch in ax.patches:
        if not isinstance(patch, Rectangle):
            continue
        if "hatched" in match and bool(patch.get_hatch()) != match["hatched"]:
            continue
        if "filled" in match and patch.get_fill() != match["filled"]:
            continue
        rows.append(int(round(patch.get_y() + 0.5)))
    return sorted(rows)


def test_heatmap_returns_axes_and_labels_rows_and_columns():
    ax = heatmap(gradient_like(), WORDS, ["1", "2", "3"], title="dW_in")
    assert isinstance(ax, plt.Axes)
    assert [t.get_text() for t in ax.get_yticklabels()] == WORDS
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "3"]
    assert ax.get_title() == "dW_in"


def test_heatmap_hatches_exactly_the_zero_rows():
    m = gradient_like()
    ax = heatmap(m, WORDS)
    zero_rows = [r for r in range(7) if not m[r].any()]
    assert zero_rows == [1, 3, 4, 5, 6]
    assert row_rectangles(ax, hatched=True) == zero_rows
    for patch in ax.patches:
        if patch.get_hatch():   # each hatch spans the whole row
            assert patch.get_x() == -0.5 and patch.get_width() == m.shape[1] and patch.get_height() == 1


def test_heatmap_frames_highlighted_rows():
    ax = heatmap(gradient_like(), WORDS, highlight_rows=[0, 2])
    assert row_rectangles(ax, filled=False) == [0, 2]
    no_highlight = heatmap(gradient_like(), WORDS)
    assert row_rectangles(no_highlight, filled=False) == []


def test_heatmap_colour_scale_is_centred_on_zero():
    m = np.array([[0.5, -2.0], [1.0, 0.25]])
    ax = heatmap(m)
    lo, hi = ax.images[0].get_clim()
    assert lo == -hi == -2.0
    assert heatmap(np.zeros((2, 2))).images[0].get_clim() == (-1.0, 1.0)   # all zero: still drawable


def test_heatmap_colour_scale_can_be_shared_between_panels():
    small, large = np.array([[0.5, -1.0]]), np.array([[3.0, -4.0]])
    shared = max(np.abs(small).max(), np.abs(large).max())
    assert heatmap(small, limit=shared).images[0].get_clim() == (-4.0, 4.0)
    assert heatmap(large, limit=shared).images[0].get_clim() == (-4.0, 4.0)


@pytest.mark.parametrize("limit, error, message", [
    (0.0, ValueError, "positive finite number, got 0.0"),
    (-1, ValueError, "positive finite number, got -1"),
    (np.inf, ValueError, "positive finite number, got inf"),
    ("2", TypeError, "positive number, got str"),
    (True, TypeError, "positive number, got bool"),
])
def test_heatmap_rejects_a_bad_limit(limit, error, message):
    with pytest.raises(error, match=message):
        heatmap(np.ones((2, 2)), limit=limit)
    assert plt.get_fignums() == []


def test_heatmap_annotates_non_zero_cells_only():
    m = gradient_like()
    texts = [t.get_text() for t in heatmap(m, WORDS, fmt="{:+.3f}").texts]
    assert texts == [f"{v:+.3f}" for v in m[[0, 2]].ravel()]
    assert list(heatmap(m, WORDS, annotate=False).texts) == []


def test_heatmap_draws_into_a_given_axes_and_accepts_a_vector():
    fig, ax = plt.subplots()
    assert heatmap(np.arange(3.0), ax=ax, colorbar=False) is ax
    assert ax.images[0].get_array().shape == (1, 3)
    assert len(fig.axes) == 1   # no colour bar was added


@pytest.mark.parametrize("kwargs, message", [
    (dict(row_labels=WORDS[:6]), "row_labels must have 7 entries, got 6"),
    (dict(row_labels=WORDS + ["extra"]), "row_labels must have 7 entries, got 8"),
    (dict(col_labels=["1", "2"]), "col_labels must have 3 entries, got 2"),
    (dict(highlight_rows=[7]), r"highlight_rows must be row indices in \[0, 7\), got 7"),
    (dict(highlight_rows=[-1]), r"in \[0, 7\), got -1"),
])
def test_heatmap_rejects_labels_and_rows_that_do_not_fit(kwargs, message):
    with pytest.raises(ValueError, match=message):
        heatmap(gradient_like(), **kwargs)
    assert plt.get_fignums() == []   # rejected before any figure was made


def test_heatmap_rejects_bad_matrices():
    with pytest.raises(ValueError, match=r"2-D array, got shape \(2, 2, 2\)"):
        heatmap(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="finite"):
        heatmap(np.array([[0.0, np.nan]]))


def test_probability_bars():
    y = np.full(7, 1 / 7)
    ax = probability_bars(y, np.eye(7)[1], WORDS, title="p")
    assert isinstance(ax, plt.Axes)
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights, np.r_[y, np.eye(7)[1]])
    assert [t.get_text() for t in ax.get_xticklabels()] == WORDS
    with pytest.raises(ValueError, match="one entry per word: got 7, 7, 6"):
        probability_bars(y, np.eye(7)[1], WORDS[:6])


def test_loss_curve():
    ax = loss_curve([2.0, 1.5, 1.0], eval_interval=20)
    x, y = ax.lines[0].get_data()
    np.testing.assert_array_equal(x, [20, 40, 60])
    np.testing.assert_array_equal(y, [2.0, 1.5, 1.0])
    with pytest.raises(ValueError, match="no loss history"):
        loss_curve([])


def test_word_vectors_projects_to_two_principal_components():
    v = np.random.default_rng(1).standard_normal((7, 5))
    ax = word_vectors(v, WORDS)
    assert isinstance(ax, plt.Axes)
    xy = ax.collections[0].get_offsets()
    centred = v - v.mean(axis=0)
    # The projection keeps the two largest singular values' worth of spread.
    s = np.linalg.svd(centred, compute_uv=False)
    np.testing.assert_allclose(np.linalg.svd(np.asarray(xy), compute_uv=False), s[:2], rtol=1e-10)
    assert [t.get_text() for t in ax.texts] == WORDS
    with pytest.raises(ValueError, match="one label per row"):
        word_vectors(v, WORDS[:3])


def test_word_vectors_gives_coinciding_points_one_label():
    v = np.random.default_rng(2).standard_normal((7, 5))
    v[5] = v[0]                  # "hello" on top of "you"
    v[4] = v[2] + 1e-9           # "i" all but on top of "goodbye"
    texts = [t.get_text() for t in word_vectors(v, WORDS).texts]
    assert texts == ["you, hello", "say", "goodbye, i", "and", "."]


def test_heatmap_refuses_to_annotate_a_huge_matrix_before_drawing():
    figures = plt.get_fignums()
    with pytest.raises(ValueError, match="annotate prints every value: a 1000 x 1000 matrix"):
        heatmap(np.zeros((1000, 1000)), annotate=True)
    assert plt.get_fignums() == figures          # no figure left behind
    plt.close(heatmap(np.zeros((1000, 1000))).figure)   # not annotated by default: fine



# ------------------------------------------------------------------ quality curves

def stored_like_curves():
    """Three curves named and set up as learning_curve's ours_curve and gensim_curve name them."""
    points = dict(epochs=[1, 2, 3], seconds=[1.0, 2.0, 3.0], cpu_seconds=[0.5, 1.0, 1.5],
                  spearman=[0.1, 0.3, 0.2], analogy=[0.0, 0.1, 0.1])
    return [Curve("w2vlib", {"lr": 0.1}, **points),
            Curve("gensim, matched settings", {"matching": True}, **points),
            Curve("gensim, its defaults", {"matching": False}, **points)]


def test_quality_curves_one_line_per_curve_with_its_best_point_ringed():
    curves = stored_like_curves()
    ax = quality_curves(curves, x="seconds")
    assert len(ax.lines) == 6
    for k, curve in enumerate(curves):
        np.testing.assert_array_equal(ax.lines[2 * k].get_xdata(), curve.seconds)
        assert list(ax.lines[2 * k + 1].get_xdata()) == [2.0]      # rho is highest at 2 epochs
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [c.name for c in curves]
    assert ax.get_xlabel() == "training time, seconds"
    assert ax.get_ylabel() == "WordSim-353 Spearman ρ"
    assert ax.get_xscale() == "log"
    with pytest.raises(ValueError, match="x must be"):
        quality_curves(curves, x="minutes")


def test_curve_labels_follow_the_language(monkeypatch):
    curves = stored_like_curves()
    assert [curve_label(c) for c in curves] == [c.name for c in curves]   # English: as stored
    assert curve_label(Curve("mine", {})) == "mine"
    monkeypatch.setenv("W2VLIB_LANG", "ja")
    assert [curve_label(c) for c in curves] == ["w2vlib", "gensim（同じ設定）",
                                                "gensim（デフォルト設定）"]
    ax = quality_curves(curves, x="cpu_seconds", log_x=False)
    assert ax.get_xlabel() == "学習時間（CPU秒）" and ax.get_xscale() == "linear"
    assert_drawn_without_missing_glyphs(ax.figure)


# ------------------------------------------------------------------ fonts of Japanese figures

def missing_glyphs(figure) -> list[str]:
    """matplotlib's warnings about characters its fonts cannot draw (drawn as empty boxes)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.savefig(io.BytesIO(), format="png")
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def assert_drawn_without_missing_glyphs(figure):
    missing = missing_glyphs(figure)
    assert not missing, missing


def png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def test_the_glyph_check_sees_japanese_drawn_with_the_default_font():
    """The check below can fail: DejaVu Sans alone has no kanji."""
    _, ax = plt.subplots()
    ax.set_title("損失")
    assert missing_glyphs(ax.figure)


def test_a_japanese_figure_draws_its_labels_with_ipaexgothic(monkeypatch):
    monkeypatch.setenv("W2VLIB_LANG", "ja")
    ax = loss_curve([2.0, 1.5, 1.0])
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("イテレーション", "損失")
    assert list(matplotlib.rcParams["font.family"]) == ["DejaVu Sans", "IPAexGothic"]
    family, path, package = plot.LANGUAGE_FONTS["ja"]
    found = font_manager.findfont(font_manager.FontProperties(family=family),
                                  fallback_to_default=False)
    assert Path(found).resolve() == path.resolve() and package == "fonts-ipaexfont-gothic"
    assert_drawn_without_missing_glyphs(ax.figure)
    bars = probability_bars(np.full(7, 1 / 7), np.eye(7)[1], WORDS)
    assert bars.get_ylabel() == "確率"
    assert_drawn_without_missing_glyphs(bars.figure)


def test_english_figures_are_the_same_before_and_after_a_japanese_one(monkeypatch):
    family = list(matplotlib.rcParams["font.family"])
    before = png(loss_curve([2.0, 1.5, 1.0]).figure)
    assert list(matplotlib.rcParams["font.family"]) == family      # English touches nothing
    monkeypatch.setenv("W2VLIB_LANG", "ja")
    loss_curve([2.0, 1.5, 1.0])
    assert list(matplotlib.rcParams["font.family"]) != family
    monkeypatch.setenv("W2VLIB_LANG", "en")
    after = png(loss_curve([2.0, 1.5, 1.0]).figure)
    assert list(matplotlib.rcParams["font.family"]) == family and after == before


def test_a_missing_japanese_font_names_the_package_to_install(monkeypatch, tmp_path):
    family, _, package = plot.LANGUAGE_FONTS["ja"]
    monkeypatch.setitem(plot.LANGUAGE_FONTS, "ja", (family, tmp_path / "absent.ttf", package))
    monkeypatch.setattr(font_manager.fontManager, "ttflist",
                        [f for f in font_manager.fontManager.ttflist if f.name != family])
    monkeypatch.setenv("W2VLIB_LANG", "ja")
    with pytest.raises(RuntimeError, match="apt-get install fonts-ipaexfont-gothic"):
        use_language_font()
    with pytest.raises(RuntimeError, match="IPAexGothic"):
        loss_curve([1.0])

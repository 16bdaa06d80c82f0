"""w2vlib.glue must emit what myst_nb.glue emits, or the book's {glue} roles break."""
from __future__ import annotations

from unittest import mock

import numpy as np
import pytest

from w2vlib.notebook import glue


def captured_display(glue_function, *args, **kwargs):
    calls = []
    with mock.patch("IPython.display.display", side_effect=lambda *a, **k: calls.append((a, k))):
        glue_function(*args, **kwargs)
    assert len(calls) == 1
    return calls[0]


@pytest.mark.parametrize("value", [np.float64(1.5e-9), 3, "text", np.array([1.0, 2.0])])
@pytest.mark.parametrize("display", [True, False])
def test_same_output_as_myst_nb(value, display):
    import myst_nb.ext.glue as reference

    ours = captured_display(glue, "check_x", value, display=display)
    with mock.patch.object(reference, "ipy_display",
                           side_effect=lambda *a, **k: theirs.append((a, k))):
        theirs: list = []
        reference.glue("check_x", value, display=display)
    assert ours == theirs[0]


def test_name_must_be_a_string():
    with pytest.raises(TypeError, match="non-empty str"):
        glue("", 1.0)


# -- solution_output: a solution's printout folded until the learner clicks it -------------

from html.parser import HTMLParser  # noqa: E402

from w2vlib.messages import message  # noqa: E402
from w2vlib.notebook import folded_output, solution_output  # noqa: E402


class _Details(HTMLParser):
    """Collects, per tag, the text inside it, and whether <details> has `open`."""

    def __init__(self):
        super().__init__()
        self.stack, self.text, self.open = [], {}, None

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        if tag == "details":
            self.open = "open" in dict(attrs)

    def handle_endtag(self, tag):
        self.stack.pop()

    def handle_data(self, data):
        for tag in set(self.stack):
            self.text[tag] = self.text.get(tag, "") + data


def run_solution(monkeypatch, static, body):
    if static:
        monkeypatch.setenv("W2VLIB_STATIC", "1")
    else:
        monkeypatch.delenv("W2VLIB_STATIC", raising=False)
    calls = []
    with mock.patch("IPython.display.display",
                    side_effect=lambda *a, **k: calls.append((a, k))):
        body()
    return calls


def test_live_output_is_a_closed_details_holding_the_text(monkeypatch, capsys):
    def body():
        with solution_output():
            print("non-zero rows: [4, 5]")
            print("a < b & c")
    calls = run_solution(monkeypatch, False, body)
    assert capsys.readouterr().out == ""        # nothing printed in the open
    assert len(calls) == 1
    (bundle,), kwargs = calls[0]
    assert kwargs == {"raw": True}
    assert bundle["text/plain"] == "non-zero rows: [4, 5]\na < b & c\n"
    parsed = _Details()
    parsed.feed(bundle["text/html"])
    assert parsed.open is False
    assert parsed.text["summary"] == message("solution.output")
    assert parsed.text["pre"] == bundle["text/plain"]     # escaped, read back intact
    assert "[4, 5]" not in parsed.text["summary"]


def test_static_builds_print_plainly(monkeypatch, capsys):
    def body():
        with solution_output():
            print("answer 42")
    assert run_solution(monkeypatch, True, body) == []
    assert capsys.readouterr().out == "answer 42\n"


def test_nothing_printed_displays_nothing(monkeypatch):
    def body():
        with solution_output():
            pass
    assert run_solution(monkeypatch, False, body) == []


def test_output_before_an_error_is_still_shown(monkeypatch):
    def body():
        with pytest.raises(ZeroDivisionError):
            with solution_output():
                print("before")
                1 / 0
    calls = run_solution(monkeypatch, False, body)
    assert [c[0][0]["text/plain"] for c in calls] == ["before\n"]


def test_rich_displays_pass_through(monkeypatch):
    def body():
        with solution_output():
            glue("check_y", 1e-9, display=False)
            print("text")
    calls = run_solution(monkeypatch, False, body)
    assert len(calls) == 2
    assert any("application/papermill.record/text/plain" in c[0][0] for c in calls)
    assert calls[-1][0][0] == folded_output("text\n")

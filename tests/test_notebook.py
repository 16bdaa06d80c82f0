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

"""How long each explorer takes to react to a change (target: well under 200 ms).

Prints, per panel, the median wall-clock and CPU time of one update (recompute, redraw,
PNG), and for the CBOW panel the time of "+100 updates" (100 training steps + one redraw).
"""
from __future__ import annotations

import statistics
import time

import w2vlib.widgets as W

REPEATS = 7


def timed(action) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(REPEATS):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls) * 1e3, statistics.median(cpus) * 1e3


def main() -> None:
    matmul = W.matmul_explorer()
    input_layer = W.input_layer_explorer()
    middle = W.middle_layer_explorer()
    cbow = W.cbow_explorer()

    def flip(control, a, b):
        return lambda: setattr(control, "value", b if control.value == a else a)

    cases = [
        ("matmul: move j", flip(matmul.j, 1, 2)),
        ("matmul: change N (same layout)", flip(matmul.N, 3, 4)),
        ("matmul: change D (new layout)", flip(matmul.D, 3, 4)),
        ("input layer: change context 2", flip(input_layer.right, 2, 5)),
        ("middle layer: change target", flip(middle.target, 1, 4)),
        ("cbow: +1 update", lambda: cbow.step_buttons[1].click()),
        ("cbow: +100 updates", lambda: cbow.step_buttons[100].click()),
        ("cbow: reset", lambda: cbow.reset_button.click()),
    ]
    print(f"{'panel action':34s} {'wall ms':>8s} {'cpu ms':>8s}   (median of {REPEATS})")
    for name, action in cases:
        wall, cpu = timed(action)
        print(f"{name:34s} {wall:8.0f} {cpu:8.0f}")
    print(f"PNG sizes (bytes): matmul {len(matmul.png):,}, input {len(input_layer.png):,}, "
          f"middle {len(middle.png):,}, cbow {len(cbow.png):,}")


if __name__ == "__main__":
    main()

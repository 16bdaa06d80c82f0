"""Optimizers and the mini-batch training loop, following the book's ``common/optimizer.py``
and ``common/trainer.py``.

An optimizer's ``update(params, grads)`` changes every array in ``params`` in place.
"""
from __future__ import annotations

import sys
import time

import numpy as np

from ._validate import check_steps


class SGD:
    """W <- W - lr * dW."""

    def __init__(self, lr: float = 0.01) -> None:
        if not lr > 0:
            raise ValueError(f"lr must be positive, got {lr!r}")
        self.lr = lr

    def update(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        for param, grad in zip(params, grads):
            param -= self.lr * grad


class Adam:
    """Adam (Kingma & Ba 2015), in the book's form:

        m <- m + (1 - beta1) (g - m),    v <- v + (1 - beta2) (g^2 - v)
        W <- W - lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + 1e-7)
    """

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999) -> None:
        if not lr > 0:
            raise ValueError(f"lr must be positive, got {lr!r}")
        for name, beta in (("beta1", beta1), ("beta2", beta2)):
            if not 0 <= beta < 1:
                raise ValueError(f"{name} must be in [0, 1), got {beta!r}")
        self.lr, self.beta1, self.beta2 = lr, beta1, beta2
        self.iter = 0
        self.m: list[np.ndarray] | None = None
        self.v: list[np.ndarray] | None = None

    def update(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        if self.m is None or self.v is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2 ** self.iter) / (1.0 - self.beta1 ** self.iter)
        for param, grad, m, v in zip(params, grads, self.m, self.v):
            m += (1 - self.beta1) * (grad - m)
            v += (1 - self.beta2) * (grad ** 2 - v)
            param -= lr_t * m / (np.sqrt(v) + 1e-7)


def remove_duplicate(params: list[np.ndarray], grads: list[np.ndarray]) -> tuple[list, list]:
    """The book's way of handling shared weights (``common/trainer.py``): when the same
    array appears twice in ``params``, add the second gradient into the first and drop
    the second. ``SimpleCBOW`` adds its shared gradients itself, so its lists have no
    duplicates; this is here to show, and test, the book's route.
    """
    params, grads = list(params), [g.copy() for g in grads]
    i = 0
    while i < len(params):
        j = i + 1
        while j < len(params):
            if params[j] is params[i]:
                grads[i] += grads[j]
                del params[j], grads[j]
            else:
                j += 1
        i += 1
    return params, grads


def clip_grads(grads: list[np.ndarray], max_norm: float) -> None:
    """Scale all gradients down together when their joint L2 norm exceeds max_norm."""
    if isinstance(max_norm, bool) or not isinstance(max_norm, (int, float, np.number)) or not max_norm > 0:
        # A negative bound would flip every gradient's sign instead of shrinking it.
        raise ValueError(f"max_norm must be a positive number, got {max_norm!r}")
    total = np.sqrt(sum(float(np.sum(g ** 2)) for g in grads))
    rate = max_norm / (total + 1e-6)
    if rate < 1:
        for g in grads:
            g *= rate


class _Progress:
    """One status line, updated in place: a display in a notebook, a carriage return in a terminal."""

    def __init__(self) -> None:
        self.handle = None
        try:
            from IPython import get_ipython
            shell = get_ipython()
            if shell is not None and getattr(shell, "kernel", None) is not None:
                from IPython.display import display
                self.handle = display("", display_id=True)
        except ImportError:
            pass

    def show(self, text: str, final: bool = False) -> None:
        if self.handle is not None:
            self.handle.update(text)   # shown as text/plain, the repr of a str
        else:
            sys.stderr.write("\r" + text + ("\n" if final else ""))
            sys.stderr.flush()


class Trainer:
    """Shuffled mini-batch training of any model with forward(x, t) -> loss, backward(),
    params and grads.

    ``loss_list`` holds the mean loss of every ``eval_interval`` iterations, as in the book.
    """

    def __init__(self, model: object, optimizer: SGD | Adam) -> None:
        self.model, self.optimizer = model, optimizer
        self.loss_list: list[float] = []
        self.eval_interval = 20
        self.current_epoch = 0

    def fit(self, x: np.ndarray, t: np.ndarray, max_epoch: int = 10, batch_size: int = 32,
            max_grad: float | None = None, eval_interval: int = 20,
            seed: int | np.random.Generator | None = 0, verbose: bool = True) -> list[float]:
        x, t = np.asarray(x), np.asarray(t)
        if len(x) != len(t):
            raise ValueError(f"x and t must hold the same number of samples, got {len(x)} and {len(t)}")
        if len(x) == 0:
            raise ValueError("there are no samples to train on")
        for name, value in (("max_epoch", max_epoch), ("batch_size", batch_size),
                            ("eval_interval", eval_interval)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name} must be a positive int, got {value!r}")
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        self.eval_interval = eval_interval
        max_iters = max(1, len(x) // batch_size)
        check_steps(max_epoch * max_iters, "Trainer.fit")
        progress = _Progress() if verbose else None
        total_loss, loss_count = 0.0, 0
        start = time.perf_counter()
        for epoch in range(max_epoch):
            order = rng.permutation(len(x))
            x, t = x[order], t[order]
            for it in range(max_iters):
                batch = slice(it * batch_size, (it + 1) * batch_size)
                loss = self.model.forward(x[batch], t[batch])
                self.model.backward()
                if max_grad is not None:
                    clip_grads(self.model.grads, max_grad)
                self.optimizer.update(self.model.params, self.model.grads)
                total_loss += loss
                loss_count += 1
                if loss_count == eval_interval:
                    self.loss_list.append(total_loss / loss_count)
                    total_loss, loss_count = 0.0, 0
            self.current_epoch += 1
            if progress is not None:
                elapsed = time.perf_counter() - start
                last = f"{self.loss_list[-1]:.4f}" if self.loss_list else "-"
                progress.show(f"epoch {self.current_epoch} | {elapsed:.1f} s | loss {last}",
                              final=epoch == max_epoch - 1)
        return self.loss_list

    def plot(self, ax=None):
        """Draw the loss history; returns the matplotlib Axes."""
        from .plot import loss_curve
        return loss_curve(self.loss_list, eval_interval=self.eval_interval, ax=ax)

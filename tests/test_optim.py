"""Tests of w2vlib.optim: SGD, Adam, remove_duplicate, clip_grads, Trainer."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")   # before pyplot is used: no window, ever

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from w2vlib import (TOY_TEXT, SGD, Adam, SimpleCBOW, Trainer, clip_grads,  # noqa: E402
                    create_contexts_target, preprocess, remove_duplicate)


@pytest.fixture(scope="module")
def toy():
    corpus, word_to_id, _ = preprocess(TOY_TEXT)
    contexts, target = create_contexts_target(corpus)
    return contexts, target, len(word_to_id)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# ---- update rules, one step written out by hand -----------------------------------------------

def test_sgd_step():
    g = np.random.default_rng(0)
    W, b = g.standard_normal((3, 2)), g.standard_normal(4)
    dW, db = g.standard_normal((3, 2)), g.standard_normal(4)
    expected = [W - 0.1 * dW, b - 0.1 * db]
    SGD(lr=0.1).update([W, b], [dW, db])
    np.testing.assert_allclose(W, expected[0], rtol=1e-15)
    np.testing.assert_allclose(b, expected[1], rtol=1e-15)


def test_adam_two_steps_against_the_written_out_rule():
    g = np.random.default_rng(1)
    W = g.standard_normal((3, 2))
    g1, g2 = g.standard_normal((3, 2)), g.standard_normal((3, 2))
    lr, b1, b2, eps = 0.01, 0.8, 0.99, 1e-7

    # Kingma & Ba with bias correction folded into the step size, as in the book's optimizer.py.
    m1 = (1 - b1) * g1
    v1 = (1 - b2) * g1 ** 2
    W1 = W - lr * np.sqrt(1 - b2 ** 1) / (1 - b1 ** 1) * m1 / (np.sqrt(v1) + eps)
    m2 = b1 * m1 + (1 - b1) * g2
    v2 = b2 * v1 + (1 - b2) * g2 ** 2
    W2 = W1 - lr * np.sqrt(1 - b2 ** 2) / (1 - b1 ** 2) * m2 / (np.sqrt(v2) + eps)

    adam = Adam(lr=lr, beta1=b1, beta2=b2)
    param = W.copy()
    adam.update([param], [g1])
    np.testing.assert_allclose(param, W1, rtol=1e-13)
    adam.update([param], [g2])
    np.testing.assert_allclose(param, W2, rtol=1e-13)
    assert adam.iter == 2


def test_adam_first_step_moves_every_weight_by_about_lr():
    # With bias correction, step 1 is lr * g / (|g| + eps): about lr in size, whatever g's scale.
    W, grad = np.zeros(4), np.array([0.1, -5.0, 2.0, 1e3])
    Adam(lr=0.001).update([W], [grad])
    np.testing.assert_allclose(W, -0.001 * np.sign(grad), rtol=1e-3)


@pytest.mark.parametrize("make", [lambda: SGD(lr=0), lambda: SGD(lr=-1), lambda: Adam(lr=0),
                                  lambda: Adam(beta1=1.0), lambda: Adam(beta2=-0.1)])
def test_optimizers_reject_bad_hyperparameters(make):
    with pytest.raises(ValueError, match="must be"):
        make()


# ---- shared weights: the book's remove_duplicate and SimpleCBOW's own sum --------------------

def test_remove_duplicate_merges_the_books_shared_w_in(toy):
    contexts, target, V = toy
    model = SimpleCBOW(V, 3, seed=0)
    model.forward(contexts, target)
    model.backward()
    # The book lists every layer's params: [W_in, W_in, W_out], one gradient each.
    book_params = [model.in_layer0.params[0], model.in_layer1.params[0], model.out_layer.params[0]]
    book_grads = [model.in_layer0.grads[0], model.in_layer1.grads[0], model.out_layer.grads[0]]
    originals = [g.copy() for g in book_grads]

    params, grads = remove_duplicate(book_params, book_grads)

    assert len(params) == len(grads) == 2
    assert params[0] is model.params[0] and params[1] is model.params[1]
    np.testing.assert_allclose(grads[0], originals[0] + originals[1], rtol=1e-15)
    np.testing.assert_array_equal(grads[0], model.grads[0])   # SimpleCBOW's own sum
    np.testing.assert_array_equal(grads[1], model.grads[1])
    for before, after in zip(originals, book_grads):
        np.testing.assert_array_equal(before, after)   # the caller's gradients are untouched


def test_remove_duplicate_with_three_uses_and_no_duplicates():
    A, B = np.zeros(2), np.zeros(2)
    params, grads = remove_duplicate([A, B, A, A], [np.ones(2), 2 * np.ones(2), 3 * np.ones(2),
                                                    4 * np.ones(2)])
    assert params[0] is A and params[1] is B and len(params) == 2
    np.testing.assert_array_equal(grads[0], [8, 8])
    np.testing.assert_array_equal(grads[1], [2, 2])
    equal_but_distinct = [np.zeros(2), np.zeros(2)]   # same values, different arrays: not shared
    assert len(remove_duplicate(equal_but_distinct, [np.ones(2), np.ones(2)])[0]) == 2


def test_clip_grads_scales_all_gradients_together():
    grads = [np.array([3.0, 0.0]), np.array([[4.0]])]   # joint norm 5
    clip_grads(grads, 1.0)
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    assert norm == pytest.approx(1.0, rel=1e-5)
    np.testing.assert_allclose(grads[0][0] / grads[1][0, 0], 3 / 4, rtol=1e-14)
    small = [np.array([0.3, 0.4])]
    clip_grads(small, 1.0)
    np.testing.assert_array_equal(small[0], [0.3, 0.4])


@pytest.mark.parametrize("max_norm", [0, -1.0, float("nan"), "1"])
def test_clip_grads_rejects_a_bound_that_is_not_positive(max_norm):
    grads = [np.array([3.0, 4.0])]
    with pytest.raises(ValueError, match="max_norm must be a positive number"):
        clip_grads(grads, max_norm)
    np.testing.assert_array_equal(grads[0], [3.0, 4.0])


# ---- Trainer ---------------------------------------------------------------------------------

class RecordingModel(SimpleCBOW):
    """SimpleCBOW that remembers every batch and loss the trainer gave it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.batches, self.losses = [], []

    def forward(self, contexts, target):
        loss = super().forward(contexts, target)
        self.batches.append(np.asarray(target).copy())
        self.losses.append(loss)
        return loss


@pytest.mark.parametrize("epochs, batch, interval", [(30, 3, 4), (7, 2, 5), (5, 6, 1), (3, 4, 1)])
def test_loss_list_holds_means_over_eval_interval(toy, epochs, batch, interval):
    contexts, target, V = toy
    model = RecordingModel(V, 3, seed=0)
    trainer = Trainer(model, SGD(lr=0.1))
    losses = trainer.fit(contexts, target, max_epoch=epochs, batch_size=batch,
                         eval_interval=interval, verbose=False)
    iters_per_epoch = max(1, len(target) // batch)
    assert len(model.losses) == epochs * iters_per_epoch
    assert losses is trainer.loss_list
    assert len(losses) == (epochs * iters_per_epoch) // interval
    assert trainer.eval_interval == interval
    assert trainer.current_epoch == epochs
    for k, mean in enumerate(losses):
        assert mean == pytest.approx(np.mean(model.losses[k * interval:(k + 1) * interval]), rel=1e-14)


def test_each_epoch_visits_the_samples_in_a_new_order(toy):
    contexts, target, V = toy
    model = RecordingModel(V, 3, seed=0)
    # Targets of the toy corpus repeat ("say" twice), so count multiplicities per epoch.
    Trainer(model, SGD()).fit(contexts, target, max_epoch=4, batch_size=3, verbose=False)
    epochs = [np.concatenate(model.batches[e * 2:(e + 1) * 2]) for e in range(4)]
    for seen in epochs:
        assert all(len(b) == 3 for b in model.batches)
        np.testing.assert_array_equal(np.sort(seen), np.sort(target))
    assert any(not np.array_equal(epochs[0], e) for e in epochs[1:])


def train_toy(toy, model_seed, trainer_seed, max_epoch=1000):
    """The book's ch03/train.py: hidden 5, batch 3, Adam with lr 0.001."""
    contexts, target, V = toy
    trainer = Trainer(SimpleCBOW(V, 5, seed=model_seed), Adam(lr=0.001))
    return trainer.fit(contexts, target, max_epoch=max_epoch, batch_size=3, seed=trainer_seed,
                       verbose=False)


def test_training_with_adam_brings_the_loss_well_below_log_7(toy):
    losses = train_toy(toy, model_seed=0, trainer_seed=0)
    start = np.log(7)   # uniform guess over 7 words
    assert losses[0] == pytest.approx(start, abs=0.01)
    assert losses[-1] < 0.5 * start, losses[-1]
    assert np.all(np.isfinite(losses))


def test_training_is_reproducible_and_depends_on_the_seed(toy):
    first = train_toy(toy, 0, 0, max_epoch=100)
    again = train_toy(toy, 0, 0, max_epoch=100)
    assert first == again   # identical, not merely close
    assert train_toy(toy, 1, 1, max_epoch=100) != first
    assert train_toy(toy, 0, 1, max_epoch=100) != first   # the shuffling alone matters too


def test_progress_line_in_a_terminal(toy, capsys):
    contexts, target, V = toy
    Trainer(SimpleCBOW(V, 3), SGD()).fit(contexts, target, max_epoch=3, batch_size=3,
                                         eval_interval=1)
    err = capsys.readouterr().err
    assert "\repoch 1 |" in err and "\repoch 3 |" in err and "loss " in err
    assert err.endswith("\n")


def test_trainer_plot_returns_axes_with_the_history(toy):
    contexts, target, V = toy
    trainer = Trainer(SimpleCBOW(V, 3), SGD())
    trainer.fit(contexts, target, max_epoch=10, batch_size=3, eval_interval=2, verbose=False)
    ax = trainer.plot()
    assert isinstance(ax, plt.Axes)
    x, y = ax.lines[0].get_data()
    np.testing.assert_array_equal(y, trainer.loss_list)
    np.testing.assert_array_equal(x, 2 * np.arange(1, len(trainer.loss_list) + 1))


@pytest.mark.parametrize("kwargs, message", [
    (dict(max_epoch=0), "max_epoch must be a positive int, got 0"),
    (dict(batch_size=0), "batch_size must be a positive int, got 0"),
    (dict(batch_size=2.5), "batch_size must be a positive int"),
    (dict(eval_interval=-1), "eval_interval must be a positive int"),
])
def test_trainer_rejects_bad_settings(toy, kwargs, message):
    contexts, target, V = toy
    with pytest.raises(ValueError, match=message):
        Trainer(SimpleCBOW(V, 3), SGD()).fit(contexts, target, verbose=False, **kwargs)


def test_trainer_rejects_mismatched_or_empty_data(toy):
    contexts, target, V = toy
    with pytest.raises(ValueError, match="same number of samples, got 6 and 5"):
        Trainer(SimpleCBOW(V, 3), SGD()).fit(contexts, target[:5], verbose=False)
    with pytest.raises(ValueError, match="no samples"):
        Trainer(SimpleCBOW(V, 3), SGD()).fit(contexts[:0], target[:0], verbose=False)


# ---- runaway training --------------------------------------------------------------------------

def test_fit_refuses_a_runaway_number_of_steps_before_training():
    from w2vlib._validate import MAX_STEPS
    corpus, word_to_id, _ = preprocess(TOY_TEXT)
    contexts, target = create_contexts_target(corpus)
    model = SimpleCBOW(len(word_to_id), 3, seed=0)
    before = model.params[0].copy()
    trainer = Trainer(model, SGD())
    with pytest.raises(ValueError, match=f"would run 6,000,000,000 optimizer steps; at most {MAX_STEPS:,}"):
        trainer.fit(contexts, target, max_epoch=10**9, batch_size=1, verbose=False)
    np.testing.assert_array_equal(model.params[0], before)   # nothing ran

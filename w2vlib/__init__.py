"""w2vlib: the pieces of word2vec's CBOW model, differentiated by hand.

Names and calling conventions follow *Deep Learning from Scratch 2*, chapter 3:
every layer has ``params``, ``grads``, ``forward`` and ``backward``.
"""
from .corpus import convert_one_hot, create_contexts_target, preprocess
from .functions import cross_entropy_error, log_softmax, softmax
from .gradcheck import gradient_check, numerical_gradient, relative_error
from .layers import Embedding, MatMul, SoftmaxWithLoss
from .models import SimpleCBOW
from .notebook import glue, solution_output
from .optim import SGD, Adam, Trainer, clip_grads, remove_duplicate
from .plot import heatmap, loss_curve, probability_bars, word_vectors
from .negative_sampling import EmbeddingDot, NegativeSamplingLoss, SigmoidWithLoss, UnigramSampler
from .cbow import CBOW, CBOWTrainer
from .sparse import RowAdaGrad, RowAdam, RowSGD
from .similarity import analogy, evaluate_analogies, evaluate_word_pairs, most_similar
from .datasets import load_wiki_sample

TOY_TEXT = "You say goodbye and I say hello."

__all__ = [
    "MatMul", "SoftmaxWithLoss", "Embedding", "SimpleCBOW",
    "preprocess", "create_contexts_target", "convert_one_hot",
    "softmax", "log_softmax", "cross_entropy_error",
    "numerical_gradient", "relative_error", "gradient_check",
    "SGD", "Adam", "Trainer", "remove_duplicate", "clip_grads",
    "heatmap", "probability_bars", "loss_curve", "word_vectors",
    "TOY_TEXT", "glue", "solution_output",
    "EmbeddingDot", "SigmoidWithLoss", "UnigramSampler", "NegativeSamplingLoss", "CBOW", "CBOWTrainer",
    "RowSGD", "RowAdam", "RowAdaGrad", "most_similar", "analogy", "evaluate_word_pairs",
    "evaluate_analogies", "load_wiki_sample",
]
__version__ = "0.1.0"

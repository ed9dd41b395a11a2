"""scikit-learn's MLPClassifier started from the library's weights.

The reference for the training tests of Lessons 1 and 3: a tanh network
with one hidden layer, fitted once to create its arrays, then given our
weights and fitted again with ``warm_start``, which keeps the weights and
starts a fresh optimizer (zero velocity, zero moments). ``shuffle=False``
makes it take the rows in the order given.
"""

from __future__ import annotations

import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier


def warm_started_mlp(params, X, y, **options) -> list:
    """The ``(W, b)`` of each layer after MLPClassifier, started from
    ``params``, has trained on ``X, y`` with ``options`` (solver, rates,
    ``batch_size``, ``max_iter``, ``alpha``)."""
    mlp = MLPClassifier(
        hidden_layer_sizes=(params[0][0].shape[1],),
        activation="tanh",
        shuffle=False,
        warm_start=True,
        random_state=0,
        **options,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X, y)  # creates the model, from scikit-learn's own start
        mlp.coefs_ = [W.copy() for W, _ in params]
        mlp.intercepts_ = [b.copy() for _, b in params]
        mlp.fit(X, y)  # warm start: our weights, a fresh optimizer
    return list(zip(mlp.coefs_, mlp.intercepts_, strict=True))

r"""Mini-batch training of a :mod:`mathsforml.network` network.

One epoch shuffles the training set with a seeded generator, cuts it
into mini-batches :math:`\mathcal B` of ``batch_size`` rows, and for
each batch takes one step on the batch's mean loss
:math:`J_{\mathcal B}(\theta)` with an optimizer from
:mod:`mathsforml.optimizers`: plain stochastic gradient descent, or
classical (heavy-ball) momentum [Polyak],

.. math::

    \theta \leftarrow \theta - \alpha \nabla J_{\mathcal B}(\theta)
    \qquad\text{or}\qquad
    v \leftarrow \beta v - \alpha \nabla J_{\mathcal B}(\theta), \quad
    \theta \leftarrow \theta + v

(eqs. ``sgd-step`` and ``momentum-step``), or Nesterov momentum,
AdaGrad, RMSProp or Adam. The update rules live in the optimizers
alone, so the networks of Lesson 1 and the optimization chapters of
Lesson 3 are trained by the same code.

References:

- [DLB] Goodfellow, I., Bengio, Y. and Courville, A. (2016). *Deep
  Learning*. MIT Press. Sections 8.1.3 and 8.3.
- [Polyak] Polyak, B. T. (1964). Some methods of speeding up the
  convergence of iteration methods. *USSR Computational Mathematics and
  Mathematical Physics* 4(5), 1-17.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from mathsforml._validation import (
    check_in_range,
    check_integer,
    check_positive,
    check_same_length,
)
from mathsforml.activations import Activation, get_activation
from mathsforml.losses import _check_labels, _softmax_cross_entropy
from mathsforml.network import (
    Params,
    _as_generator,
    _backward,
    _check_inputs,
    _check_params,
    _forward,
)
from mathsforml.optimizers import OPTIMIZERS, Optimizer, get_optimizer

__all__ = ["TrainResult", "train"]

# Newton's method needs the Hessian of all the weights at once
_OPTIMIZERS = tuple(name for name in OPTIMIZERS if name != "newton")
_USES_MOMENTUM = ("momentum", "nesterov")


@dataclass
class TrainResult:
    """The outcome of :func:`train`.

    Attributes
    ----------
    params : list of (W, b) tuples
        The trained layers (new arrays; the caller's are untouched).
    history : dict of str to numpy.ndarray
        ``"train_loss"``, ``"train_accuracy"``, ``"val_loss"`` and
        ``"val_accuracy"``. Entry ``k`` is measured on the whole set after
        ``k`` epochs, so entry 0 is the untrained network. The ``val_``
        arrays are empty when no validation set is given.
    n_epochs : int
        The number of epochs run (fewer than asked if training diverged).
    """

    params: Params
    history: dict[str, np.ndarray] = field(default_factory=dict)
    n_epochs: int = 0


def _evaluate(
    params: Params, X: np.ndarray, y: np.ndarray, act: Activation
) -> tuple[float, float]:
    logits = _forward(params, X, act).Z[-1]
    loss = _softmax_cross_entropy(logits, y)
    return loss, float(np.mean(np.argmax(logits, axis=1) == y))


def _run_epoch(
    params: Params,
    optimizer: Optimizer,
    X: np.ndarray,
    y: np.ndarray,
    act: Activation,
    batch_size: int,
    weight_decay: float,
    rng: np.random.Generator,
) -> None:
    """One pass over shuffled mini-batches; updates ``params`` in place."""
    order = rng.permutation(X.shape[0])
    # one gather per epoch, then contiguous slices: cheaper than
    # fancy-indexing every batch
    X, y = X[order], y[order]
    arrays = [a for layer in params for a in layer]  # W_1, b_1, W_2, ...
    for start in range(0, X.shape[0], batch_size):
        X_b, y_b = X[start : start + batch_size], y[start : start + batch_size]
        grads = _backward(params, _forward(params, X_b, act), y_b)
        if weight_decay:
            for (W, _), (dW, _) in zip(params, grads, strict=True):
                dW += weight_decay * W
        optimizer.step(arrays, [g for layer in grads for g in layer])


def _check_train_args(params, X, y, X_val, y_val):
    params = _check_params(params)
    n_classes = params[-1][0].shape[1]
    X = _check_inputs(params, X)
    y = _check_labels(y, n_classes)
    check_same_length(X, y, ("X", "y"))
    if (X_val is None) != (y_val is None):
        raise ValueError(
            "`X_val` and `y_val` must be given together; got only "
            f"{'X_val' if y_val is None else 'y_val'}. Pass both or "
            "neither."
        )
    if X_val is not None:
        X_val = _check_inputs(params, X_val, "X_val")
        y_val = _check_labels(y_val, n_classes, "y_val")
        check_same_length(X_val, y_val, ("X_val", "y_val"))
    return params, X, y, X_val, y_val


def _make_optimizer(optimizer, learning_rate, momentum, options):
    """The optimizer named by ``train``'s arguments, validated."""
    if optimizer not in _OPTIMIZERS:
        raise ValueError(
            f"`optimizer` must be one of {list(_OPTIMIZERS)}; got "
            f"{optimizer!r}. Check the spelling."
        )
    momentum = check_in_range(momentum, "momentum", 0, 1, closed="left")
    if optimizer in _USES_MOMENTUM:
        options = {"momentum": momentum, **options}
    return get_optimizer(optimizer, learning_rate=learning_rate, **options)


def train(
    params: Params,
    X: object,
    y: object,
    *,
    activation: str = "tanh",
    learning_rate: float = 0.1,
    n_epochs: int = 20,
    batch_size: int = 32,
    rng: np.random.Generator | int | None = None,
    X_val: object = None,
    y_val: object = None,
    optimizer: str = "sgd",
    momentum: float = 0.9,
    weight_decay: float = 0.0,
    **options,
) -> TrainResult:
    r"""Train a network on cross-entropy by mini-batch gradient steps.

    Each epoch reshuffles the rows with ``rng`` and takes one step of the
    chosen optimizer per mini-batch (eqs. ``sgd-step``,
    ``momentum-step``), with gradients from
    :func:`mathsforml.network.backward`. After each epoch, the loss and
    accuracy on the whole training (and validation) set are recorded.

    Parameters
    ----------
    params : list of (W, b) tuples
        The starting layers, from :func:`~mathsforml.network.init_params`.
        They are copied, never modified.
    X : array_like of shape (n_samples, n_features)
        Training inputs, one row per sample.
    y : array_like of shape (n_samples,)
        Integer class labels in ``0, ..., n_classes - 1``.
    activation : {"tanh", "relu", "sigmoid", "identity"}, default "tanh"
        The hidden activation.
    learning_rate : float or callable, default 0.1
        The step size :math:`\alpha > 0`, or a schedule from
        :mod:`mathsforml.schedules` (evaluated at the step count).
    n_epochs : int, default 20
        The number of passes over the training set.
    batch_size : int, default 32
        Rows per mini-batch; the last batch may be smaller.
    rng : numpy.random.Generator or int, optional
        The shuffling generator or its seed; a seed makes the run
        reproducible.
    X_val, y_val : array_like, optional
        A validation set, evaluated after every epoch.
    optimizer : str, default "sgd"
        ``"sgd"``, ``"momentum"``, ``"nesterov"``, ``"adagrad"``,
        ``"rmsprop"`` or ``"adam"``: see
        :func:`mathsforml.optimizers.get_optimizer`.
    momentum : float, default 0.9
        :math:`\beta \in [0, 1)`; used by ``"momentum"`` and
        ``"nesterov"`` only.
    weight_decay : float, default 0.0
        The L2 penalty :math:`\lambda \ge 0` on the weights.
    **options
        Further hyper-parameters of the optimizer, such as ``beta1``,
        ``rho``, ``eps`` or ``clip_norm``.

    Returns
    -------
    TrainResult
        The trained ``params``, the ``history`` and ``n_epochs``.

    Raises
    ------
    TypeError, ValueError
        For malformed arrays, labels or hyper-parameters; the message
        says which and how to fix it.

    Warns
    -----
    RuntimeWarning
        If the training loss becomes infinite or NaN; training stops and
        the result holds the epochs run so far. Lower ``learning_rate``.

    See Also
    --------
    mathsforml.network.loss_and_grad : The gradient of the full loss.
    mathsforml.optimizers : The update rules.

    Notes
    -----
    The number of epochs is fixed: there is no convergence test, so no
    warning is given at the end.

    References
    ----------
    .. [1] Goodfellow, Bengio and Courville (2016), *Deep Learning*,
       algorithms 8.1-8.7.

    Examples
    --------
    >>> from mathsforml.network import init_params
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 2))
    >>> y = (X[:, 0] + X[:, 1] > 0).astype(int)
    >>> params = init_params([2, 8, 2], "tanh", rng=0)
    >>> result = train(params, X, y, learning_rate=0.5, n_epochs=10, rng=0)
    >>> bool(result.history["train_accuracy"][-1] > 0.95)
    True
    >>> result = train(params, X, y, optimizer="adam", learning_rate=0.01,
    ...                n_epochs=10, rng=0)
    >>> bool(result.history["train_accuracy"][-1] > 0.95)
    True
    """
    act = get_activation(activation)
    params, X, y, X_val, y_val = _check_train_args(params, X, y, X_val, y_val)
    n_epochs = check_integer(n_epochs, "n_epochs")
    batch_size = check_integer(batch_size, "batch_size")
    weight_decay = check_positive(weight_decay, "weight_decay", strict=False)
    opt = _make_optimizer(optimizer, learning_rate, momentum, options)
    gen = _as_generator(rng)
    params = [(W.copy(), b.copy()) for W, b in params]  # caller's intact
    history = {key: [] for key in ("train_loss", "train_accuracy")}
    history.update(val_loss=[], val_accuracy=[])
    epoch = 0
    while True:
        _record(history, params, act, X, y, X_val, y_val)
        if not np.isfinite(history["train_loss"][-1]):
            warnings.warn(
                f"Training diverged at epoch {epoch}: the loss is not "
                "finite. Lower `learning_rate`.",
                RuntimeWarning,
                stacklevel=2,
            )
            break
        if epoch == n_epochs:
            break
        # overflow here is caught by the finite-loss check above
        with np.errstate(over="ignore", invalid="ignore"):
            _run_epoch(params, opt, X, y, act, batch_size, weight_decay, gen)
        epoch += 1
    history = {key: np.array(val) for key, val in history.items()}
    return TrainResult(params, history, epoch)


def _record(history, params, act, X, y, X_val, y_val) -> None:
    with np.errstate(over="ignore", invalid="ignore"):
        loss, acc = _evaluate(params, X, y, act)
        history["train_loss"].append(loss)
        history["train_accuracy"].append(acc)
        if X_val is not None:
            loss, acc = _evaluate(params, X_val, y_val, act)
            history["val_loss"].append(loss)
            history["val_accuracy"].append(acc)

"""The reference CNN the landmark classifiers are benchmarked against, as a scikit-learn estimator.

It learns from the photos themselves (file paths in, labels out). PyTorch is optional: this module
imports it only inside functions, so the CLI can import `require_torch` without it.
"""
import os
import time

import cv2
import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from landmarks.errors import UserError
from landmarks.images import ImageError, read_rgb

CONV_FILTERS = (32, 64, 128, 256)
DENSE_UNITS = (64, 128, 256, 512)
DROPOUT_AFTER = {128: 0.2, 256: 0.3}
PREDICT_BATCH = 256
WARMUP_FRACTION = 0.2
# Light augmentation: shift up to 8 % of the side, scale +-10 %, brightness +-20 %.
MAX_SHIFT, MAX_SCALE, MAX_BRIGHTNESS = 0.08, 0.10, 0.20


class CNNImageError(UserError):
    """An image given to the CNN cannot be decoded; the message names it."""


def require_torch():
    """Import and return torch, or raise a UserError saying how to install it."""
    try:
        import torch
    except ImportError:
        raise UserError("--cnn needs PyTorch: pip install -r requirements-cnn.txt") from None
    return torch


def conv_output_side(image_size):
    """Side of the last feature map: each block is an unpadded 3x3 convolution then 2x2 pooling."""
    side = image_size
    for _ in CONV_FILTERS:
        side = (side - 2) // 2
    return side


def build_network(n_classes, image_size=64):
    """Four conv blocks (32..256 filters) and dense layers 64..512 ending in `n_classes` logits."""
    torch = require_torch()
    nn = torch.nn
    side = conv_output_side(image_size)
    if side < 1:
        raise UserError(f"image_size {image_size} is too small for four conv blocks; use 46 or more")
    layers, channels = [], 3
    for filters in CONV_FILTERS:
        layers += [nn.Conv2d(channels, filters, 3), nn.ReLU(), nn.MaxPool2d(2)]
        channels = filters
    layers.append(nn.Flatten())
    width = channels * side * side
    for units in DENSE_UNITS:
        layers += [nn.Linear(width, units), nn.ReLU()]
        if units in DROPOUT_AFTER:
            layers.append(nn.Dropout(DROPOUT_AFTER[units]))
        width = units
    layers.append(nn.Linear(width, n_classes))
    network = nn.Sequential(*layers)
    for layer in network:
        # He initialisation: PyTorch's default is too small for nine stacked ReLU layers to start learning.
        if isinstance(layer, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            nn.init.zeros_(layer.bias)
    return network


def load_images(paths, image_size):
    """(N, 3, S, S) uint8 tensor of the photos resized to S x S; raises CNNImageError on a bad one."""
    torch = require_torch()
    batch = np.empty((len(paths), image_size, image_size, 3), dtype=np.uint8)
    for i, path in enumerate(paths):
        try:
            rgb = read_rgb(path)
        except ImageError as error:
            raise CNNImageError(f"the CNN cannot read an image: {error}; fix or remove it") from None
        batch[i] = cv2.resize(rgb, (image_size, image_size), interpolation=cv2.INTER_AREA)
    return torch.from_numpy(batch).permute(0, 3, 1, 2).contiguous()


def to_float(images):
    """uint8 images to the network's input range [0, 1]."""
    return images.float().div_(255.0)


def augment_batch(images, generator):
    """Random shift, scale and brightness per image, applied to a float batch in [0, 1]."""
    torch = require_torch()
    n = images.shape[0]

    def uniform(limit):
        return (torch.rand(n, generator=generator) * 2 - 1) * limit

    scale = 1 + uniform(MAX_SCALE)
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0] = theta[:, 1, 1] = 1 / scale
    theta[:, 0, 2], theta[:, 1, 2] = uniform(2 * MAX_SHIFT), uniform(2 * MAX_SHIFT)  # grid spans [-1, 1]
    grid = torch.nn.functional.affine_grid(theta, list(images.shape), align_corners=False)
    moved = torch.nn.functional.grid_sample(images, grid, padding_mode="border", align_corners=False)
    brightness = (1 + uniform(MAX_BRIGHTNESS)).view(n, 1, 1, 1)
    return moved.mul_(brightness).clamp_(0, 1)


def as_paths(X):
    """A list of path strings from a list, Series or 1-D (or N x 1) array."""
    paths = np.asarray(X, dtype=object)
    if paths.ndim == 2 and paths.shape[1] == 1:
        paths = paths[:, 0]
    if paths.ndim != 1:
        raise UserError(f"the CNN takes a 1-D list of image paths; got an array of shape {paths.shape}")
    return [str(p) for p in paths]


class CNNClassifier(ClassifierMixin, BaseEstimator):
    """Small CNN on S x S RGB photos; X is a list of image paths."""

    def __init__(self, epochs=20, batch_size=32, learning_rate=1e-3, image_size=64, seed=0,
                 augment=True, verbose=False):
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.image_size = image_size
        self.seed = seed
        self.augment = augment
        self.verbose = verbose

    def fit(self, X, y):
        torch = require_torch()
        torch.set_num_threads(os.cpu_count() or 1)
        torch.manual_seed(self.seed)  # weights and dropout
        if self.epochs < 1 or self.batch_size < 1:
            raise UserError(f"the CNN needs epochs and batch_size of at least 1; got {self.epochs}, {self.batch_size}")
        paths, labels = as_paths(X), np.asarray(y)
        if len(paths) != len(labels):
            raise UserError(f"the CNN needs one label per image; got {len(paths)} images, {len(labels)} labels")
        self.classes_ = np.unique(labels)
        if len(self.classes_) < 2:
            raise UserError("the CNN needs images of at least two labels to learn from")
        images = load_images(paths, self.image_size)  # decoded once, reused every epoch
        targets = torch.from_numpy(np.searchsorted(self.classes_, labels)).long()
        self.model_ = build_network(len(self.classes_), self.image_size)
        generator = torch.Generator().manual_seed(self.seed)  # batch order and augmentation
        optimizer = torch.optim.Adam(self.model_.parameters(), lr=self.learning_rate)
        # Warm up, then decay: at full rate from the first step the deep ReLU stack can die (loss stuck at
        # ln(classes)); decaying lets the last epochs settle instead of bouncing.
        schedule = torch.optim.lr_scheduler.OneCycleLR(
            optimizer, max_lr=self.learning_rate, epochs=self.epochs,
            steps_per_epoch=-(-len(paths) // self.batch_size), pct_start=WARMUP_FRACTION)
        self.history_ = []
        for epoch in range(self.epochs):
            started = time.perf_counter()
            loss, accuracy = self._train_epoch(images, targets, optimizer, schedule, generator)
            self.history_.append({"epoch": epoch + 1, "loss": loss, "accuracy": accuracy,
                                  "seconds": time.perf_counter() - started})
            if self.verbose:
                print(f"cnn epoch {epoch + 1}/{self.epochs}: loss {loss:.4f}, train accuracy {accuracy:.3f}, "
                      f"{self.history_[-1]['seconds']:.1f} s", flush=True)
        return self

    def _train_epoch(self, images, targets, optimizer, schedule, generator):
        torch = require_torch()
        self.model_.train()
        total_loss, correct = 0.0, 0
        order = torch.randperm(len(images), generator=generator)
        for start in range(0, len(order), self.batch_size):
            index = order[start:start + self.batch_size]
            batch = to_float(images[index])
            if self.augment:
                batch = augment_batch(batch, generator)
            logits = self.model_(batch)
            loss = torch.nn.functional.cross_entropy(logits, targets[index])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total_loss += loss.item() * len(index)
            correct += int((logits.argmax(1) == targets[index]).sum())
        return total_loss / len(images), correct / len(images)

    def predict_proba(self, X):
        torch = require_torch()
        check_is_fitted(self, "model_")
        images = load_images(as_paths(X), self.image_size)
        self.model_.eval()
        chunks = []
        with torch.no_grad():
            for start in range(0, len(images), PREDICT_BATCH):
                logits = self.model_(to_float(images[start:start + PREDICT_BATCH]))
                chunks.append(torch.softmax(logits, dim=1).numpy())
        return np.concatenate(chunks) if chunks else np.empty((0, len(self.classes_)))

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

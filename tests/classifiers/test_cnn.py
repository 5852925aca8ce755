import builtins
import importlib.util
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

from landmarks.errors import UserError
from tests.conftest import SAMPLES

CNN_SOURCE = Path(__file__).resolve().parents[2] / "classifiers" / "cnn.py"
NO_TORCH = "PyTorch is not installed (pip install -r requirements-cnn.txt)"


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch", reason=NO_TORCH)


@pytest.fixture(scope="module")
def photos():
    """Four sample photos of each of three digits, as (paths, labels)."""
    chosen = [(str(path), digit) for digit in "017" for path in sorted((SAMPLES / digit).glob("*.JPG"))[:4]]
    if len(chosen) < 12:
        pytest.skip(f"sample photos missing from {SAMPLES}")
    paths, labels = zip(*chosen)
    return np.array(paths), np.array(labels)


@pytest.fixture(scope="module")
def fitted(torch, photos):
    from classifiers.cnn import CNNClassifier

    return CNNClassifier(epochs=2, batch_size=6, seed=3).fit(*photos)


@pytest.mark.parametrize("image_size", [64, 48], ids=["64px", "48px"])
def test_network_gives_one_logit_per_class(torch, image_size):
    from classifiers.cnn import build_network

    logits = build_network(n_classes=7, image_size=image_size)(torch.zeros(5, 3, image_size, image_size))
    assert tuple(logits.shape) == (5, 7)


def test_network_rejects_images_too_small_for_four_blocks(torch):
    from classifiers.cnn import build_network

    with pytest.raises(UserError, match="image_size 32 is too small"):
        build_network(n_classes=3, image_size=32)


def test_augment_moves_pixels_but_keeps_shape_and_range(torch):
    from classifiers.cnn import augment_batch

    images = torch.rand(4, 3, 16, 16)
    moved = augment_batch(images.clone(), torch.Generator().manual_seed(0))
    assert moved.shape == images.shape
    assert 0 <= float(moved.min()) and float(moved.max()) <= 1
    assert not torch.allclose(moved, images)


def test_training_steps_on_real_photos_lower_the_loss(torch, photos):
    from classifiers.cnn import build_network, load_images, to_float

    torch.manual_seed(0)
    network = build_network(n_classes=3)
    images = to_float(load_images(photos[0], 64))
    targets = torch.from_numpy(np.searchsorted(["0", "1", "7"], photos[1]))
    optimizer = torch.optim.Adam(network.parameters(), lr=3e-4)  # small enough to descend steadily
    network.eval()  # no dropout, so the losses compare the same function
    losses = []
    for _ in range(8):
        loss = torch.nn.functional.cross_entropy(network(images), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert np.isfinite(losses).all()
    assert losses[-1] < 0.9 * losses[0]


def test_fitted_model_gives_probabilities_over_its_classes(fitted, photos):
    paths, _ = photos
    probabilities = fitted.predict_proba(paths)
    assert list(fitted.classes_) == ["0", "1", "7"]
    assert probabilities.shape == (len(paths), 3)
    assert ((probabilities >= 0) & (probabilities <= 1)).all()
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, atol=1e-5)
    assert set(fitted.predict(paths)) <= {"0", "1", "7"}
    assert [row["epoch"] for row in fitted.history_] == [1, 2]
    assert np.isfinite([row["loss"] for row in fitted.history_]).all()


def test_same_seed_trains_the_same_model(fitted, photos):
    again = clone(fitted).fit(*photos)
    np.testing.assert_allclose(again.predict_proba(photos[0]), fitted.predict_proba(photos[0]), atol=1e-5)


def test_clone_keeps_settings_and_drops_the_network(fitted):
    copy = clone(fitted)
    assert copy.get_params() == fitted.get_params()
    assert not hasattr(copy, "model_")


def test_unreadable_image_stops_fit_naming_it(torch, photos, tmp_path):
    from classifiers.cnn import CNNClassifier

    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a photo")
    paths = [*photos[0][:3], str(broken)]
    with pytest.raises(UserError, match="broken.jpg"):
        CNNClassifier(epochs=1).fit(paths, ["0", "0", "1", "1"])


@pytest.fixture
def cnn_without_torch(monkeypatch):
    """classifiers/cnn.py imported afresh while `import torch` fails."""
    real_import = builtins.__import__

    def import_without_torch(name, *args, **kwargs):
        if name == "torch" or name.startswith("torch."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)

    # Not sys.modules["torch"] = None: SciPy reads that entry and would break.
    monkeypatch.setattr(builtins, "__import__", import_without_torch)
    spec = importlib.util.spec_from_file_location("cnn_without_torch", CNN_SOURCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_without_torch_require_torch_names_the_requirements_file(cnn_without_torch):
    with pytest.raises(UserError, match=r"--cnn needs PyTorch: pip install -r requirements-cnn.txt"):
        cnn_without_torch.require_torch()


def test_without_torch_fit_raises_the_same_user_error(cnn_without_torch):
    model = clone(cnn_without_torch.CNNClassifier(epochs=1))
    with pytest.raises(UserError, match="needs PyTorch"):
        model.fit(["a.jpg", "b.jpg"], ["0", "1"])


@pytest.mark.parametrize("settings, labels, message", [
    ({}, ["0"] * 11, "one label per image"),
    ({}, ["0"] * 12, "at least two labels"),
    ({"epochs": 0}, ["0", "1"] * 6, "epochs and batch_size of at least 1"),
], ids=["label-count", "one-label", "zero-epochs"])
def test_fit_rejects_unusable_input(torch, photos, settings, labels, message):
    from classifiers.cnn import CNNClassifier

    with pytest.raises(UserError, match=message):
        CNNClassifier(**settings).fit(photos[0], labels)

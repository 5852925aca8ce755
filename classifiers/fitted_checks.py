"""Checks of a loaded pipeline's fitted arrays, before anything predicts with them.

scikit-learn's compiled code (tree traversal, libsvm, k-means) trusts that a fitted estimator's arrays
agree with each other: a tree child or feature index out of range reads outside memory. A model file
is data from outside, so every step of a loaded pipeline must be a type `train` saves, and its arrays
must have the shapes, dtypes and index ranges that type's `fit` produces. `check_pipeline` says what
is wrong in a few words (ValueError) or returns the number of values the pipeline reads.
"""
import numpy as np
from sklearn.cluster import MiniBatchKMeans
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import LabelBinarizer, StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from classifiers.image_features import HOGFeatures, ORBBagOfWords

ORB_BITS = 256  # an ORB descriptor is 32 bytes, unpacked to bits for k-means
MAX_JOBS = 256  # a crafted n_jobs must not start a million threads


class FittedError(ValueError):
    """What is wrong with a loaded pipeline, in a few words."""


def require(condition, problem):
    if not condition:
        raise FittedError(problem)


def array(owner, name, shape, kinds="f"):
    """`owner.name`, checked to be a numpy array of `shape` (None: any length) and a dtype kind in `kinds`."""
    value = getattr(owner, name, None)
    label = f"{type(owner).__name__}.{name}"
    require(isinstance(value, np.ndarray), f"{label} is missing")
    require(value.dtype.kind in kinds and value.ndim == len(shape)
            and all(want is None or want == got for want, got in zip(shape, value.shape)),
            f"{label} has shape {value.shape} ({value.dtype}), not {tuple('?' if s is None else s for s in shape)}")
    require(value.dtype.kind not in "fc" or np.isfinite(value).all(), f"{label} holds NaN or infinity")
    return value


def count(owner, name, low=0, high=None):
    value = getattr(owner, name, None)
    require(isinstance(value, (int, np.integer)) and not isinstance(value, bool)
            and low <= value and (high is None or value <= high),
            f"{type(owner).__name__}.{name} is {value!r}, not a count from {low} to {high or 'any'}")
    return int(value)


def jobs(owner):
    value = getattr(owner, "n_jobs", None)
    require(value is None or (isinstance(value, (int, np.integer)) and -1 <= value <= MAX_JOBS and value != 0),
            f"{type(owner).__name__}.n_jobs is {value!r}")


def classes(owner, n_classes=None):
    found = array(owner, "classes_", (n_classes,), "UOifb")
    require(len(found) >= 2 and len(set(found.tolist())) == len(found),
            f"{type(owner).__name__}.classes_ needs two or more distinct labels")
    return found


# --- one check per step type: (step, n_features in) -> n_features out ----------------------------------


def scaler(step, width):
    require(step.n_features_in_ == width, f"StandardScaler reads {step.n_features_in_} values, not {width}")
    for name in ("mean_", "var_", "scale_"):
        array(step, name, (width,))
    return width


def hog(step, width):
    for name, low, high in (("size", 8, 1024), ("cell", 2, 128), ("block_cells", 1, 16), ("bins", 1, 64)):
        count(step, name, low, high)
    try:
        expected = int(step._descriptor().getDescriptorSize())
    except Exception as error:  # noqa: BLE001 -- OpenCV refuses inconsistent HOG geometry in its own way
        raise FittedError(f"HOGFeatures settings are inconsistent ({type(error).__name__})") from None
    require(getattr(step, "n_features_out_", None) == expected,
            "HOGFeatures.n_features_out_ disagrees with its settings")
    return expected


def bag_of_words(step, width):
    words = count(step, "n_words", 1, 100_000)
    count(step, "size", 32, 4096)
    count(step, "max_keypoints", 1, 100_000)
    codebook = getattr(step, "codebook_", None)
    require(type(codebook) is MiniBatchKMeans, "ORBBagOfWords.codebook_ is not a k-means codebook")
    array(codebook, "cluster_centers_", (words, ORB_BITS))
    require(codebook.cluster_centers_.dtype in (np.float32, np.float64), "the k-means centres are not floats")
    require(codebook.n_features_in_ == ORB_BITS, f"the k-means codebook reads {codebook.n_features_in_} values")
    count(codebook, "_n_threads", 1, MAX_JOBS)
    return words


def svc(step, width, n_classes):
    require(step.kernel in ("linear", "poly", "rbf", "sigmoid") and "_impl" not in vars(step)
            and step._sparse is False, f"SVC kernel {step.kernel!r} or its kind is not one `train` saves")
    n_support = array(step, "_n_support", (n_classes,), "i")
    vectors = array(step, "support_vectors_", (None, width))
    require(n_support.dtype == np.int32 and (n_support >= 0).all() and n_support.sum() == len(vectors),
            "SVC support vector counts disagree with its support vectors")
    require(vectors.dtype == np.float64, "SVC support vectors are not float64")
    array(step, "support_", (len(vectors),), "i")
    array(step, "_dual_coef_", (n_classes - 1, len(vectors)))
    pairs = n_classes * (n_classes - 1) // 2
    for name in ("_intercept_", "_probA", "_probB"):
        require(array(step, name, (None,)).shape in ((pairs,), (0,)), f"SVC.{name} does not match {n_classes} labels")
    array(step, "class_weight_", (n_classes,))
    require(isinstance(step.shape_fit_, tuple) and len(step.shape_fit_) == 2 and step.shape_fit_[1] == width,
            "SVC.shape_fit_ disagrees with its width")
    require(np.isfinite(float(step._gamma)) and count(step, "degree", 0, 100) >= 0, "SVC gamma is not a number")
    return width


def knn(step, width, n_classes):
    samples = count(step, "n_samples_fit_", 1)
    array(step, "_fit_X", (samples, width))
    labels = array(step, "_y", (samples,), "i")
    require(((labels >= 0) & (labels < n_classes)).all(), "KNeighborsClassifier._y holds a label index out of range")
    # The brute-force search reads only _fit_X; a KD or ball tree has index arrays of its own.
    require(step._fit_method == "brute" and step._tree is None, "KNeighborsClassifier is not a brute-force search")
    require(step.effective_metric_ in ("euclidean", "manhattan", "minkowski")
            and step.weights in ("uniform", "distance") and not step.outputs_2d_,
            "KNeighborsClassifier metric or weights are not ones `train` saves")
    count(step, "n_neighbors", 1, samples)
    jobs(step)
    return width


def logreg(step, width, n_classes):
    rows = 1 if n_classes == 2 else n_classes
    array(step, "coef_", (rows, width))
    array(step, "intercept_", (rows,))
    return width


def mlp(step, width, n_classes):
    coefs, intercepts = getattr(step, "coefs_", None), getattr(step, "intercepts_", None)
    require(isinstance(coefs, list) and isinstance(intercepts, list) and len(coefs) == len(intercepts) >= 1
            and count(step, "n_layers_", 2) == len(coefs) + 1, "MLPClassifier layers disagree with each other")
    outputs = 1 if n_classes == 2 else n_classes
    sizes = [width] + [getattr(c, "shape", (0, 0))[-1] for c in coefs]
    require(sizes[-1] == outputs and step.n_outputs_ == outputs,
            f"MLPClassifier gives {sizes[-1]} outputs, not {outputs}")
    for layer, (coef, intercept) in enumerate(zip(coefs, intercepts)):
        require(isinstance(coef, np.ndarray) and coef.shape == (sizes[layer], sizes[layer + 1])
                and isinstance(intercept, np.ndarray) and intercept.shape == (sizes[layer + 1],)
                and np.isfinite(coef).all() and np.isfinite(intercept).all(),
                f"MLPClassifier layer {layer} has a wrong shape")
    require(step.activation in ("identity", "logistic", "tanh", "relu")
            and step.out_activation_ == ("logistic" if n_classes == 2 else "softmax"),
            "MLPClassifier activations are not ones `train` saves")
    binarizer = step._label_binarizer
    require(type(binarizer) is LabelBinarizer and np.array_equal(binarizer.classes_, step.classes_),
            "MLPClassifier label binarizer disagrees with its labels")
    return width


def forest(step, width, n_classes):
    trees = getattr(step, "estimators_", None)
    require(isinstance(trees, list) and trees, "RandomForestClassifier has no trees")
    require(count(step, "n_outputs_", 1, 1) == 1 and step.n_classes_ == n_classes,
            "RandomForestClassifier outputs disagree with its labels")
    jobs(step)
    for number, tree in enumerate(trees):
        require(type(tree) is DecisionTreeClassifier and tree.n_features_in_ == width and tree.n_outputs_ == 1
                and tree.n_classes_ == n_classes, f"tree {number} disagrees with its forest")
        nodes(tree.tree_, width, n_classes, number)
    return width


def nodes(tree, width, n_classes, number):
    """A tree's nodes: each child after its parent (no cycle) and named once, every split on a real feature."""
    where = f"tree {number}"
    require(tree.n_features == width and tree.n_outputs == 1 and list(tree.n_classes) == [n_classes]
            and tree.value.shape == (tree.node_count, 1, n_classes) and tree.node_count >= 1,
            f"{where} has shapes that disagree with its forest")
    left, right, feature = tree.children_left, tree.children_right, tree.feature
    index = np.arange(tree.node_count)
    leaf = (left == -1) & (right == -1)
    inner = ~leaf
    require((left[inner] > index[inner]).all() and (right[inner] > index[inner]).all()
            and (left[inner] < tree.node_count).all() and (right[inner] < tree.node_count).all(),
            f"{where} has a child index out of range")
    children = np.concatenate([left[inner], right[inner]])
    require(len(np.unique(children)) == len(children) == tree.node_count - 1, f"{where} has a node with two parents")
    require(((feature[inner] >= 0) & (feature[inner] < width)).all() and (feature[leaf] == -2).all(),
            f"{where} splits on a feature index past the {width} features")


TRANSFORMS = {StandardScaler: scaler, HOGFeatures: hog, ORBBagOfWords: bag_of_words}
CLASSIFIERS = {SVC: svc, KNeighborsClassifier: knn, LogisticRegression: logreg, MLPClassifier: mlp,
               RandomForestClassifier: forest}


def check_pipeline(pipeline, labels):
    """The number of values `pipeline` reads (None for image paths), or FittedError saying what is wrong.

    `pipeline` is a Pipeline of TRANSFORMS ending in one of CLASSIFIERS (or that classifier alone), fitted
    on `labels`, the bundle's list of label strings."""
    try:
        return _checked_width(pipeline, labels)
    except (AttributeError, TypeError, ValueError, IndexError, KeyError) as error:
        if isinstance(error, FittedError):
            raise
        raise FittedError(f"its fitted attributes are malformed ({type(error).__name__}: {error})") from None


def _checked_width(pipeline, labels):
    steps = [step for _, step in pipeline.steps] if type(pipeline) is Pipeline else [pipeline]
    *transforms, last = steps
    require(type(last) in CLASSIFIERS and all(type(step) in TRANSFORMS for step in transforms),
            f"a {' -> '.join(type(step).__name__ for step in steps)} pipeline is not one `train` saves")
    reads = None if type(steps[0]) in (HOGFeatures, ORBBagOfWords) else count(steps[0], "n_features_in_", 1)
    width = reads
    for step in transforms:
        width = TRANSFORMS[type(step)](step, width)
    require(count(last, "n_features_in_", 1) == width, f"{type(last).__name__} reads {last.n_features_in_} values, "
            f"its input has {width}")
    n_classes = len(classes(last))
    require([str(c) for c in last.classes_] == list(labels), "lists labels that differ from its classifier's")
    CLASSIFIERS[type(last)](last, width, n_classes)
    return reads

import numpy as np
import pytest

from newsift.techniques.trees import BoostedTrees


def two_trees() -> BoostedTrees:
    """Tree 0 (depth 2): x0 <= 0 → (x1 <= 1 → 1.0 | 2.0) | 3.0. Tree 1 (depth 1): x1 <= 5 → 10 | 20."""
    inf = np.inf
    return BoostedTrees(
        feature=np.array([0, 1, 0, 0, 0, 1, 0, 0]),
        threshold=np.array([0.0, 1.0, inf, inf, inf, 5.0, inf, inf]),
        children=np.array([[1, 4], [2, 3], [2, 2], [3, 3], [4, 4], [6, 7], [6, 6], [7, 7]]),
        value=np.array([0, 0, 1.0, 2.0, 3.0, 0, 10.0, 20.0]),
        roots=np.array([0, 5]),
        depths=np.array([2, 1]),
        baseline=0.5,
    )


def test_each_row_sums_its_leaf_in_every_tree_plus_the_baseline():
    x = np.array([[-1.0, 0.0], [-1.0, 2.0], [1.0, 9.0], [0.0, 5.0]])
    np.testing.assert_array_equal(two_trees().predict(x), [11.5, 12.5, 23.5, 12.5])
    assert two_trees().predict(np.zeros((0, 2))).shape == (0,)


def test_arrays_round_trip(tmp_path):
    path = tmp_path / "trees.npz"
    np.savez_compressed(path, **two_trees().arrays("coverage"))
    with np.load(path) as z:
        again = BoostedTrees.from_arrays(z, "coverage")
    x = np.random.default_rng(0).normal(size=(50, 2)) * 4
    np.testing.assert_array_equal(again.predict(x), two_trees().predict(x))


def test_a_scikit_learn_regressor_predicts_the_same():
    ensemble = pytest.importorskip("sklearn.ensemble")
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3000, 6))
    y = np.sin(x[:, 0]) + x[:, 1] * x[:, 2] + 0.1 * rng.normal(size=3000)
    model = ensemble.HistGradientBoostingRegressor(max_iter=60, max_leaf_nodes=15, early_stopping=False,
                                                   random_state=0).fit(x, y)
    trees = BoostedTrees.of(model)
    assert len(trees.roots) == 60 and (np.diff(trees.depths) <= 0).all() and trees.depths[-1] < trees.depths[0]
    test = rng.normal(size=(400, 6)) * 1.5
    np.testing.assert_allclose(trees.predict(test), model.predict(test), rtol=0, atol=1e-12)

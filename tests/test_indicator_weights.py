"""The bundled weights of the learned indicator component (resources/indicator_weights.npz): they fit the bundled
training table, the default model uses them, they hold numbers only, and stale weights fall back loudly."""

from __future__ import annotations

import io
import json
import logging
import zipfile
from importlib import resources

import numpy as np
import pytest

from lawgov_analysis.core.resources import resource_text
from lawgov_analysis.measures import indicator_model as im
from lawgov_analysis.measures import indicator_weights as iw
from lawgov_analysis.measures.indicators import indicator_labels


@pytest.fixture(scope="module")
def weights() -> iw.Weights:
    w = iw.bundled_weights()
    assert w is not None, "resources/indicator_weights.npz is missing"
    return w


@pytest.fixture(scope="module")
def alone() -> im.IndicatorModel:
    """The model fitted on the bundled table alone (a few seconds: fitted once for the module)."""
    return im.IndicatorModel().fit(im.load_training_table())


def test_weights_fit_the_bundled_training_table(weights):
    # a changed training table needs `python benchmarks/fit_indicator_weights.py --texts DIR` (the page texts)
    assert weights.meta["model"] == iw.MODEL_KIND == "multinomial_logistic"
    assert weights.meta["training_digest"] == iw.training_digest(resource_text("indicator_training.csv"))
    vocab = im.IndicatorModel().fit_vocabulary(im.load_training_table())
    assert weights.meta["columns"] == len(vocab.weights_) == weights.coef.shape[1]
    assert weights.meta["vocabulary_digest"] == vocab.vocabulary_digest()
    assert weights.coef.shape == (len(weights.classes), weights.meta["columns"])
    assert weights.intercept.shape == (len(weights.classes),)
    assert list(weights.classes) == sorted(weights.classes)
    assert set(weights.classes) <= set(indicator_labels()["indicator_id"]) | {"other"}


def test_weights_were_fitted_on_real_mentions_and_no_held_out_split(weights):
    meta = weights.meta
    assert meta["real_mentions"] == sum(meta["splits"].values()) >= 1700
    assert meta["real_pages"] >= 300
    held = set(meta["held_out_splits"]) | set(meta["excluded_splits"])
    assert meta["held_out_splits"] and not any(group.split("-b")[0] in held for group in meta["splits"])
    assert meta["bundled_mentions"] == len(im.load_training_table())


def test_the_file_holds_numbers_and_a_description_only():
    data = resources.files("lawgov_analysis").joinpath("resources", iw.WEIGHTS_FILE).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert sorted(z.namelist()) == ["classes.npy", "coef.npy", "intercept.npy", "meta.npy"]
    w = iw.bundled_weights()
    assert w.coef.dtype == np.float32 and w.intercept.dtype == np.float64
    assert set(w.meta) == {"model", "training_digest", "columns", "vocabulary_digest", "C", "bundled_mentions", "real_mentions", "real_pages",
                           "splits", "held_out_splits", "excluded_splits", "fitted_by", "fitted_on"}
    assert np.isfinite(w.coef).all() and np.abs(w.coef).max() < 100


def test_default_model_uses_the_bundled_weights(weights, alone):
    model = im.default_model()
    assert list(model.classes_) == list(weights.classes)
    np.testing.assert_array_equal(model.coef_, weights.coef.astype(np.float64))
    np.testing.assert_array_equal(model.intercept_, weights.intercept)
    # not the model of the bundled table alone
    j, k = list(alone.classes_).index("review.cases"), list(model.classes_).index("review.cases")
    assert alone.coef_.shape[1] == model.coef_.shape[1]
    assert not np.allclose(alone.coef_[j], model.coef_[k])


def test_saving_is_byte_identical_and_round_trips(tmp_path, weights):
    a = iw.save_weights(tmp_path / "a.npz", classes=weights.classes, coef=weights.coef,
                        intercept=weights.intercept, meta=weights.meta)
    b = iw.save_weights(tmp_path / "b.npz", classes=weights.classes, coef=weights.coef,
                        intercept=weights.intercept, meta=dict(reversed(list(weights.meta.items()))))
    assert a.read_bytes() == b.read_bytes()
    with np.load(a) as z:
        assert json.loads(str(z["meta"])) == weights.meta
        np.testing.assert_array_equal(z["coef"], weights.coef)


@pytest.mark.parametrize("key", ["training_digest", "vocabulary_digest", "model"])
def test_stale_weights_fall_back_to_the_table_with_a_warning(monkeypatch, caplog, weights, alone, key):
    # "model": weights of another model (the round-10 linear SVM's) are never read as this model's
    stale = weights._replace(meta={**weights.meta, key: "0" * 64})
    monkeypatch.setattr(im, "bundled_weights", lambda: stale)
    im.default_model.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger=im.__name__):
            model = im.default_model()
        assert "fitted against another indicator_training.csv or other features" in caplog.text
        np.testing.assert_array_equal(model.coef_, alone.coef_)
    finally:
        im.default_model.cache_clear()


def test_coefficients_of_the_wrong_shape_are_refused():
    model = im.IndicatorModel().fit_vocabulary(im.load_training_table())
    width = len(model.weights_)
    with pytest.raises(ValueError, match="do not fit 2 classes"):
        model.set_coefficients(["a", "b"], np.zeros((2, width - 1)), np.zeros(2))
    model.set_coefficients(["a", "b"], np.zeros((2, width)), np.array([0.5, -0.5]))
    rows = list(im.mention_features("受理行政复议申请17件", [(8, 11, "件")]).itertuples(index=False, name=None))
    assert model.predict_rows(rows)[0].indicator_id == "a"

"""EvaluateModel step of the tabular model build (a SageMaker Processing job, built-in XGBoost image).

Loads the trained model (model.tar.gz of the training job), predicts the test set written by
prepare.py (label first, with header) and writes:

  evaluation/evaluation.json    {"problem_type", "test_rows", "metrics": {<metric>: {"value": x}}}
                                regression: rmse, mae; binary and multiclass: auc, f1 (the gate reads
                                metrics.<GATE_METRIC>.value, a pipeline property file)
  predictions/predictions.csv   header prediction[,probability],label: the model-quality baseline input

An undefined metric (a test set with one class only) exits 1 naming it. Edit freely: the pipeline
relies only on the arguments, the paths and the keys above (test/processing-contract.test.ts).
"""

import argparse
import json
import os
import pickle
import sys
import tarfile

import numpy as np
import pandas as pd
import xgboost
from sklearn.metrics import f1_score, mean_absolute_error, mean_squared_error, roc_auc_score

MODEL_DIR = "/opt/ml/processing/input/model"
TEST_DIR = "/opt/ml/processing/input/test"
EVALUATION_FILE = "/opt/ml/processing/output/evaluation/evaluation.json"
PREDICTIONS_FILE = "/opt/ml/processing/output/predictions/predictions.csv"


def fail(message):
    print(f"evaluate: {message}", file=sys.stderr)
    sys.exit(1)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problem-type", required=True, choices=["regression", "binary", "multiclass"])
    return parser.parse_args(argv)


def load_model():
    with tarfile.open(os.path.join(MODEL_DIR, "model.tar.gz")) as archive:
        archive.extractall(MODEL_DIR)
    path = os.path.join(MODEL_DIR, "xgboost-model")
    booster = xgboost.Booster()
    try:
        booster.load_model(path)
    except xgboost.core.XGBoostError:
        with open(path, "rb") as file:  # older built-in versions pickle the booster
            booster = pickle.load(file)
    return booster


def metric(name, compute):
    try:
        return float(compute())
    except ValueError as error:
        fail(f"{name} is undefined on this test set: {error}")


def main(argv=None):
    args = parse_args(argv)
    test = pd.read_csv(os.path.join(TEST_DIR, "test.csv"))
    labels = test["label"].to_numpy()
    scores = load_model().predict(xgboost.DMatrix(test.drop(columns=["label"]).to_numpy()))
    if args.problem_type == "regression":
        predictions = pd.DataFrame({"prediction": scores, "label": labels})
        metrics = {
            "rmse": metric("rmse", lambda: np.sqrt(mean_squared_error(labels, scores))),
            "mae": metric("mae", lambda: mean_absolute_error(labels, scores)),
        }
    elif args.problem_type == "binary":
        predicted = (scores >= 0.5).astype(int)
        predictions = pd.DataFrame({"prediction": predicted, "probability": scores, "label": labels.astype(int)})
        metrics = {
            "auc": metric("auc", lambda: roc_auc_score(labels, scores)),
            "f1": metric("f1", lambda: f1_score(labels, predicted)),
        }
    else:
        predicted = np.argmax(scores, axis=1)
        predictions = pd.DataFrame({"prediction": predicted, "label": labels.astype(int)})
        metrics = {
            "auc": metric("auc", lambda: roc_auc_score(labels, scores, multi_class="ovr", average="macro")),
            "f1": metric("f1", lambda: f1_score(labels, predicted, average="macro")),
        }
    for path in (EVALUATION_FILE, PREDICTIONS_FILE):
        os.makedirs(os.path.dirname(path), exist_ok=True)
    predictions.to_csv(PREDICTIONS_FILE, index=False)
    report = {
        "problem_type": args.problem_type,
        "test_rows": int(len(test)),
        "metrics": {name: {"value": value} for name, value in metrics.items()},
    }
    with open(EVALUATION_FILE, "w", encoding="utf-8") as out:
        json.dump(report, out, indent=2)
    print(json.dumps(report))


if __name__ == "__main__":
    main()

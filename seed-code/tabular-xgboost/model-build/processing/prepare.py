"""PrepareData step of the tabular model build (a SageMaker Processing job, scikit-learn image).

Reads every .csv file under the data input (each with the same header row), encodes the target
(regression: numbers; binary/multiclass: the sorted distinct values become 0..K-1) and the
categorical features (one column per value), shuffles with a fixed seed and writes:

  train/train.csv, validation/validation.csv   label first, no header (built-in XGBoost CSV input)
  test/test.csv                                label first, with header (evaluate.py)
  baseline/baseline.csv                        training features, with header (data-quality baseline)
  report/prepare.json                          rows, columns, classes, num_class (pipeline property file)

Bad input (no file, a header that differs, a missing or unusable target) exits 1 with a message
naming the problem. Edit freely: the pipeline relies only on the arguments, the paths and the
report keys above (test/processing-contract.test.ts checks them against the definition).
"""

import argparse
import glob
import json
import os
import sys

import numpy as np
import pandas as pd

INPUT_DIR = "/opt/ml/processing/input/data"
OUTPUT_DIR = "/opt/ml/processing/output"
REPORT_FILE = "report/prepare.json"


def fail(message):
    print(f"prepare: {message}", file=sys.stderr)
    sys.exit(1)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target-column", required=True)
    parser.add_argument("--problem-type", required=True, choices=["regression", "binary", "multiclass"])
    parser.add_argument("--test-fraction", type=float, required=True)
    parser.add_argument("--validation-fraction", type=float, required=True)
    parser.add_argument("--seed", type=int, required=True)
    return parser.parse_args(argv)


def read_data():
    files = sorted(
        f
        for f in glob.glob(os.path.join(INPUT_DIR, "**", "*.csv"), recursive=True)
        if not os.path.basename(f).startswith(("_", "."))
    )
    if not files:
        fail(f"no .csv file under the input data prefix ({INPUT_DIR})")
    frames = [pd.read_csv(f) for f in files]
    columns = list(frames[0].columns)
    for name, frame in zip(files, frames):
        if list(frame.columns) != columns:
            fail(f"{name}: header {list(frame.columns)} differs from {files[0]}'s {columns}")
    return pd.concat(frames, ignore_index=True), len(files)


def encode_target(values, problem_type, column):
    if values.isna().any():
        fail(f"target column {column!r} is empty in {int(values.isna().sum())} rows")
    if problem_type == "regression":
        numbers = pd.to_numeric(values, errors="coerce")
        if numbers.isna().any():
            fail(f"target column {column!r} is not numeric in {int(numbers.isna().sum())} rows")
        return numbers.astype(float), []
    classes = sorted(values.astype(str).unique())
    if problem_type == "binary" and len(classes) != 2:
        fail(f"binary problem: target column {column!r} has {len(classes)} distinct values, not 2")
    if problem_type == "multiclass" and len(classes) < 3:
        fail(f"multiclass problem: target column {column!r} has {len(classes)} distinct values (at least 3)")
    index = {label: i for i, label in enumerate(classes)}
    return values.astype(str).map(index).astype(int), classes


def split(rows, test_fraction, validation_fraction, seed):
    order = np.random.default_rng(seed).permutation(rows)
    test = max(1, int(round(rows * test_fraction)))
    validation = max(1, int(round(rows * validation_fraction)))
    if rows - test - validation < 1:
        fail(f"{rows} rows are too few to split into train, validation and test")
    return order[test + validation :], order[test : test + validation], order[:test]


def write_csv(frame, relative, header):
    path = os.path.join(OUTPUT_DIR, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    frame.to_csv(path, header=header, index=False)


def main(argv=None):
    args = parse_args(argv)
    data, file_count = read_data()
    if args.target_column not in data.columns:
        fail(f"target column {args.target_column!r} is not in the header {list(data.columns)}")
    target, classes = encode_target(data[args.target_column], args.problem_type, args.target_column)
    raw = data.drop(columns=[args.target_column])
    categorical = [c for c in raw.columns if raw[c].dtype == object]
    features = pd.get_dummies(raw, columns=categorical, dtype=float).astype(float)
    train, validation, test = split(len(data), args.test_fraction, args.validation_fraction, args.seed)
    labelled = pd.concat([target.rename("label"), features], axis=1)
    write_csv(labelled.iloc[train], "train/train.csv", header=False)
    write_csv(labelled.iloc[validation], "validation/validation.csv", header=False)
    write_csv(labelled.iloc[test], "test/test.csv", header=True)
    write_csv(features.iloc[train], "baseline/baseline.csv", header=True)
    report = {
        "files": file_count,
        "rows": len(data),
        "train_rows": len(train),
        "validation_rows": len(validation),
        "test_rows": len(test),
        "target_column": args.target_column,
        "problem_type": args.problem_type,
        "feature_columns": list(features.columns),
        "categorical_columns": categorical,
        "classes": classes,
        "num_class": max(len(classes), 1),
    }
    os.makedirs(os.path.dirname(os.path.join(OUTPUT_DIR, REPORT_FILE)), exist_ok=True)
    with open(os.path.join(OUTPUT_DIR, REPORT_FILE), "w", encoding="utf-8") as out:
        json.dump(report, out, indent=2)
    print(json.dumps({k: v for k, v in report.items() if k != "feature_columns"}))


if __name__ == "__main__":
    main()

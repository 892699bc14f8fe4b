"""PrepareData step of the tabular model build (a SageMaker Processing job, scikit-learn image).

Reads every .csv and .parquet file under the data input (one kind or both, all with the same
columns), encodes the target (regression: numbers; binary/multiclass: the sorted distinct values
become 0..K-1) and the categorical features (one column per value), shuffles with a fixed seed and
writes:

  train/train.csv, validation/validation.csv   label first, no header (built-in XGBoost CSV input)
  test/test.csv                                label first, with header (evaluate.py)
  baseline/baseline.csv                        training features of the newest --baseline-window-hours
                                               by event time, with header (data-quality baseline)
  sample/sample.csv                            features of the first SAMPLE_ROWS test rows, no header, no
                                               label (the model package's sample_payload: a request the
                                               built-in XGBoost endpoint takes)
  report/prepare.json                          rows, columns, classes, num_class (pipeline property file)

--record-identifier-column and --event-time-column name columns that are no features (the synthetic
generator's record_id and event_time, a Feature Group's, or those config/pipeline.json names for s3).
The baseline holds the training rows whose event time is within --baseline-window-hours of the newest
event time, so that after a shift a retrained model's baseline describes the shifted data (training
still uses every row); without an event-time column it is the whole training split, with a warning.
With --feature-group-offline-store (both columns required) the input is a Feature Store offline store
(DATA_SOURCE_TYPE=feature-group): the latest version of each record is kept, deleted records are
dropped, and Feature Store's own columns are no features either.

Bad input (no file, columns that differ, a missing or unusable target, Parquet without an engine)
exits 1 with a message naming the problem. Edit freely: the pipeline relies only on the arguments,
the paths, the report keys and the sample file (features only, no header: the staging endpoint test
sends it) above (test/processing-contract.test.ts checks them against the definition;
test/prepare-script.test.ts runs the script where pandas is installed).
"""

import argparse
import glob
import importlib.util
import json
import os
import sys

import numpy as np
import pandas as pd

INPUT_DIR = "/opt/ml/processing/input/data"
OUTPUT_DIR = "/opt/ml/processing/output"
REPORT_FILE = "report/prepare.json"
SAMPLE_FILE = "sample/sample.csv"
SAMPLE_ROWS = 5

# The columns Feature Store adds to every record of an offline store (Developer Guide, "Amazon
# SageMaker Feature Store offline store data format"); a feature may not have these names.
FEATURE_STORE_COLUMNS = ["write_time", "api_invocation_time", "is_deleted"]
# pandas.read_parquet needs one of these (the scikit-learn 1.2-1 image installs pyarrow: its
# Dockerfile in aws/sagemaker-scikit-learn-container, docker/1.2-1/base/Dockerfile.cpu).
PARQUET_ENGINES = ["pyarrow", "fastparquet"]


def fail(message):
    print(f"prepare: {message}", file=sys.stderr)
    sys.exit(1)


def warn(message):
    print(f"prepare: warning: {message}", file=sys.stderr)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target-column", required=True)
    parser.add_argument("--problem-type", required=True, choices=["regression", "binary", "multiclass"])
    parser.add_argument("--test-fraction", type=float, required=True)
    parser.add_argument("--validation-fraction", type=float, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--baseline-window-hours", type=int, required=True)
    parser.add_argument("--record-identifier-column")
    parser.add_argument("--event-time-column")
    parser.add_argument("--feature-group-offline-store", action="store_true")
    args = parser.parse_args(argv)
    if args.baseline_window_hours < 1:
        parser.error(f"--baseline-window-hours {args.baseline_window_hours}: must be at least 1")
    identity = [args.record_identifier_column, args.event_time_column]
    if args.feature_group_offline_store and None in identity:
        parser.error("--feature-group-offline-store needs --record-identifier-column and --event-time-column")
    if identity[0] is not None and identity[0] == identity[1]:
        parser.error("--record-identifier-column and --event-time-column must differ")
    return args


def input_files(input_dir):
    """The .csv and .parquet files under input_dir (any depth; names starting with _ or . ignored)."""
    found = {}
    for extension in ("csv", "parquet"):
        found[extension] = sorted(
            f
            for f in glob.glob(os.path.join(input_dir, "**", f"*.{extension}"), recursive=True)
            if not os.path.basename(f).startswith(("_", "."))
        )
    return found["csv"], found["parquet"]


def parquet_engine():
    """The first importable Parquet engine of pandas, or None."""
    return next((e for e in PARQUET_ENGINES if importlib.util.find_spec(e) is not None), None)


def read_data(input_dir):
    csv_files, parquet_files = input_files(input_dir)
    if not csv_files and not parquet_files:
        fail(f"no .csv or .parquet file under the input data prefix ({input_dir})")
    engine = parquet_engine() if parquet_files else None
    if parquet_files and engine is None:
        fail(
            f"{len(parquet_files)} .parquet files under {input_dir} (e.g. {parquet_files[0]}) but no Parquet "
            f"engine is importable ({' or '.join(PARQUET_ENGINES)}): run this step on an image with pyarrow, "
            "or convert the files to CSV with a header row"
        )
    files = csv_files + parquet_files
    frames = [pd.read_csv(f) for f in csv_files] + [pd.read_parquet(f, engine=engine) for f in parquet_files]
    columns = list(frames[0].columns)
    for name, frame in zip(files, frames):
        if set(frame.columns) != set(columns):
            missing = [c for c in columns if c not in frame.columns]
            extra = [c for c in frame.columns if c not in columns]
            fail(f"{name}: columns differ from {files[0]}'s (missing {missing}, extra {extra})")
    data = pd.concat([frame[columns] for frame in frames], ignore_index=True)
    return data, {"files": len(files), "csv_files": len(csv_files), "parquet_files": len(parquet_files)}


def ordering(values, column):
    """Sortable values of a time column: numbers as they are, text as UTC date-times."""
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return values
    parsed = pd.to_datetime(values, utc=True, errors="coerce")
    if parsed.isna().any():
        fail(f"column {column!r}: {int(parsed.isna().sum())} values are neither numbers nor date-times")
    return parsed


def event_times(values, column):
    """A time column as UTC date-times: numbers are Unix seconds, text ISO-8601 (a Feature Store event
    time is one or the other: SageMaker API Reference, "CreateFeatureGroup", EventTimeFeatureName:
    Fractional values are a Unix timestamp in seconds, String values ISO-8601)."""
    if pd.api.types.is_numeric_dtype(values):
        return pd.to_datetime(values, unit="s", utc=True)
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.tz_localize("UTC") if values.dt.tz is None else values.dt.tz_convert("UTC")
    return ordering(values, column)


def baseline_rows(train, times, window_hours):
    """The training rows the data-quality baseline describes, and the report's words about them.

    With event times: the training rows within window_hours of the newest event time of the data,
    (newest - window, newest]; if none is (a split of very few rows), the whole training split, with
    a warning. Without: the whole training split, with a warning.
    """
    if times is None:
        warn(
            "no event-time column (--event-time-column): the data-quality baseline describes the whole "
            f"training split, not the newest {window_hours} h"
        )
        return train, {"baseline_window_hours": None, "baseline_from": None, "baseline_to": None}
    newest = times.max()
    start = newest - pd.Timedelta(hours=window_hours)
    recent = train[(times.iloc[train] > start).to_numpy()]
    if len(recent) == 0:
        warn(
            f"no training row within {window_hours} h of the newest event time {newest.isoformat()}: "
            "the data-quality baseline describes the whole training split"
        )
        return train, {"baseline_window_hours": None, "baseline_from": None, "baseline_to": None}
    window = {
        "baseline_window_hours": window_hours,
        "baseline_from": start.isoformat(),
        "baseline_to": newest.isoformat(),
    }
    return recent, window


def latest_records(data, record_id, event_time):
    """A Feature Store offline store as the online store would hold it.

    The offline store keeps every version of a record, and DeleteRecord appends a version with
    is_deleted true (Developer Guide, "Delete records from your feature groups"); the online store
    keeps the version with the latest event time. So: per record identifier, the version with the
    latest event time (then the latest api_invocation_time, then write_time) wins, and a record whose
    winning version is deleted is dropped. Returns the records without Feature Store's columns (the
    record identifier and the event time stay) and the counts of dropped versions.
    """
    missing = [c for c in [record_id, event_time, *FEATURE_STORE_COLUMNS] if c not in data.columns]
    if missing:
        fail(
            f"not a Feature Store offline store: no column {missing} (record identifier {record_id!r}, "
            f"event time {event_time!r}, columns {list(data.columns)})"
        )
    keys = pd.DataFrame(
        {
            "record": data[record_id].astype(str),
            "event": ordering(data[event_time], event_time),
            "invocation": ordering(data["api_invocation_time"], "api_invocation_time"),
            "write": ordering(data["write_time"], "write_time"),
        }
    )
    order = keys.sort_values(["record", "event", "invocation", "write"], kind="mergesort").index
    winners = keys.loc[order].drop_duplicates("record", keep="last").index.sort_values()
    latest = data.loc[winners]
    deleted = latest["is_deleted"].astype(str).str.lower() == "true"
    kept = latest[~deleted].drop(columns=FEATURE_STORE_COLUMNS)
    counts = {
        "versions_read": len(data),
        "older_versions": len(data) - len(latest),
        "deleted_records": int(deleted.sum()),
    }
    return kept.reset_index(drop=True), counts


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


def feature_kinds(raw):
    """Text columns (one-hot encoded) and the others; a column neither numeric nor text is an error."""
    categorical, unusable = [], []
    for column in raw.columns:
        dtype = raw[column].dtype
        if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype):
            continue
        if dtype == object or isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(dtype):
            categorical.append(column)
        else:
            unusable.append(f"{column} ({dtype})")
    if unusable:
        fail(f"columns that are neither numbers nor text: {unusable} (convert or drop them)")
    return categorical


def split(rows, test_fraction, validation_fraction, seed):
    order = np.random.default_rng(seed).permutation(rows)
    test = max(1, int(round(rows * test_fraction)))
    validation = max(1, int(round(rows * validation_fraction)))
    if rows - test - validation < 1:
        fail(f"{rows} rows are too few to split into train, validation and test")
    return order[test + validation :], order[test : test + validation], order[:test]


def write_csv(frame, output_dir, relative, header):
    path = os.path.join(output_dir, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    frame.to_csv(path, header=header, index=False)


def main(argv=None, input_dir=INPUT_DIR, output_dir=OUTPUT_DIR):
    args = parse_args(argv)
    data, read = read_data(input_dir)
    source = "Feature Group" if args.feature_group_offline_store else "data"
    identity = {"record identifier": args.record_identifier_column, "event time": args.event_time_column}
    identity = {name: column for name, column in identity.items() if column is not None}
    for name, column in identity.items():
        if args.target_column == column:
            fail(f"target column {args.target_column!r} is the {source}'s {name}")
    feature_group = {}
    if args.feature_group_offline_store:
        data, feature_group = latest_records(data, args.record_identifier_column, args.event_time_column)
    missing = [f"{column!r} ({name})" for name, column in identity.items() if column not in data.columns]
    if missing:
        fail(f"no column {', '.join(missing)} in the columns {list(data.columns)}")
    if args.target_column not in data.columns:
        fail(f"target column {args.target_column!r} is not in the columns {list(data.columns)}")
    target, classes = encode_target(data[args.target_column], args.problem_type, args.target_column)
    times = None
    if args.event_time_column is not None:
        times = event_times(data[args.event_time_column], args.event_time_column)
    raw = data.drop(columns=[args.target_column, *identity.values()])
    categorical = feature_kinds(raw)
    features = pd.get_dummies(raw, columns=categorical, dtype=float).astype(float)
    train, validation, test = split(len(data), args.test_fraction, args.validation_fraction, args.seed)
    baseline, window = baseline_rows(train, times, args.baseline_window_hours)
    labelled = pd.concat([target.rename("label"), features], axis=1)
    write_csv(labelled.iloc[train], output_dir, "train/train.csv", header=False)
    write_csv(labelled.iloc[validation], output_dir, "validation/validation.csv", header=False)
    write_csv(labelled.iloc[test], output_dir, "test/test.csv", header=True)
    write_csv(features.iloc[baseline], output_dir, "baseline/baseline.csv", header=True)
    sample = test[:SAMPLE_ROWS]
    write_csv(features.iloc[sample], output_dir, SAMPLE_FILE, header=False)
    report = {
        **read,
        **feature_group,
        "rows": len(data),
        "train_rows": len(train),
        "validation_rows": len(validation),
        "test_rows": len(test),
        "baseline_rows": len(baseline),
        "sample_rows": len(sample),
        **window,
        "identity_columns": list(identity.values()),
        "target_column": args.target_column,
        "problem_type": args.problem_type,
        "feature_columns": list(features.columns),
        "categorical_columns": categorical,
        "classes": classes,
        "num_class": max(len(classes), 1),
    }
    os.makedirs(os.path.dirname(os.path.join(output_dir, REPORT_FILE)), exist_ok=True)
    with open(os.path.join(output_dir, REPORT_FILE), "w", encoding="utf-8") as out:
        json.dump(report, out, indent=2)
    print(json.dumps({k: v for k, v in report.items() if k != "feature_columns"}))


if __name__ == "__main__":
    main()

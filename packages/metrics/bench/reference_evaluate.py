#!/usr/bin/env python3
# Reference for the evaluate benchmark: a straightforward json + numpy evaluation of SageMaker
# data capture against Model Quality ground truth (the same join on inferenceId else eventId, the
# levels the requests asked for, wQL / RMSE / coverage as packages/metrics defines them).
# Usage: reference_evaluate.py CAPTURE_DIR GROUND_TRUTH_DIR; prints one JSON object on stdout.

import base64
import json
import os
import resource
import sys
import time

import numpy as np


def jsonl_files(root):
    found = []
    for folder, _, names in os.walk(root):
        found.extend(os.path.join(folder, name) for name in names if name.endswith(".jsonl"))
    return sorted(found)


def decode(payload):
    data = payload["data"]
    return base64.b64decode(data).decode("utf-8") if payload["encoding"] == "BASE64" else data


def evaluate(capture_dir, ground_truth_dir):
    truth = {}
    for path in jsonl_files(ground_truth_dir):
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                if not line.strip():
                    continue
                record = json.loads(line)
                targets = json.loads(decode(record["groundTruthData"]))["targets"]
                rows = [np.array([np.nan if y is None else y for y in row], dtype=float) for row in targets]
                truth.setdefault(record["eventMetadata"]["eventId"], rows)

    levels = taus = loss = None
    abs_sum = squared = 0.0
    points = mean_points = covered = matched = unmatched = malformed = 0
    for path in jsonl_files(capture_dir):
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                if not line.strip():
                    continue
                record = json.loads(line)
                meta = record["eventMetadata"]
                targets = truth.get(meta.get("inferenceId") or meta["eventId"])
                if targets is None:
                    unmatched += 1
                    continue
                capture = record["captureData"]
                asked = json.loads(decode(capture["endpointInput"]))["configuration"]["quantiles"]
                asked = sorted((str(float(q)) for q in asked), key=float)
                if levels is None:
                    levels = asked
                    taus = np.array([float(q) for q in levels])[:, None]
                    loss = np.zeros(len(levels))
                elif asked != levels:
                    malformed += 1
                    continue
                predictions = json.loads(decode(capture["endpointOutput"]))["predictions"]
                for forecast, y in zip(predictions, targets):
                    observed = ~np.isnan(y)
                    yo = y[observed]
                    q = np.array([forecast["quantiles"][level] for level in levels])[:, observed]
                    diff = yo - q
                    loss += np.maximum(taus * diff, (taus - 1) * diff).sum(axis=1)
                    abs_sum += float(np.abs(yo).sum())
                    points += yo.size
                    covered += int(np.count_nonzero((q[0] <= yo) & (yo <= q[-1])))
                    if "mean" in forecast:
                        error = yo - np.array(forecast["mean"])[observed]
                        squared += float((error * error).sum())
                        mean_points += yo.size
                matched += 1

    wql = (2 * loss / abs_sum) if levels is not None and abs_sum > 0 else None
    return {
        "matched": matched,
        "unmatchedCapture": unmatched,
        "malformed": malformed,
        "points": points,
        "wQL": dict(zip(levels, wql.tolist())) if wql is not None else None,
        "mean_wQL": float(wql.mean()) if wql is not None else None,
        "rmse": (squared / mean_points) ** 0.5 if mean_points else None,
        "coverage": covered / points if points else None,
    }


if __name__ == "__main__":
    started = time.perf_counter()
    summary = evaluate(sys.argv[1], sys.argv[2])
    summary["elapsedMs"] = (time.perf_counter() - started) * 1000
    summary["maxRssKiB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(summary))

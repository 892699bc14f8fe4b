// The tabular template's facts about its data that the product (the synthetic generator of
// project-handlers) and the seeded repositories (model-build, monitoring) share: the identity columns
// the synthetic generator writes besides the features and the target, and the span of newest data the
// data-quality baseline describes, which the retrain alarms of monitoring wait for.

/** Column of the synthetic generator's data and labels: a record identifier, unique per row (no feature). */
export const SYNTHETIC_RECORD_ID_COLUMN = 'record_id';

/** Column of the synthetic generator's data and labels: the event time, ISO-8601 UTC (no feature). */
export const SYNTHETIC_EVENT_TIME_COLUMN = 'event_time';

/**
 * Hours of newest data (by event time) the model build's data-quality baseline describes, and the
 * span monitoring's retrain alarms require a breach to last (N = M = hours / monitoring period): a
 * retrain starts only once the data its baseline is built from are all post-shift. Whole hours, 1-168
 * (CloudWatch evaluates an alarm over at most 7 days; monitoring's `retrainAlarmWindow` checks it).
 */
export const DATA_QUALITY_BASELINE_WINDOW_HOURS = 24;

// The template parameters every product declares alike (the same id, constraints and meaning in each
// template's `parameters.ts`): where external data live, the notification e-mail, what teardown does with
// the data, and the instance-type and column-name patterns. One declaration, so the products cannot
// drift apart on a constraint another part relies on (DataSourceLocation is spliced into the project's
// JSON config parameter; the roles' grants read it).
import { OptionalParameterProps } from './sagemaker-project-product-stack';

/** `ml.<family>.<size>` instance types (SageMaker: training, processing, endpoints). */
export const INSTANCE_TYPE_PATTERN = '^ml\\.[a-z0-9]+\\.[0-9]*x?(large|medium|small)$';

/** A column name the seeded code can use as a CSV header and a JSON key. */
export const COLUMN_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]{0,63}$';

/** `DataSourceLocation`: none (synthetic), an S3 prefix, or a Feature Group name. */
export const DATA_SOURCE_LOCATION_PARAMETER: OptionalParameterProps = {
  type: 'String',
  description:
    'S3 URI (s3://bucket/prefix/) of the CSV/Parquet files, or the SageMaker Feature Group name; none for synthetic.',
  allowedPattern:
    // No quote or backslash: the value is spliced into the project's JSON config parameter.
    '^(none|s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^\\s"\\\\]*)?|[a-zA-Z0-9](-*[a-zA-Z0-9]){0,63})$',
  constraintDescription: 'none, an s3:// URI, or a Feature Group name',
  default: 'none',
};

/** `NotificationEmail`: subscribed to the project topic, or none. */
export const NOTIFICATION_EMAIL_PARAMETER: OptionalParameterProps = {
  type: 'String',
  description:
    'E-mail address subscribed to the project notifications (retrains, approvals, failures); none to skip.',
  allowedPattern: '^(none|[^@\\s]+@[^@\\s]+\\.[^@\\s]+)$',
  constraintDescription: 'none or an e-mail address',
  default: 'none',
};

/** `DataRetention`: what the teardown does with the project's data buckets. */
export const DATA_RETENTION_PARAMETER: OptionalParameterProps = {
  type: 'String',
  description:
    'When the project is deleted: Retain keeps the project bucket and its data, Delete empties and removes it.',
  allowedValues: ['Retain', 'Delete'],
  default: 'Retain',
};

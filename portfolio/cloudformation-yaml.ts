// Converts a synthesized (JSON) CloudFormation template to the YAML form the S3-provisioned template
// path requires. AWS Machine Learning Blog, "Simplify ModelOps with Amazon SageMaker AI Projects using
// Amazon S3-based templates" (2026): "Your custom templates must be valid CloudFormation files in YAML
// format." The conversion uses the `yaml` library (eemeli/yaml) and keeps to the YAML CloudFormation
// reads: CloudFormation User Guide, "CloudFormation template format" — YAML templates may not use
// anchors, aliases, hash merges or tags other than the intrinsic-function short forms, so every
// repeated object is written out in full and every intrinsic function keeps its long JSON form
// (`Fn::GetAtt: [...]`), which YAML and JSON templates share.
import { isDeepStrictEqual } from 'node:util';
import YAML from 'yaml';

/** Error raised when a template cannot be converted without changing its meaning. */
export class TemplateConversionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateConversionError';
  }
}

/**
 * Returns `template` as YAML. Strings that a YAML 1.1 parser would read as another type (`yes`,
 * `2010-09-09`, `0123`, `1e3`) are quoted; the result is parsed back and compared with the input, so
 * a conversion that changed a value fails here instead of in a customer's stack.
 */
export function toCloudFormationYaml(template: unknown, source = 'template'): string {
  if (template === null || typeof template !== 'object' || Array.isArray(template)) {
    throw new TemplateConversionError(`${source}: a CloudFormation template is a JSON object`);
  }
  const text = YAML.stringify(template, {
    version: '1.1',
    aliasDuplicateObjects: false,
    lineWidth: 0,
    minContentWidth: 0,
  });
  for (const version of ['1.1', '1.2'] as const) {
    const back: unknown = YAML.parse(text, { version, merge: false, uniqueKeys: true });
    if (!isDeepStrictEqual(back, template)) {
      throw new TemplateConversionError(
        `${source}: its YAML form does not read back as the same template under YAML ${version}`,
      );
    }
  }
  return text;
}

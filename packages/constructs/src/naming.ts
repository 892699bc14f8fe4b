// Construct-id helpers shared by the templates and the portfolio.

/** `model-build` → `ModelBuild`: a construct id from a kebab-case (or any separated) name. */
export function toPascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((s) => s[0].toUpperCase() + s.slice(1))
    .join('');
}

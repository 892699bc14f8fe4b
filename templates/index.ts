// Registry of the templates under templates/: the names the portfolio config may list.
import { TemplateDefinition } from '@mlops-templates/constructs';
import { deepArForecasting } from './deepar-forecasting';

export const TEMPLATES: Readonly<Record<string, TemplateDefinition>> = {
  [deepArForecasting.name]: deepArForecasting,
};

// Registry of the templates under templates/: the names the portfolio config may list.
import { TemplateDefinition } from '@mlops-templates/constructs';
import { deepArForecasting } from './deepar-forecasting';
import { tabularXgboost } from './tabular-xgboost';

export const TEMPLATES: Readonly<Record<string, TemplateDefinition>> = {
  [deepArForecasting.name]: deepArForecasting,
  [tabularXgboost.name]: tabularXgboost,
};

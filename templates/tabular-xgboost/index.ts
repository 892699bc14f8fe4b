// Registration of the tabular XGBoost template for the portfolio.
import { TemplateDefinition } from '@mlops-templates/constructs';
import { TabularXgboostProductStack } from './product-stack';

export const tabularXgboost: TemplateDefinition = {
  name: 'tabular-xgboost',
  productName: 'Tabular regression or classification with XGBoost (build, deploy, Model Monitor, retrain)',
  description:
    'Seeded model-build, model-deploy and monitoring repositories with their pipelines for the SageMaker built-in XGBoost algorithm, built-in data-quality and model-quality monitoring against registered baselines, and the alarm-driven retrain loop.',
  directory: __dirname,
  createProductStack: (scope, id, context) => new TabularXgboostProductStack(scope, id, context),
};

export { TabularXgboostProductStack };

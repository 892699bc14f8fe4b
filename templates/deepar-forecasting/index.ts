// Registration of the DeepAR forecasting template for the portfolio.
import { TemplateDefinition } from '@mlops-templates/constructs';
import { DeepArForecastingProductStack } from './product-stack';

export const deepArForecasting: TemplateDefinition = {
  name: 'deepar-forecasting',
  productName: 'Time-series forecasting with DeepAR (build, deploy, monitor, retrain)',
  description:
    'Seeded model-build, model-deploy and monitoring repositories with their pipelines, a custom weighted quantile loss metric in CloudWatch and an alarm-driven retrain loop for the SageMaker built-in DeepAR algorithm.',
  directory: __dirname,
  createProductStack: (scope, id, context) => new DeepArForecastingProductStack(scope, id, context),
};

export { DeepArForecastingProductStack };

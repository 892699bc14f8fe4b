// Public API of @mlops-templates/constructs.
export * from './permissions-boundary';
export * from './products-launch-role';
export * from './project-parameters';
export * from './sagemaker-project-product-stack';
export * from './studio-visible-product';
export * from './template-definition';
export * from './nag-acknowledgements';
export * from './cfn-lint-redundant-depends-on';
export * from './project-names';
export * from './seeded-repository';
export * from './project-function';
export * from './project-notifications';
export * from './retrain-loop';
export * from './project-teardown';
export * from './pass-role-guarded-role';

// Public API of @mlops-templates/project-handlers: the pure cores and the injectable runners behind the
// Lambda entries `teardown.ts`, `synthetic-data.ts`, `tabular-synthetic-data.ts`, `tabular-synthetic-traffic.ts`,
// `start-deploy-pipeline.ts`, `seed-repositories-resource.ts`
// and the seeding CLI `seed-repositories.ts`.
export * from './common/aws-errors';
export * from './common/clock';
export * from './common/cfn-response';
export * from './teardown/properties';
export * from './teardown/plan';
export * from './teardown/run';
export * from './teardown/handlers';
export * from './synthetic/generator';
export * from './synthetic/csv';
export * from './synthetic/config';
export * from './synthetic/run';
export * from './synthetic/first-data';
export * from './synthetic/tabular-generator';
export * from './synthetic/tabular-config';
export * from './synthetic/tabular-run';
export * from './synthetic/tabular-traffic';
export * from './synthetic/tabular-traffic-config';
export * from './synthetic/tabular-traffic-run';
export * from './deploy-trigger/decide';
export * from './seeding/config';
export * from './seeding/plan';
export * from './seeding/git';
export * from './seeding/run';
export * from './seeding/resource';
export * from './entries';

/** Configs the cost tests price: the built-in example with whole sections replaced (never merged). */
import builtInExample from '../../examples/fullstack/backplane.config';
import { resolveConfig, type BackplaneConfig, type BackplaneConfigInput } from '../../src/config';

export type Sections = Partial<Record<keyof BackplaneConfigInput, unknown>>;

/** The example with these top-level sections replaced; `undefined` removes a section. */
export const example = (sections: Sections = {}): BackplaneConfigInput => ({ ...builtInExample, ...sections }) as BackplaneConfigInput;

/** No data tier, queues, schedules or email: the compute and edge alone. */
export const WITHOUT_TIERS: Sections = { database: undefined, cache: undefined, queues: undefined, cron: undefined, email: undefined };

/** The default profile: the example with the default database and cache, no async or email extras. */
export const defaultProfile = (sections: Sections = {}): BackplaneConfig =>
  resolveConfig(example({ ...WITHOUT_TIERS, database: { engine: 'postgres' }, cache: { engine: 'valkey' }, ...sections }));

/** The production-shaped profile of docs/cost.md. */
export const productionProfile = (): BackplaneConfig =>
  defaultProfile({
    stage: 'prod',
    state: { backend: 's3', bucket: 'shop-tfstate' },
    network: { nat: 'gateway' },
    service: { imageDigest: `sha256:${'0123456789abcdef'.repeat(4)}`, cpu: 512, memory: 1024, scaling: { min: 2, max: 8 } },
    database: { engine: 'postgres', instanceClass: 'db.t4g.small', multiAz: true, allocatedStorage: 50 },
    cache: { engine: 'valkey', multiAz: true },
  });

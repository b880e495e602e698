import { input, must, patterns } from '../modules/inputs';
import { defineModule } from '../modules/module';

export const ecrDefinition = defineModule({
  name: 'ecr',
  propsName: 'EcrInputs',
  description:
    'An ECR repository for the service image: immutable tags, scan on push, encrypted, and a lifecycle policy that expires untagged images and keeps the last N images of each tag family (releases by prefix apart from other builds, so a flood of branch builds never expires the release a stage runs). Deploys pin the image by digest.',
  inputs: {
    name: input.string({
      description: 'Repository name, e.g. "shop-api".',
      constraints: [
        must.pattern(
          '^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$',
          'a lower-case ECR repository name (letters, digits, . _ - /)',
        ),
      ],
    }),
    keep_last_images: input.number({
      description:
        'How many release images (tags starting with a release prefix) and, apart, how many other tagged images the lifecycle policy keeps; older ones are expired.',
      default: 30,
      constraints: [must.range(1, 1000)],
    }),
    release_tag_prefixes: input.stringList({
      description:
        'Tag prefixes of release images (e.g. "v" for v1.4.2): counted apart from other tags, so other builds never push a release out of the kept window. Empty: one window for every tag.',
      default: ['v'],
      constraints: [must.eachMatches('^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$', 'Docker tag prefixes')],
    }),
    untagged_expire_days: input.number({
      description: 'Days after which an untagged image (an interrupted or superseded push) expires.',
      default: 7,
      constraints: [must.range(1, 3650)],
    }),
    kms_key_arn: input.optionalString({
      description: 'A customer-managed KMS key to encrypt images with; null uses AES-256 (no key cost).',
      constraints: [must.optionalPattern(patterns.arn, 'a KMS key ARN')],
    }),
    force_delete: input.bool({
      description: 'Whether destroying the repository also deletes its images. Keep false outside throwaway stages.',
      default: false,
    }),
    tags: input.stringMap({ description: 'Tags for every resource.', default: {} }),
  },
  outputs: {
    arn: { description: 'Repository ARN (scope image pulls to it).' },
    name: { description: 'Repository name.' },
    repository_url: { description: 'Repository URL, to push to and to reference images as `<url>@sha256:...`.' },
  },
});

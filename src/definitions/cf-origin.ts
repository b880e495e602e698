import { z } from 'zod';
import { input, must } from '../modules/inputs';
import { defineModule } from '../modules/module';

export const cfOriginDefinition = defineModule({
  name: 'cf-origin',
  propsName: 'CfOriginInputs',
  description:
    'Adopts an EXISTING CloudFront distribution and adds the API at /api/* without disturbing anything: the distribution is rendered from its committed snapshot (GetDistributionConfig) plus ONE origin and ONE ordered behavior (CachingDisabled, AllViewerExceptHostHeader, HTTPS-only), refuses stale snapshots and conflicting paths, and carries prevent_destroy. The import block lives in the root: `import { to = module.cf_origin.aws_cloudfront_distribution.this, id = "<ID>" }`.',
  inputs: {
    distribution_id: input.string({
      description: 'Id of the existing distribution, e.g. "E1A2B3C4D5E6F7".',
      constraints: [must.pattern('^[A-Z0-9]{10,20}$', 'a CloudFront distribution id such as "E2QWRUHAPOMQZL"')],
    }),
    distribution_snapshot_json: input.string({
      description: 'The snapshot file content: `file("frontend-distribution.json")`, written by `backplane cloudfront snapshot --id <ID>`.',
      constraints: [
        must.pattern('"DistributionConfig"', 'the JSON written by `backplane cloudfront snapshot` (it has a DistributionConfig)'),
      ],
    }),
    api_origin_domain_name: input.string({
      description: 'A DNS name you own that points at the ALB, with a certificate valid for it, e.g. "origin-api.example.com".',
      constraints: [must.pattern('^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$', 'a lower-case DNS name')],
    }),
    api_origin_id: input.string({
      description: 'Id of the added origin.',
      default: 'backplane-api',
      constraints: [must.pattern('^[A-Za-z0-9_.-]{1,128}$', 'an origin id')],
    }),
    path_pattern: input.string({
      description: 'Path pattern of the added behavior; it is placed before any broader existing pattern.',
      default: '/api/*',
      constraints: [must.pattern('^/[A-Za-z0-9_.~/-]*\\*$', 'a path pattern such as "/api/*" (starts with "/", ends with "*")')],
    }),
    forward_host_header: input.bool({
      description: "Forward the viewer's Host header (managed AllViewer policy) instead of AllViewerExceptHostHeader.",
      default: false,
    }),
    origin_custom_headers: input.typed(
      'list(object({ name = string, value = string }))',
      'ReadonlyArray<{ readonly name: string; readonly value: string }>',
      z.array(z.object({ name: z.string(), value: z.string() })),
      {
        description: 'Headers CloudFront adds to every API request, e.g. the X-Origin-Verify secret the ALB listener requires.',
        default: [],
        sensitive: true,
      },
    ),
    vpc_origin_id: input.optionalString({ description: 'A CloudFront VPC origin (internal ALB) to use instead of a public HTTPS origin.' }),
    attach: input.bool({
      description: 'Add the origin and the behavior; false renders the snapshot exactly (step 1 of removing the API).',
      default: true,
    }),
    wait_for_deployment: input.bool({ description: 'Wait until CloudFront reports the change deployed.', default: true }),
  },
  outputs: {
    arn: { description: 'ARN of the distribution.' },
    domain_name: { description: 'The distribution *.cloudfront.net name.' },
    id: { description: 'The distribution id.' },
  },
});

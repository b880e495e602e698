import { parseDuration } from '../../src/cli/commands/terraform';
import { certificatesInState, firstStep, formatRecords, recordsInPlan } from '../../src/cli/dns-first-deploy';
import type { ShowJson } from '../../src/cli/terraform';

const change = (address: string, type: string, actions: string[]) => ({ address, type, mode: 'managed', change: { actions } });
const records = { dns_records: { after: [], after_unknown: true } };

describe('which deploy runs in two steps', () => {
  it('a manual-DNS plan that creates the certificate validation: step 1 creates the certificate, identity and load balancer', () => {
    const plan: ShowJson = {
      output_changes: records,
      resource_changes: [
        change('aws_acm_certificate.origin_certificate_certificate', 'aws_acm_certificate', ['create']),
        change('aws_acm_certificate_validation.origin_certificate_validation', 'aws_acm_certificate_validation', ['create']),
        change('aws_sesv2_email_identity.email_identity', 'aws_sesv2_email_identity', ['create']),
        change('aws_lb.load_balancer_load_balancer', 'aws_lb', ['create']),
        change('aws_ecs_service.service_service', 'aws_ecs_service', ['create']),
      ],
    };
    expect(firstStep(plan)?.targets).toEqual([
      'aws_acm_certificate.origin_certificate_certificate',
      'aws_sesv2_email_identity.email_identity',
      'aws_lb.load_balancer_load_balancer',
    ]);
  });

  it('the certificate already there (an interrupted deploy): no step 1, only the wait', () => {
    const plan: ShowJson = {
      output_changes: records,
      resource_changes: [
        change('aws_acm_certificate.c', 'aws_acm_certificate', ['no-op']),
        change('aws_acm_certificate_validation.v', 'aws_acm_certificate_validation', ['create']),
      ],
    };
    expect(firstStep(plan)).toEqual({ targets: [] });
  });

  it('one step: validation done already, or DNS that Backplane writes itself (no dns_records output)', () => {
    expect(
      firstStep({ output_changes: records, resource_changes: [change('aws_ecs_service.s', 'aws_ecs_service', ['update'])] }),
    ).toBeUndefined();
    expect(
      firstStep({ resource_changes: [change('aws_acm_certificate_validation.v', 'aws_acm_certificate_validation', ['create'])] }),
    ).toBeUndefined();
  });
});

describe('the records, from the plan', () => {
  it('known values are printed; an unknown one says it is not known yet; an unknown list is incomplete', () => {
    const plan: ShowJson = {
      output_changes: {
        dns_records: {
          after: [
            { name: '_a.api.example.com', type: 'CNAME', value: '_b.acm-validations.aws', ttl: 300, purpose: 'ACM validation' },
            { name: 'mail.example.com', type: 'TXT', value: 'v=spf1 include:amazonses.com ~all', ttl: 300, purpose: 'SPF' },
            { name: 'api.example.com', type: 'CNAME', value: null, ttl: 300, purpose: 'the API' },
          ],
          after_unknown: [{}, {}, { value: true }],
        },
      },
    };
    const found = recordsInPlan(plan)!;
    expect(found.incomplete).toBe(true);
    const text = formatRecords(found.rows);
    expect(text.split('\n')).toEqual([
      '  CNAME  _a.api.example.com  _b.acm-validations.aws                  # ACM validation',
      '  TXT    mail.example.com    "v=spf1 include:amazonses.com ~all"     # SPF',
      '  CNAME  api.example.com     (known once the deploy has created it)  # the API',
    ]);
    expect(recordsInPlan({ output_changes: records })).toEqual({ rows: [], incomplete: true });
    expect(recordsInPlan({})).toBeUndefined();
  });

  it('the certificates to wait for, with the CNAME ACM looks up, from the state', () => {
    const state: ShowJson = {
      values: {
        root_module: {
          resources: [
            {
              address: 'aws_acm_certificate.c',
              type: 'aws_acm_certificate',
              values: {
                arn: 'arn:aws:acm:us-east-1:123456789012:certificate/x',
                domain_name: 'api.example.com',
                domain_validation_options: [
                  { resource_record_name: '_a.api.example.com.', resource_record_value: '_b.acm-validations.aws.' },
                ],
              },
            },
            { address: 'aws_lb.l', type: 'aws_lb', values: {} },
          ],
        },
      },
    };
    expect(certificatesInState(state)).toEqual([
      {
        arn: 'arn:aws:acm:us-east-1:123456789012:certificate/x',
        domain: 'api.example.com',
        records: [{ name: '_a.api.example.com', value: '_b.acm-validations.aws' }],
      },
    ]);
  });
});

it('--dns-wait takes a duration and refuses anything else', () => {
  expect(parseDuration('45m', '--dns-wait')).toBe(2_700_000);
  expect(parseDuration('90s', '--dns-wait')).toBe(90_000);
  expect(parseDuration('2h', '--dns-wait')).toBe(7_200_000);
  expect(() => parseDuration('45', '--dns-wait')).toThrow('--dns-wait = "45": must be a duration such as 90s, 45m or 2h');
});

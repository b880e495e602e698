import builtInExample from '../../examples/fullstack/backplane.config';
import { buildGraph, toMermaid, type SynthesizedStack } from '../../src/diagram';
import { synth } from '../support/synth';

const meta = (path: string) => ({ '//': { metadata: { path: `app-dev/${path}` } } });
const edgesOf = (g: ReturnType<typeof buildGraph>) => g.edges.map((e) => `${e.from}->${e.to}`);

describe('the diagram of the built-in example', () => {
  const json = synth();
  const graph = buildGraph(json);
  const mermaid = toMermaid(graph);

  it('is a Mermaid flowchart grouped in subgraphs', () => {
    expect(mermaid.startsWith('flowchart LR\n')).toBe(true);
    expect(mermaid).toMatch(/subgraph load_balancing\["Load balancing"\]/);
    expect(mermaid).toMatch(/subgraph compute\["Compute"\]/);
    expect(
      mermaid
        .trimEnd()
        .split('\n')
        .filter((l) => l.trim() === 'end').length,
    ).toBe((mermaid.match(/subgraph /g) ?? []).length);
  });

  it('draws only resources that were synthesized, labelled from their attributes', () => {
    for (const node of graph.nodes) {
      for (const address of node.addresses) {
        const [type, name] = address.split('.');
        expect(json.resource[type]?.[name]).toBeDefined();
      }
    }
    const alb = graph.nodes.find((n) => n.addresses.some((a) => a.startsWith('aws_lb.')));
    expect(alb?.label).toContain(json.resource.aws_lb[Object.keys(json.resource.aws_lb)[0]].internal ? '(internal)' : '(internet-facing)');
    const service = graph.nodes.find((n) => n.addresses.some((a) => a.startsWith('aws_ecs_service.')));
    expect(service?.label).toContain(`${builtInExample.name}-dev`);
  });

  it('connects load balancer -> service -> image repository from the references between resources', () => {
    const id = (type: string) => graph.nodes.find((n) => n.addresses.some((a) => a.startsWith(`${type}.`)))!.id;
    expect(edgesOf(graph)).toContain(`${id('aws_lb')}->${id('aws_ecs_service')}`);
    expect(edgesOf(graph)).toContain(`${id('aws_ecs_service')}->${id('aws_ecr_repository')}`);
    expect(edgesOf(graph)).toContain(`${id('aws_acm_certificate')}->${id('aws_lb')}`);
    // The network plumbing (VPC, subnets, routes) is not drawn and links nothing.
    expect(mermaid).not.toMatch(/aws_vpc|aws_subnet|aws_route/);
  });

  it('puts viewers in front of an internet-facing ALB (subdomain mode)', () => {
    const sub = buildGraph(synth({ ...builtInExample, edge: { mode: 'subdomain' } }));
    const alb = sub.nodes.find((n) => n.addresses.some((a) => a.startsWith('aws_lb.')))!;
    expect(alb.label).toContain('(internet-facing)');
    expect(edgesOf(sub)).toContain(`viewers->${alb.id}`);
  });
});

describe('the graph algorithm', () => {
  // A stack shaped like the full preset: edge, ALB, service with role policies, data tier, queue + DLQ, schedule, email, DNS.
  const stack: SynthesizedStack = {
    resource: {
      aws_cloudfront_distribution: {
        frontend: {
          comment: 'shop frontend',
          // Rendered through locals, as the cf-origin construct does: the reference is two locals away.
          dynamic: { origin: { for_each: '${local.frontend_origins}' } },
          ...meta('backplane/frontend/distribution'),
        },
      },
      aws_cloudfront_vpc_origin: {
        api: { vpc_origin_endpoint_config: { arn: '${aws_lb.alb.arn}' }, ...meta('backplane/frontend/vpc_origin') },
      },
      aws_lb: { alb: { internal: true, ...meta('backplane/load_balancer/load_balancer') } },
      aws_lb_target_group: { tg: { ...meta('backplane/load_balancer/target_group') } },
      aws_ecs_service: {
        api: {
          name: 'shop-dev',
          load_balancer: [{ target_group_arn: '${aws_lb_target_group.tg.arn}' }],
          task_definition: '${aws_ecs_task_definition.api.arn}',
          ...meta('backplane/service/service'),
        },
      },
      aws_ecs_task_definition: {
        api: {
          container_definitions: '${jsonencode([{secrets = [{valueFrom = aws_secretsmanager_secret.app_key.arn}]}])}',
          task_role_arn: '${aws_iam_role.task.arn}',
          ...meta('backplane/service/task_definition'),
        },
      },
      aws_iam_role: { task: { ...meta('backplane/service/task_role') } },
      aws_iam_role_policy: {
        consume: {
          role: '${aws_iam_role.task.id}',
          policy: '${jsonencode({Resource = [aws_sqs_queue.jobs.arn]})}',
          ...meta('backplane/queue_jobs/grant_consume'),
        },
        send_mail: {
          role: '${aws_iam_role.task.id}',
          policy: '${jsonencode({Resource = [aws_sesv2_email_identity.domain.arn]})}',
          ...meta('backplane/email/grant_send'),
        },
      },
      aws_security_group: {
        db: { vpc_id: '${aws_vpc.main.id}', ...meta('backplane/database/security_group') },
        svc: { vpc_id: '${aws_vpc.main.id}', ...meta('backplane/service/security_group') },
      },
      aws_vpc_security_group_ingress_rule: {
        db_from_api: {
          security_group_id: '${aws_security_group.db.id}',
          referenced_security_group_id: '${aws_security_group.svc.id}',
          ...meta('backplane/database/from_api'),
        },
      },
      aws_db_instance: {
        db: {
          engine: 'postgres',
          instance_class: 'db.t4g.micro',
          vpc_security_group_ids: ['${aws_security_group.db.id}'],
          ...meta('backplane/database/instance'),
        },
      },
      aws_sqs_queue: {
        jobs: {
          name: 'shop-dev-jobs',
          redrive_policy: '${jsonencode({deadLetterTargetArn = aws_sqs_queue.jobs_dlq.arn})}',
          ...meta('backplane/queue_jobs/queue'),
        },
        jobs_dlq: { name: 'shop-dev-jobs-dlq', ...meta('backplane/queue_jobs/dead_letter_queue') },
      },
      aws_scheduler_schedule: {
        nightly: {
          name: 'nightly',
          schedule_expression: 'cron(0 3 * * ? *)',
          target: [{ arn: '${aws_ecs_task_definition.api.arn}' }],
          ...meta('backplane/cron/nightly'),
        },
      },
      aws_secretsmanager_secret: {
        app_key: { name: 'shop-dev/APP_KEY', ...meta('backplane/secrets/app_key') },
        other: { ...meta('backplane/secrets/other') },
      },
      aws_sesv2_email_identity: { domain: { email_identity: 'example.com', ...meta('backplane/email/identity') } },
      aws_route53_record: {
        dkim: {
          count: 3,
          records: ['${aws_sesv2_email_identity.domain.dkim_signing_attributes[0].tokens[count.index]}'],
          ...meta('backplane/dns/dkim'),
        },
        api: { records: ['${aws_lb.alb.dns_name}'], ...meta('backplane/dns/api') },
      },
      aws_vpc: { main: { ...meta('backplane/network/vpc') } },
    },
    locals: {
      frontend_api_origin: { vpc_origin_config: [{ vpc_origin_id: '${aws_cloudfront_vpc_origin.api.id}' }] },
      frontend_origins: '${concat(local.frontend_existing, [local.frontend_api_origin])}',
      frontend_existing: '${jsondecode(local.frontend_origins)}', // a cycle must not loop
    },
    import: [{ to: 'aws_cloudfront_distribution.frontend', id: 'E2QWRUHAPOMQZL' }],
  };
  const graph = buildGraph(stack);
  const id = (address: string) => graph.nodes.find((n) => n.addresses.includes(address))!.id;

  it('groups the nodes and collapses repeated kinds (records, secrets) into one node with a count', () => {
    const groups = Object.fromEntries(graph.nodes.map((n) => [n.addresses[0], n.group]));
    expect(groups['aws_cloudfront_distribution.frontend']).toBe('Edge');
    expect(groups['aws_db_instance.db']).toBe('Data');
    expect(groups['aws_sqs_queue.jobs']).toBe('Async');
    expect(groups['aws_sesv2_email_identity.domain']).toBe('Email');
    const records = graph.nodes.find((n) => n.group === 'DNS')!;
    expect(records.label).toBe('Route53 records (4)');
    expect(graph.nodes.find((n) => n.id === 'aws_secretsmanager_secret')!.label).toBe('Secrets Manager (2 secrets)');
    expect(graph.nodes.find((n) => n.addresses.includes('aws_cloudfront_distribution.frontend'))!.label).toContain('(existing, adopted)');
  });

  it('draws edges in request-flow order, attributing glue (policies, rules, task definition) to its component', () => {
    const edges = edgesOf(graph);
    expect(edges).toEqual(
      expect.arrayContaining([
        `viewers->${id('aws_cloudfront_distribution.frontend')}`,
        `${id('aws_cloudfront_distribution.frontend')}->${id('aws_cloudfront_vpc_origin.api')}`,
        `${id('aws_cloudfront_vpc_origin.api')}->${id('aws_lb.alb')}`,
        `${id('aws_lb.alb')}->${id('aws_ecs_service.api')}`,
        `${id('aws_ecs_service.api')}->${id('aws_db_instance.db')}`, // from the database's ingress rule naming the service's security group
        `${id('aws_ecs_service.api')}->${id('aws_sqs_queue.jobs')}`, // from the consume policy on the task role
        `${id('aws_ecs_service.api')}->${id('aws_sesv2_email_identity.domain')}`,
        `${id('aws_ecs_service.api')}->aws_secretsmanager_secret`,
        `${id('aws_sqs_queue.jobs')}->${id('aws_sqs_queue.jobs_dlq')}`,
        `${id('aws_scheduler_schedule.nightly')}->${id('aws_ecs_service.api')}`,
        `aws_route53_record->${id('aws_lb.alb')}`,
      ]),
    );
    // No edge twice, no self-loops, and the VPC links nothing.
    expect(new Set(edges).size).toBe(edges.length);
    expect(graph.edges.every((e) => e.from !== e.to)).toBe(true);
    expect(graph.nodes.some((n) => n.addresses.includes('aws_vpc.main'))).toBe(false);
  });

  it("gives a component's glue to its main resource, not to a collapsed secret built beside it", () => {
    const g = buildGraph({
      resource: {
        aws_ecs_service: { api: { ...meta('backplane/service/service') } },
        aws_security_group: { svc: { ...meta('backplane/service/security_group') }, cache: { ...meta('backplane/cache/security_group') } },
        aws_secretsmanager_secret: { token: { ...meta('backplane/cache/auth_token_secret') } },
        aws_elasticache_replication_group: {
          cache: { engine: 'valkey', security_group_ids: ['${aws_security_group.cache.id}'], ...meta('backplane/cache/replication_group') },
        },
        aws_vpc_security_group_ingress_rule: {
          from_api: {
            security_group_id: '${aws_security_group.cache.id}',
            referenced_security_group_id: '${aws_security_group.svc.id}',
            ...meta('backplane/cache/from_api'),
          },
        },
      },
    });
    expect(edgesOf(g)).toContain('aws_ecs_service_api->aws_elasticache_replication_group_cache');
    expect(edgesOf(g)).not.toContain('aws_ecs_service_api->aws_secretsmanager_secret');
  });

  it('renders labels safely', () => {
    const text = toMermaid(
      buildGraph({
        resource: { aws_lb: { x: { internal: false, ...meta('lb/x') } }, aws_ecs_service: { s: { name: 'say "hi"', ...meta('svc/s') } } },
      }),
      { direction: 'TB', title: 'T' },
    );
    expect(text).toContain('title: T');
    expect(text).toContain('flowchart TB');
    expect(text).toContain('say #quot;hi#quot;');
  });
});

/**
 * THE list of emulator differences, in one place:
 *
 * - TOLERATED_DIFFERENCES: what a second plan against moto may still show. The harness
 *   (TerraformWorkspace.replan) fails on any other change. An entry names the resource type
 *   (and optionally an address pattern), the attribute path(s), and the moto behaviour that causes
 *   it. Add one only for a moto behaviour, never for a product bug; prefer fixing the read-back in
 *   the shim (test/e2e/moto/patches/), always when the difference would force a replacement.
 *
 * - SHIMMED_GAPS: what moto 5.2.1 gets wrong and the shim fixes, so it no longer shows (kept here
 *   so the full picture of "where moto differs from AWS" is one file; the evidence is in each patch
 *   module's docstring). Complete by test: every patch serve.py reports has exactly one entry
 *   (test/e2e/moto-gaps.e2e.test.ts).
 */
import type { ToleratedDifference } from './lib/plan-diff';

export type { ToleratedDifference } from './lib/plan-diff';

/**
 * Second-plan differences tolerated against moto 5.2.1 + hashicorp/aws 5.100.0.
 *
 * Empty on purpose: every difference seen so far (moto-gaps and cloudfront scenarios, 2026-11-23)
 * is fixed in the shim, see SHIMMED_GAPS. The harness prints each match in its summary, so an entry that stops
 * matching is visible.
 */
export const TOLERATED_DIFFERENCES: readonly ToleratedDifference[] = [];

/** A moto gap the shim fills (documentation; the code is in test/e2e/moto/patches/). */
export interface ShimmedGap {
  /** The patch name serve.py reports. */
  readonly patch: string;
  /** What moto 5.2.1 does. */
  readonly motoBehaviour: string;
  /** What it broke under real Terraform. */
  readonly symptom: string;
  /** What the shim does instead. */
  readonly fix: string;
}

export const SHIMMED_GAPS: readonly ShimmedGap[] = [
  {
    patch: 'ssm.start_session',
    motoBehaviour: 'StartSession is not implemented',
    symptom: '`backplane db tunnel` cannot get a port-forwarding session to hand to the session-manager-plugin',
    fix: 'StartSession answers SessionId/StreamUrl/TokenValue and refuses a missing Target, an unknown document and an ECS target whose task is not running, as SSM does (patches/ssm_session.py)',
  },
  {
    patch: 'logs.stream_name_prefix',
    motoBehaviour: 'FilterLogEvents ignores logStreamNamePrefix: every stream of the group matches',
    symptom: '`backplane logs --source api` would show the migration and job streams of the same log group as API lines',
    fix: 'the prefix selects the matching streams, and with logStreamNames it is an InvalidParameterException, as the API reference says (patches/logs.py)',
  },
  {
    patch: 'ecs.run_task_memory',
    motoBehaviour: 'RunTask fails (HTTP 500) when a container sets no container-level memory, which Fargate allows when the task sets it',
    symptom: '`backplane run` / `migrate` against a deployed stack: moto answers an HTML error page',
    fix: 'a container without memory/memoryReservation counts as 0 MiB, the task-level memory applying (patches/ecs_exec.py)',
  },
  {
    patch: 'ecs.run_task_eni',
    motoBehaviour: 'RunTask with an awsvpc networkConfiguration fails (HTTP 500): the new NetworkInterface has no private_dns_name',
    symptom: '`backplane run` (a Fargate RunTask with the service network) cannot start a task',
    fix: 'NetworkInterface.private_dns_name as EC2 names private hosts (ip-A-B-C-D.ec2.internal / .<region>.compute.internal; patches/ecs_exec.py)',
  },
  {
    patch: 'ecs.execute_command',
    motoBehaviour: 'ExecuteCommand is not implemented (an HTML 404 page); task containers have no runtimeId',
    symptom: '`backplane exec` cannot get a session to hand to the session-manager-plugin',
    fix: 'ExecuteCommand returns a session as the ECS API reference documents and refuses an unknown cluster/task/container, a stopped task and interactive other than true; containers get a runtimeId (patches/ecs_exec.py). No session is opened: the plugin is faked in the tests',
  },
  {
    patch: 'appautoscaling.tags',
    motoBehaviour: 'TagResource, UntagResource and ListTagsForResource are not implemented (HTTP 500); RegisterScalableTarget ignores Tags',
    symptom: 'a tagged aws_appautoscaling_target fails to create or refresh',
    fix: 'tags kept per scalable-target ARN; the three calls implemented; ResourceNotFoundException for unknown ARNs',
  },
  {
    patch: 'appautoscaling.policy_not_found',
    motoBehaviour: 'DeleteScalingPolicy of a missing policy answers ValidationException (AWS: ObjectNotFoundException)',
    symptom:
      'a delete retried after a late response failed the destroy (the provider takes only ObjectNotFoundException as "already deleted")',
    fix: 'ObjectNotFoundException, as the Application Auto Scaling API reference documents',
  },
  {
    patch: 'elasticache.member_clusters',
    motoBehaviour:
      'CreateReplicationGroup lists member clusters but creates none; CacheCluster lacks SecurityGroups, CacheParameterGroup, AtRestEncryptionEnabled',
    symptom:
      'replication group read fails with CacheClusterNotFound (404); once members exist, at_rest_encryption_enabled reads false and security_group_ids [] (both force replacement)',
    fix: "member clusters created with the group's settings; the missing attributes returned",
  },
  {
    patch: 'cloudfront.quotas',
    motoBehaviour: 'a distribution may have any number of origins and cache behaviors',
    symptom: 'a distribution over the default quotas (100 origins, 75 cache behaviors) would apply on the emulator and fail on AWS',
    fix: 'TooManyOrigins over 100 / TooManyCacheBehaviors over 75, as CloudFront does without a raised quota (patches/cloudfront_quotas.py)',
  },
  {
    patch: 'cloudfront.etag',
    motoBehaviour: 'a distribution keeps one ETag for life and any If-Match is accepted',
    symptom: 'the drift guard (live ETag vs snapshot / last apply) could never fire; a stale If-Match passed',
    fix: 'a new ETag on every UpdateDistribution; PreconditionFailed (412) for a stale If-Match on update and delete, as CloudFront does',
  },
  {
    patch: 'ec2.rule_id_not_found',
    motoBehaviour: 'revoking an unknown SecurityGroupRuleId answers InvalidPermission.NotFound (AWS: InvalidSecurityGroupRuleId.NotFound)',
    symptom: 'a rule delete retried after a late response failed the destroy (the provider takes only AWS\'s code as "already deleted")',
    fix: "AWS's error code for an unknown rule id",
  },
  {
    patch: 'ec2.revoke_unknown_permissions',
    motoBehaviour: 'revoking IpPermissions the group does not have fails the whole call with InvalidPermission.NotFound',
    symptom: "the provider's revoke of a new group's default egress rule, retried after a late response, failed the apply",
    fix: 'the matching rules are revoked and the others ignored, as the EC2 API reference documents',
  },
  {
    patch: 'elasticache.num_cache_clusters',
    motoBehaviour: 'CreateReplicationGroup (cluster mode off) creates ReplicasPerNodeGroup + 1 members and ignores NumCacheClusters',
    symptom: 'a primary + replica group (multiAz) has one member: num_cache_clusters and member_clusters change in every plan',
    fix: 'without ReplicasPerNodeGroup, NumCacheClusters members are created, as on AWS',
  },
  {
    patch: 'elasticache.reader_endpoint',
    motoBehaviour: 'DescribeReplicationGroups omits NodeGroups[].ReaderEndpoint of a cluster-mode-disabled group',
    symptom: "the aws_elasticache_replication_group data source (a preview stage's lookup of its parent's cache) crashes the provider",
    fix: 'each such node group gets its ReaderEndpoint, as AWS returns it',
  },
  {
    patch: 'elasticache.delete_group',
    motoBehaviour: 'DeleteReplicationGroup sets status "deleting" and never removes the group',
    symptom: "destroy hangs in the provider's deletion waiter until its timeout",
    fix: 'the group and its member clusters are removed after the "deleting" answer',
  },
  {
    patch: 'elasticache.delete_subnet_group',
    motoBehaviour: 'DeleteCacheSubnetGroup is not implemented (HTTP 500)',
    symptom: 'destroy fails on aws_elasticache_subnet_group',
    fix: 'implemented, with CacheSubnetGroupNotFoundFault and CacheSubnetGroupInUse as on AWS',
  },
  {
    patch: 'ecs.steady_state',
    motoBehaviour: 'services never run tasks: runningCount 0 (or MOTO_ECS_SERVICE_RUNNING for every service), rolloutState IN_PROGRESS',
    symptom: 'wait_for_steady_state = true waits out its 20-minute timeout',
    fix: 'each deployment reaches its desired count at once: one PRIMARY deployment, COMPLETED, runningCount = desiredCount',
  },
  {
    patch: 'ecs.create_params',
    motoBehaviour:
      'CreateService drops deploymentConfiguration, enableECSManagedTags, availabilityZoneRebalancing, healthCheckGracePeriodSeconds, enableExecuteCommand, ...',
    symptom: 'deployment_circuit_breaker, enable_ecs_managed_tags, availability_zone_rebalancing, ... show as changes in every plan',
    fix: 'the parameters are stored and returned (UpdateService already kept them)',
  },
  {
    patch: 'ec2.rule_descriptions',
    motoBehaviour: 'DescribeSecurityGroupRules omits Description for rules referencing a security group or a prefix list',
    symptom: 'aws_vpc_security_group_ingress_rule.description shows as a change in every plan',
    fix: 'the description is returned from the referenced group / prefix-list entry',
  },
  {
    patch: 'ec2.prefix_list_weights',
    motoBehaviour:
      'a managed prefix list counts as one rule (AWS counts its weight: 55 for the CloudFront origin-facing list) against the 60 rules of a security group',
    symptom: 'a security group AWS refuses with RulesPerSecurityGroupLimitExceeded (the list referenced on two ports) applies cleanly',
    fix: 'authorizing a rule counts prefix lists by weight and refuses over 60, as AWS does (stricter than moto, never laxer than AWS)',
  },
  {
    patch: 'ec2.security_group_lock',
    motoBehaviour:
      "security-group calls are not atomic across moto's request threads: a rule authorized while another is revoked on the same group can be lost",
    symptom:
      'RevokeSecurityGroupEgress answers InvalidPermission.NotFound for a rule terraform created (apply or destroy fails, only under parallel load)',
    fix: 'every SecurityGroupBackend call runs under one lock, as each AWS call is atomic',
  },
  {
    patch: 'ec2.instance_groups',
    motoBehaviour:
      "an instance launched with its groups on the primary network interface answers SecurityGroups: [] (AWS answers the interface's groups)",
    symptom: 'aws_instance.vpc_security_group_ids (the NAT instance) is re-added in every plan',
    fix: "an instance without groups of its own takes its primary interface's",
  },
  {
    patch: 'cloudfront.readback',
    motoBehaviour:
      'every cache behavior gets ForwardedValues {QueryString: false, Cookies: none}, also one sent with a CachePolicyId; ViewerCertificate.CloudFrontDefaultCertificate defaults to true next to an ACM/IAM certificate',
    symptom:
      'forwarded_values and viewer_certificate.cloudfront_default_certificate show as changes after every apply (reported by cloudfront.e2e.test.ts)',
    fix: 'no ForwardedValues unless sent; CloudFrontDefaultCertificate false when a certificate is given without it',
  },
  {
    patch: 'cloudfront.vpc_origins',
    motoBehaviour: 'no CloudFront VPC origin API at all; Origin drops VpcOriginConfig',
    symptom: 'aws_cloudfront_vpc_origin cannot be created; an origin pointing at it reads back without VpcOriginConfig',
    fix: "Create/Get/Update/Delete/ListVpcOrigins emulated (Deployed at once, ETag per update); VpcOriginConfig kept; CloudFront's service security group CloudFront-VPCOrigins-Service-SG created in the endpoint's VPC with its first VPC origin and deleted with its last (patches/cloudfront_vpc_origin.py)",
  },
  {
    patch: 'ecs.unhealthy_image',
    motoBehaviour: 'emulation, not a gap: moto never runs containers, so no deployment can fail',
    symptom: 'the "apply fails when ECS rolled back" promise could not be exercised',
    fix: 'a task definition whose image contains "e2e-unhealthy" fails its deployment; with the circuit breaker rollback on, the service returns to the previous task definition and reaches a steady state (the silent rollback); each failed deployment leaves a STOPPED task with the reasons ECS gives (stoppedReason, stopCode, the container\'s exit code and reason)',
  },
  {
    patch: 'ecs.network_redeploy',
    motoBehaviour:
      'UpdateService with only a new network configuration starts no deployment (ECS rolls it out with a new deployment of the same task definition)',
    symptom: 'a network change never deploys, so a rollback of a deployment without a new task definition cannot be exercised',
    fix: 'such an update (or a forced new deployment) plays a deployment of the unchanged task definition; emulation: with E2E_ECS_FAIL_REDEPLOYS=1 in the server environment it fails and is rolled back to the same task definition (what only the service events show)',
  },
  {
    patch: 'acm.key_algorithm',
    motoBehaviour: 'RequestCertificate ignores KeyAlgorithm; DescribeCertificate answers RSA_2048',
    symptom: 'an EC_prime256v1 certificate is planned for replacement after every apply (key_algorithm forces replacement)',
    fix: 'the requested algorithm is remembered and reported',
  },
  {
    patch: 'rds.parameter_source',
    motoBehaviour: 'ModifyDBParameterGroup stores parameters without Source',
    symptom: 'the provider keeps only Source=user parameters, so rds.force_ssl is re-added in every plan',
    fix: 'stored parameters carry Source: user, as on AWS',
  },
  {
    patch: 'sqs.redrive_allow_policy',
    motoBehaviour: 'RedriveAllowPolicy is stored but never returned, and GetQueueAttributes refuses the name',
    symptom: 'aws_sqs_queue_redrive_allow_policy waits for the attribute until its timeout (create and delete)',
    fix: 'a regular queue attribute; "" removes it, as on AWS',
  },
  {
    patch: 'sqs.redrive_policy_json',
    motoBehaviour: 'RedrivePolicy is answered as json.dumps with spaces',
    symptom: 'a whitespace-only update of redrive_policy in every second plan',
    fix: 'compact JSON, as AWS answers',
  },
  {
    patch: 'sesv2.dkim_tokens',
    motoBehaviour: 'CreateEmailIdentity (Easy DKIM) answers DkimAttributes without Tokens; LastKeyGenerationTimestamp is an ISO string',
    symptom: 'the three DKIM CNAMEs fail with "index out of range"; the Go SDK cannot parse the timestamp',
    fix: 'three stable 32-character tokens per domain, key length and SigningEnabled; epoch-seconds timestamp',
  },
  {
    patch: 'sesv2.mail_from',
    motoBehaviour:
      'PutEmailIdentityMailFromAttributes is not implemented (and its path is not routed); GetEmailIdentity has no MailFromAttributes',
    symptom: 'aws_sesv2_email_identity_mail_from_attributes fails to create',
    fix: 'stored on the identity and answered (MailFromDomainStatus SUCCESS)',
  },
  {
    patch: 'sesv2.event_destinations',
    motoBehaviour: 'the configuration set event destination calls are not implemented (their paths answer 404 HTML)',
    symptom: 'aws_sesv2_configuration_set_event_destination fails to create',
    fix: 'event destinations kept per configuration set, NotFoundException as in SES v2',
  },
  {
    patch: 'sesv2.configuration_set_shape',
    motoBehaviour: 'GetConfigurationSet answers SendingOptions.SendingEnabled as an object and empty Tracking/Delivery/VdmOptions',
    symptom: 'the Go SDK cannot deserialize the answer; then empty option blocks are planned away in every plan',
    fix: 'a boolean, and options never set are left out',
  },
  {
    patch: 'sesv2.identity_tags',
    motoBehaviour: 'CreateEmailIdentity tags arn:...:email-identity/<name>, not the identity ARN arn:...:identity/<name>',
    symptom: 'tags read back empty and are re-added in every plan',
    fix: 'the real identity ARN is tagged too',
  },
  {
    patch: 'awslambda.logging_config',
    motoBehaviour: 'CreateFunction and UpdateFunctionConfiguration drop LoggingConfig; GetFunction never answers it',
    symptom: 'logging_config (JSON format, own log group) is re-set in every second plan',
    fix: "kept and answered, with AWS's defaults (Text, /aws/lambda/<name>) when none was sent",
  },
  {
    patch: 'awslambda.package_quotas',
    motoBehaviour:
      'CreateFunction, UpdateFunctionCode/Configuration and PublishLayerVersion accept any package size and any number of layers',
    symptom:
      'a zip over 50 MB sent directly, a function over 250 MB unzipped with its layers, or 6+ layers would apply on the emulator and fail on AWS',
    fix: 'RequestEntityTooLargeException (413) over 52,428,800 bytes direct; InvalidParameterValueException over 262,144,000 bytes unzipped (layers included) or over 5 layers (AWS Lambda Developer Guide, "Lambda quotas"; patches/awslambda_quotas.py)',
  },
  {
    patch: '(harness) retry_replay',
    motoBehaviour:
      'under the e2e load an answer sometimes reaches the client too late and the AWS SDK retries the operation (same amz-sdk-invocation-id): moto executes it twice',
    symptom:
      'an event source mapping created twice; a retried delete or revoke fails with "not found" (scaling policy, security group rule, default egress rule)',
    fix: 'test/e2e/moto/retry_replay.py: a retried attempt of a mutating request moto already answered with 2xx gets that answer again (a retry racing its first attempt waits for it)',
  },
  {
    patch: '(harness) skip_requesting_account_id = false',
    motoBehaviour: 'none: with skip_requesting_account_id = true the PROVIDER does not know its account id',
    symptom:
      'referenced_security_group_id reads back as "<account>/sg-..." (forces replacement); ARNs the provider builds lack the account',
    fix: "the provider asks moto's STS (GetCallerIdentity answers 123456789012)",
  },
];

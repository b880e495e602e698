# ---- image registry ------------------------------------------------------------------------------

module "ecr" {
  source       = "../../modules/ecr"
  name         = local.prefix
  force_delete = !local.protect
}

# ---- the API service -----------------------------------------------------------------------------
# One Fargate task (0.25 vCPU / 0.5 GB, ARM64) behind the ALB; the migration runs as an init container that
# must exit 0 before the app starts. Plain settings go in `environment`; the cache token goes in `secrets`
# (Secrets Manager ARNs the execution role may read, exactly those), never in plain env. The app logs in to
# PostgreSQL as its own role with IAM auth (no password); only the migration container gets the master password.

module "ecs_service" {
  source              = "../../modules/ecs-service"
  name                = local.prefix
  image               = "${module.ecr.repository_url}:${var.image_tag}"
  ecr_repository_arn  = module.ecr.arn
  vpc_id              = module.vpc.vpc_id
  subnet_ids          = module.vpc.app_subnet_ids
  assign_public_ip    = module.vpc.assign_public_ip
  migrate_command     = ["bun", "run", "src/migrate.ts"]
  migrate_environment = module.rds.migration_environment # DATABASE_USER (the owner), DATABASE_AUTH, DATABASE_APP_USER
  migrate_secrets     = module.rds.migration_secrets     # DATABASE_PASSWORD = <managed secret ARN>:password::

  environment = merge(
    { APP_STAGE = var.stage, QUEUE_URL_JOBS = module.jobs_queue.url },
    module.rds.environment,         # DATABASE_HOST, _PORT, _NAME, _USER (the app role), _AUTH (iam), _SSL (verify-full)
    module.elasticache.environment, # REDIS_URL (rediss://)
    module.ses.environment,         # EMAIL_FROM, EMAIL_CONFIGURATION_SET
  )
  secrets = module.elasticache.secrets # REDIS_AUTH_TOKEN = <token secret ARN>

  attach_load_balancer            = true
  target_group_arn                = module.alb.target_group_arn
  load_balancer_security_group_id = module.alb.security_group_id
  load_balancer_arn_suffix        = module.alb.arn_suffix
  target_group_arn_suffix         = module.alb.target_group_arn_suffix

  # Tasks can register only once the listener forwards to the target group.
  depends_on = [module.alb]
}

# The task role (the app's identity) may send to and consume "jobs", and nothing else; sending email is
# granted by module "ses" (sender_role_names). The queue uses SSE-SQS, so no KMS permission is needed.
resource "aws_iam_role_policy" "jobs_queue" {
  name = "jobs-queue"
  role = module.ecs_service.task_role_name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "SendJobs"
        Effect   = "Allow"
        Action   = ["sqs:SendMessage", "sqs:GetQueueAttributes"]
        Resource = [module.jobs_queue.arn]
      },
      {
        Sid      = "ConsumeJobs"
        Effect   = "Allow"
        Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
        Resource = [module.jobs_queue.arn]
      },
    ]
  })
}

# The app logs in to PostgreSQL as its own role (module.rds.app_username) with IAM auth tokens.
resource "aws_iam_role_policy" "database_connect" {
  name = "database-connect"
  role = module.ecs_service.task_role_name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "ConnectAsAppRole", Effect = "Allow", Action = ["rds-db:connect"], Resource = [module.rds.app_connect_arn] }]
  })
}

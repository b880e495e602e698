# ---- database ------------------------------------------------------------------------------------
# Postgres on db.t4g.micro: encrypted gp3, TLS forced, 7 days of backups, a final snapshot on delete, and a
# master password RDS generates and keeps in Secrets Manager (it never reaches the Terraform state).
# Only the service's security group may connect.

module "rds" {
  source                     = "../../modules/rds"
  name                       = local.prefix
  vpc_id                     = module.vpc.vpc_id
  subnet_ids                 = module.vpc.private_subnet_ids
  allowed_security_group_ids = [module.ecs_service.security_group_id]
  protect                    = local.protect
}

# ---- cache ---------------------------------------------------------------------------------------
# Valkey on cache.t4g.micro: TLS in transit, encrypted at rest, an AUTH token generated into Secrets Manager.
# The token is also in the replication group's state (the provider has no write-only form for it): keep the
# state encrypted and access-controlled (an encrypted S3 backend, or Terraform Cloud).

module "elasticache" {
  source                     = "../../modules/elasticache"
  name                       = local.prefix
  engine                     = "valkey"
  vpc_id                     = module.vpc.vpc_id
  subnet_ids                 = module.vpc.private_subnet_ids
  allowed_security_group_ids = [module.ecs_service.security_group_id]
  protect                    = local.protect
}

# ---- queue ---------------------------------------------------------------------------------------
# "jobs", consumed by the API process itself (an in-process worker with a 30 s job timeout): SSE, and a
# dead-letter queue that receives a message after 3 failed receives and keeps it 14 days.

module "jobs_queue" {
  source                     = "../../modules/sqs"
  name                       = "${local.prefix}-jobs"
  visibility_timeout_seconds = 6 * 30 # at least 6 x the worker timeout
}

# ---- email ---------------------------------------------------------------------------------------
# The SES v2 domain identity for var.domain (Easy DKIM, MAIL FROM mail.<domain>, DMARC), a configuration set
# that publishes bounces and complaints to SNS, and a send-only grant for the service's task role, scoped to
# the identity and the configuration set. Its DNS records go through module "dns" (dns.tf).

module "ses" {
  source            = "../../modules/ses"
  name              = local.prefix
  domain            = var.domain
  sender_role_names = [module.ecs_service.task_role_name]
}

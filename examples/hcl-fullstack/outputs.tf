output "ecr_repository_url" {
  description = "Push the image here."
  value       = module.ecr.repository_url
}

output "ecs_cluster_name" {
  description = "The ECS cluster."
  value       = module.ecs_service.cluster_name
}

output "ecs_service_name" {
  description = "The API service."
  value       = module.ecs_service.service_name
}

output "task_definition_arn" {
  description = "The task definition this apply deployed."
  value       = module.ecs_service.task_definition_arn
}

output "task_role_name" {
  description = "The app's IAM role (queue and email grants are attached to it)."
  value       = module.ecs_service.task_role_name
}

output "service_security_group_id" {
  description = "Security group of the tasks: the only source the database and the cache admit."
  value       = module.ecs_service.security_group_id
}

output "alb_dns_name" {
  description = "The internal load balancer (origin-api.<domain> points here)."
  value       = module.alb.dns_name
}

output "database" {
  description = "The Postgres instance: identifier, host, security group, and the ARN of the RDS-managed master secret."
  value = {
    identifier        = module.rds.identifier
    host              = module.rds.host
    security_group_id = module.rds.security_group_id
    master_secret_arn = module.rds.master_secret_arn
  }
}

output "cache" {
  description = "The Valkey replication group: id, rediss:// URL (no token), security group, and the ARN of the auth token secret."
  value = {
    replication_group_id  = module.elasticache.replication_group_id
    url                   = module.elasticache.url
    security_group_id     = module.elasticache.security_group_id
    auth_token_secret_arn = module.elasticache.auth_token_secret_arn
  }
}

output "jobs_queue" {
  description = "The jobs queue and its dead-letter queue (alarm on the DLQ's ApproximateNumberOfMessagesVisible)."
  value = {
    url      = module.jobs_queue.url
    arn      = module.jobs_queue.arn
    name     = module.jobs_queue.name
    dlq_url  = module.jobs_queue.dlq_url
    dlq_arn  = module.jobs_queue.dlq_arn
    dlq_name = module.jobs_queue.dlq_name
  }
}

output "email" {
  description = "The SES identity: domain, ARN, default sender, configuration set, MAIL FROM domain, DKIM tokens, event topic."
  value = {
    domain                 = module.ses.domain
    identity_arn           = module.ses.identity_arn
    from_address           = module.ses.from_address
    configuration_set_name = module.ses.configuration_set_name
    configuration_set_arn  = module.ses.configuration_set_arn
    mail_from_domain       = module.ses.mail_from_domain
    dkim_tokens            = module.ses.dkim_tokens
    event_topic_arn        = module.ses.event_topic_arn
  }
}

output "dns_validation_records_table" {
  description = "The certificate's validation record (create it first with manual DNS: see dns.tf)."
  value       = module.dns_validation.records_table
}

output "dns_records_table" {
  description = "origin-api.<domain> and the SES records (DKIM, MAIL FROM, DMARC): create them at your DNS host with manual DNS."
  value       = module.dns.records_table
}

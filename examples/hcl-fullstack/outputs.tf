output "ecr_repository_url" {
  description = "Push the image here."
  value       = module.ecr.repository_url
}

output "alb_dns_name" {
  description = "Point origin-api.<domain> here."
  value       = module.alb.dns_name
}

output "ecs_service_name" {
  description = "The API service."
  value       = module.ecs_service.service_name
}

output "ecs_cluster_name" {
  description = "The ECS cluster."
  value       = module.ecs_service.cluster_name
}

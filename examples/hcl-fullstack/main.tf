# The Backplane stack in plain Terraform: the modules under ../../modules composed by hand.
# Applying this creates billable AWS resources (about $52-63/month for this shape: `npx backplane cost`).
#
# Registry forms of the same sources:
#   source = "git::https://github.com/<org>/backplane.git//modules/vpc?ref=v0.1.0"
#   source = "app.terraform.io/<org>/vpc/aws"   version = "~> 0.1"   (private registry)

locals {
  prefix  = "${var.name}-${var.stage}"
  protect = var.stage == "prod"
}

module "vpc" {
  source   = "../../modules/vpc"
  name     = local.prefix
  nat_mode = "none"
}

module "ecr" {
  source       = "../../modules/ecr"
  name         = local.prefix
  force_delete = !local.protect
}

# The origin certificate. With DNS outside Route53, create the validation records it outputs at your DNS host
# (module "dns" below does it for route53/cloudflare, or prints them for manual DNS).
resource "aws_acm_certificate" "origin" {
  domain_name       = "origin-api.${var.domain}"
  validation_method = "DNS"
  key_algorithm     = "EC_prime256v1"
  lifecycle {
    create_before_destroy = true
  }
}

module "alb" {
  source              = "../../modules/alb"
  name                = local.prefix
  vpc_id              = module.vpc.vpc_id
  vpc_cidr            = module.vpc.vpc_cidr
  subnet_ids          = module.vpc.public_subnet_ids
  certificate_arn     = aws_acm_certificate.origin.arn
  deletion_protection = local.protect
}

module "ecs_service" {
  source             = "../../modules/ecs-service"
  name               = local.prefix
  image              = "${module.ecr.repository_url}:${var.image_tag}"
  ecr_repository_arn = module.ecr.arn
  vpc_id             = module.vpc.vpc_id
  subnet_ids         = module.vpc.app_subnet_ids
  assign_public_ip   = module.vpc.assign_public_ip
  migrate_command    = ["bun", "run", "src/migrate.ts"]
  environment        = { APP_STAGE = var.stage }

  attach_load_balancer            = true
  target_group_arn                = module.alb.target_group_arn
  load_balancer_security_group_id = module.alb.security_group_id
  load_balancer_arn_suffix        = module.alb.arn_suffix
  target_group_arn_suffix         = module.alb.target_group_arn_suffix

  # Tasks can register only once the listener forwards to the target group.
  depends_on = [module.alb]
}

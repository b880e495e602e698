# ---- network -------------------------------------------------------------------------------------
# Two AZs, public + private subnets; the service tasks, the database and the cache live in the private ones.

module "vpc" {
  source   = "../../modules/vpc"
  name     = local.prefix
  nat_mode = var.nat_mode
}

# ---- load balancer -------------------------------------------------------------------------------
# Internal (no public address): CloudFront reaches it through the VPC origin in edge.tf. Its security group
# admits only the security group CloudFront creates with the VPC origin (edge.tf), not the public origin-facing
# prefix list; the tasks admit only the ALB.

module "alb" {
  source              = "../../modules/alb"
  name                = local.prefix
  vpc_id              = module.vpc.vpc_id
  vpc_cidr            = module.vpc.vpc_cidr
  subnet_ids          = module.vpc.private_subnet_ids
  internal            = true
  allow_cloudfront    = false
  certificate_arn     = aws_acm_certificate_validation.origin.certificate_arn
  deletion_protection = local.protect
}

# The Backplane stack in plain Terraform: the modules under ../../modules composed by hand.
# Applying this creates billable AWS resources: about $55/month in this shape (NAT instance, internal ALB behind
# a CloudFront VPC origin, db.t4g.micro, cache.t4g.micro, one 0.25 vCPU task); `npx backplane cost` prices a config.
#
#   network.tf  VPC (NAT instance) and the internal load balancer
#   dns.tf      the origin certificate and every DNS record (manual by default, Route53, or Cloudflare)
#   data.tf     Postgres, Valkey, the "jobs" queue with its dead-letter queue, SES
#   compute.tf  ECR and the ECS service, wired to all of the above
#   edge.tf     the existing CloudFront distribution: adopted, /api/* added; how to release it
#
# Registry forms of the same sources (one semantic version for all modules, a git tag vX.Y.Z):
#   source = "git::https://github.com/<org>/backplane.git//modules/vpc?ref=v0.1.0"
#   source  = "app.terraform.io/<org>/vpc/aws"   (private registry)
#   version = "~> 0.1"

locals {
  prefix = "${var.name}-${var.stage}"
  # prod: deletion protection on the database and the load balancer, a final cache snapshot, images kept.
  protect = var.stage == "prod"
  # The name CloudFront connects to (HTTPS, SNI): a record to the ALB, and the ALB certificate is for it.
  origin_name = "origin-api.${var.domain}"
}

variable "name" {
  description = "App name, used in every resource name."
  type        = string
  default     = "shop"
  nullable    = false
}

variable "stage" {
  description = "dev, staging or prod (prod turns on deletion protection for the database and the load balancer, a final cache snapshot, and keeps the ECR images)."
  type        = string
  default     = "dev"
  nullable    = false
  validation {
    condition     = contains(["dev", "staging", "prod"], var.stage)
    error_message = "stage must be one of dev, staging, prod."
  }
}

variable "region" {
  description = "AWS region."
  type        = string
  default     = "us-east-1"
  nullable    = false
}

variable "domain" {
  description = "The site's domain: CloudFront reaches the API at origin-api.<domain>, and SES sends from it."
  type        = string
  default     = "example.com"
  nullable    = false
}

variable "image_tag" {
  description = "Image tag in the ECR repository (prefer a digest for prod)."
  type        = string
  default     = "v1"
  nullable    = false
}

variable "nat_mode" {
  description = "Egress for the private subnets: \"instance\" (a t4g.nano NAT instance), \"gateway\" (managed NAT Gateway, highly available, ~$30/month more) or \"none\" (tasks in public subnets with public IPs, locked by security groups)."
  type        = string
  default     = "instance"
  nullable    = false
  validation {
    condition     = contains(["instance", "gateway", "none"], var.nat_mode)
    error_message = "nat_mode must be one of instance, gateway, none."
  }
}

# ---- the existing CloudFront distribution --------------------------------------------------------

variable "distribution_id" {
  description = "Id of the existing frontend distribution the API is attached to, e.g. \"E2QWRUHAPOMQZL\"."
  type        = string
  nullable    = false
}

variable "distribution_snapshot_file" {
  description = "The distribution's GetDistributionConfig answer ({ ETag, DistributionConfig }): `backplane cloudfront snapshot --id <ID> --out frontend-distribution.json` or `aws cloudfront get-distribution-config --id <ID> > frontend-distribution.json`. Relative to the directory terraform runs in."
  type        = string
  default     = "frontend-distribution.json"
  nullable    = false
}

variable "attach_api" {
  description = "Add the API origin and the /api/* behavior to the distribution; false puts the distribution back to the snapshot (step 1 of removing the backend, see edge.tf)."
  type        = bool
  default     = true
  nullable    = false
}

# ---- DNS --------------------------------------------------------------------------------------------

variable "dns_provider" {
  description = "Where the DNS records go: \"manual\" (listed in the dns_records outputs, you create them), \"route53\" (created in dns_zone_id) or \"cloudflare\" (see dns.tf)."
  type        = string
  default     = "manual"
  nullable    = false
  validation {
    condition     = contains(["manual", "route53", "cloudflare"], var.dns_provider)
    error_message = "dns_provider must be one of manual, route53, cloudflare."
  }
}

variable "dns_zone_id" {
  description = "The Route53 hosted zone id (dns_provider \"route53\") or the Cloudflare zone id (\"cloudflare\"); null for manual DNS."
  type        = string
  default     = null
}

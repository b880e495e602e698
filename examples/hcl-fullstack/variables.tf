variable "name" {
  description = "App name, used in every resource name."
  type        = string
  default     = "shop"
}

variable "stage" {
  description = "dev, staging or prod (prod turns on deletion protection)."
  type        = string
  default     = "dev"
  validation {
    condition     = contains(["dev", "staging", "prod"], var.stage)
    error_message = "stage must be one of dev, staging, prod."
  }
}

variable "region" {
  description = "AWS region."
  type        = string
  default     = "us-east-1"
}

variable "domain" {
  description = "The site's domain; the ALB origin is origin-api.<domain>."
  type        = string
  default     = "example.com"
}

variable "image_tag" {
  description = "Image tag in the ECR repository (prefer a digest for prod)."
  type        = string
  default     = "v1"
}

terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.70"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.0"
    }
  }

  # Keep the state remote and locked in a real deployment, e.g.:
  # backend "s3" { bucket = "…-terraform-state", key = "meridian/terraform.tfstate", region = "eu-west-1", use_lockfile = true }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}

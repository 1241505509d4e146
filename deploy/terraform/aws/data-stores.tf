# The three engines Meridian's split roles run on, private to the VPC, reachable only from the EKS nodes and pods
# (the cluster security group), encrypted at rest and in transit. Their passwords are generated here and handed to
# Meridian through Secrets Manager (secrets.tf), never through a file in the repository.

resource "aws_security_group" "data_stores" {
  name        = "${var.name}-data-stores"
  description = "PostgreSQL, Redis and RabbitMQ, from the EKS cluster only"
  vpc_id      = aws_vpc.this.id
}

resource "aws_vpc_security_group_ingress_rule" "data_stores" {
  for_each = { postgresql = 5432, redis = 6379, amqps = 5671 }

  security_group_id            = aws_security_group.data_stores.id
  referenced_security_group_id = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = each.value
  to_port                      = each.value
  description                  = each.key
}

# ---- PostgreSQL 15 with PostGIS (RDS ships the extension; CREATE EXTENSION postgis once, deploy/terraform/aws/README.md)

resource "random_password" "db" {
  length  = 32
  special = false
}

resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_db_parameter_group" "this" {
  name   = "${var.name}-postgres15"
  family = "postgres15"

  # TLS only; Meridian's connection strings say SSL Mode=Require.
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  # lz4 for the job store's inputs and results (README, "The message bus and the workers").
  parameter {
    name  = "default_toast_compression"
    value = "lz4"
  }
}

resource "aws_db_instance" "this" {
  identifier                   = var.name
  engine                       = "postgres"
  engine_version               = var.db_engine_version
  instance_class               = var.db_instance_class
  allocated_storage            = var.db_allocated_storage
  max_allocated_storage        = var.db_max_allocated_storage
  storage_type                 = "gp3"
  storage_encrypted            = true
  db_name                      = "meridian"
  username                     = "meridian"
  password                     = random_password.db.result
  db_subnet_group_name         = aws_db_subnet_group.this.name
  parameter_group_name         = aws_db_parameter_group.this.name
  vpc_security_group_ids       = [aws_security_group.data_stores.id]
  multi_az                     = true
  publicly_accessible          = false
  backup_retention_period      = var.db_backup_retention_days
  deletion_protection          = var.deletion_protection
  skip_final_snapshot          = !var.deletion_protection
  final_snapshot_identifier    = var.deletion_protection ? "${var.name}-final" : null
  auto_minor_version_upgrade   = true
  performance_insights_enabled = true
  copy_tags_to_snapshot        = true
}

# ---- Redis: the shared cache (L2, collection versions) and the gateways' rate-limit and release state

resource "random_password" "redis" {
  length  = 48
  special = false
}

resource "aws_elasticache_subnet_group" "this" {
  name       = var.name
  subnet_ids = aws_subnet.private[*].id
}

# A cache: least recently used keys go first, nothing persisted (README, "Caching").
resource "aws_elasticache_parameter_group" "this" {
  name   = "${var.name}-redis7"
  family = "redis7"

  parameter {
    name  = "maxmemory-policy"
    value = "allkeys-lru"
  }
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id       = var.name
  description                = "Meridian cache and gateway state"
  engine                     = "redis"
  engine_version             = "7.1"
  node_type                  = var.redis_node_type
  num_cache_clusters         = 2
  automatic_failover_enabled = true
  multi_az_enabled           = true
  subnet_group_name          = aws_elasticache_subnet_group.this.name
  parameter_group_name       = aws_elasticache_parameter_group.this.name
  security_group_ids         = [aws_security_group.data_stores.id]
  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  auth_token                 = random_password.redis.result
  port                       = 6379
}

# ---- RabbitMQ: the job queue (durable queues, confirms, dead letters)

resource "random_password" "mq" {
  length  = 32
  special = false
}

resource "aws_mq_broker" "this" {
  broker_name                = var.name
  engine_type                = "RabbitMQ"
  engine_version             = var.mq_engine_version
  host_instance_type         = var.mq_instance_type
  deployment_mode            = "CLUSTER_MULTI_AZ"
  subnet_ids                 = aws_subnet.private[*].id
  security_groups            = [aws_security_group.data_stores.id]
  publicly_accessible        = false
  auto_minor_version_upgrade = true

  user {
    username = "meridian"
    password = random_password.mq.result
  }

  logs {
    general = true
  }
}

# A message in the dead-letter queue failed its handler five times and waits for a person
# (deploy/observability/prometheus/platform.rules.yml says the same where RabbitMQ's own exporter is scraped).
resource "aws_cloudwatch_metric_alarm" "dead_letters" {
  alarm_name          = "${var.name}-job-dead-letters"
  alarm_description   = "Messages in meridian.jobs.dead: jobs whose handler failed five times"
  namespace           = "AWS/AmazonMQ"
  metric_name         = "MessageCount"
  dimensions          = { Broker = aws_mq_broker.this.broker_name, VirtualHost = "/", Queue = "meridian.jobs.dead" }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_topic_arn == "" ? [] : [var.alarm_topic_arn]
}

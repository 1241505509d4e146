# Meridian's secrets, one Secrets Manager secret per Kubernetes Secret of deploy/k8s/overlays/split, with the same
# keys (MERIDIAN__… environment variables; tests/Meridian.Deploy.Tests checks they match the *.secret.example files).
# Sync them into the namespace with the External Secrets Operator or the Secrets Store CSI driver (README.md here).

locals {
  postgres_connection_string = join(";", [
    "Host=${aws_db_instance.this.address}", "Port=${aws_db_instance.this.port}", "Username=${aws_db_instance.this.username}",
    "Password=${random_password.db.result}", "Database=${aws_db_instance.this.db_name}", "SSL Mode=Require",
  ])
  redis_configuration = "${aws_elasticache_replication_group.this.primary_endpoint_address}:6379,ssl=true,password=${random_password.redis.result}"
  # The broker's endpoint is amqps://HOST:5671; the credentials go in front of the host.
  rabbitmq_uri = replace(aws_mq_broker.this.instances[0].endpoints[0], "amqps://", "amqps://meridian:${random_password.mq.result}@")
}

resource "aws_secretsmanager_secret" "meridian" {
  name_prefix             = "${var.name}/roles-"
  description             = "Settings of every Meridian role but the gateway (Kubernetes Secret meridian)"
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "meridian" {
  secret_id = aws_secretsmanager_secret.meridian.id
  secret_string = jsonencode({
    MERIDIAN__PostGis__ConnectionString            = local.postgres_connection_string
    MERIDIAN__Gateway__Auth__KeysConnectionString = local.postgres_connection_string
    MERIDIAN__Messaging__RabbitMq                  = local.rabbitmq_uri
    MERIDIAN__Cache__Redis                         = local.redis_configuration
  })
}

resource "aws_secretsmanager_secret" "gateway" {
  name_prefix             = "${var.name}/gateway-"
  description             = "Settings of the Meridian gateway (Kubernetes Secret meridian-gateway)"
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "gateway" {
  secret_id = aws_secretsmanager_secret.gateway.id
  secret_string = jsonencode({
    MERIDIAN__Gateway__Auth__KeysConnectionString = local.postgres_connection_string
    MERIDIAN__Gateway__RedisConnectionString      = local.redis_configuration
  })
}

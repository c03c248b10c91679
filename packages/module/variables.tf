# ---- function ------------------------------------------------------------------------------------------------

variable "name" {
  description = "Name of the Lambda function; also the default name of its role, log group, ECR repository and alarms. Lowercase letters, digits, '-' and '_'."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_-]{0,63}$", var.name))
    error_message = "name must be 1-64 lowercase letters, digits, '-' or '_', starting with a letter or digit."
  }
}

variable "description" {
  description = "Description of the Lambda function."
  type        = string
  default     = "Runs Terraform / OpenTofu on request (tf-lambda)"
}

variable "timeout" {
  description = "Function timeout in seconds (1-900). The runtime interrupts terraform gracefully before it."
  type        = number
  default     = 900

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "timeout must be a whole number of seconds from 1 to 900."
  }
}

variable "memory_size" {
  description = "Function memory in MB (128-10240); CPU grows with it."
  type        = number
  default     = 2048

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "memory_size must be a whole number of MB from 128 to 10240."
  }
}

variable "ephemeral_storage_size" {
  description = "Size of /tmp in MB (512-10240): workspaces and the provider plugin cache live there."
  type        = number
  default     = 2048

  validation {
    condition     = var.ephemeral_storage_size >= 512 && var.ephemeral_storage_size <= 10240 && floor(var.ephemeral_storage_size) == var.ephemeral_storage_size
    error_message = "ephemeral_storage_size must be a whole number of MB from 512 to 10240."
  }
}

variable "architecture" {
  description = "Instruction set of the function and of the image built for it: x86_64 or arm64."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be x86_64 or arm64."
  }
}

variable "environment_variables" {
  description = "Extra environment variables of the function (e.g. TF_LAMBDA_* runtime settings); they win over the module's own."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for name in keys(var.environment_variables) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", name)) && !startswith(name, "AWS_")])
    error_message = "environment_variables names must be identifiers and may not start with AWS_ (reserved by Lambda)."
  }
}

variable "deadline_grace_milliseconds" {
  description = "How long before the invocation deadline the runtime interrupts terraform (TF_LAMBDA_DEADLINE_GRACE_MS); null keeps the runtime's default."
  type        = number
  default     = null

  validation {
    condition     = var.deadline_grace_milliseconds == null || try(var.deadline_grace_milliseconds >= 1000 && var.deadline_grace_milliseconds <= 300000, false)
    error_message = "deadline_grace_milliseconds must be from 1000 to 300000."
  }
}

variable "log_bytes" {
  description = "Cap on the terraform log returned in a result (TF_LAMBDA_LOG_BYTES); null keeps the runtime's default."
  type        = number
  default     = null

  validation {
    condition     = var.log_bytes == null || try(var.log_bytes >= 1024 && var.log_bytes <= 5242880, false)
    error_message = "log_bytes must be from 1024 to 5242880 (the response must stay under Lambda's 6 MB limit)."
  }
}

variable "tracing_mode" {
  description = "X-Ray tracing: null (off), PassThrough or Active (also attaches AWSXRayDaemonWriteAccess to the created role)."
  type        = string
  default     = null

  validation {
    condition     = var.tracing_mode == null || contains(["PassThrough", "Active"], coalesce(var.tracing_mode, "-"))
    error_message = "tracing_mode must be null, PassThrough or Active."
  }
}

variable "reserved_concurrent_executions" {
  description = "Reserved concurrency: -1 for none, 0 to stop all invocations, or a number of concurrent runs."
  type        = number
  default     = -1

  validation {
    condition     = var.reserved_concurrent_executions >= -1 && floor(var.reserved_concurrent_executions) == var.reserved_concurrent_executions
    error_message = "reserved_concurrent_executions must be -1, 0 or a positive whole number."
  }
}

variable "function_kms_key_arn" {
  description = "KMS key that encrypts the function's environment variables; null uses the AWS managed key."
  type        = string
  default     = null

  validation {
    condition     = var.function_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.function_kms_key_arn))
    error_message = "function_kms_key_arn must be a KMS key ARN."
  }
}

# ---- asynchronous invocation (schedules, events) ---------------------------------------------------------------

variable "maximum_retry_attempts" {
  description = "Retries of a failed asynchronous invocation (0-2). 0 by default: re-running apply on its own is rarely wanted."
  type        = number
  default     = 0

  validation {
    condition     = contains([0, 1, 2], var.maximum_retry_attempts)
    error_message = "maximum_retry_attempts must be 0, 1 or 2."
  }
}

variable "maximum_event_age_in_seconds" {
  description = "How long an asynchronous invocation may wait in the queue (60-21600 seconds)."
  type        = number
  default     = 3600

  validation {
    condition     = var.maximum_event_age_in_seconds >= 60 && var.maximum_event_age_in_seconds <= 21600
    error_message = "maximum_event_age_in_seconds must be from 60 to 21600."
  }
}

variable "failure_destination_arn" {
  description = "Where failed asynchronous runs go (SQS queue, SNS topic, Lambda function, EventBridge bus or S3 bucket ARN); the created role may send there."
  type        = string
  default     = null

  validation {
    condition     = var.failure_destination_arn == null || can(regex("^arn:aws[a-z-]*:(sqs|sns|lambda|events|s3):", var.failure_destination_arn))
    error_message = "failure_destination_arn must be an SQS, SNS, Lambda, EventBridge or S3 ARN."
  }
}

variable "success_destination_arn" {
  description = "Where successful asynchronous runs go, with their result (e.g. an EventBridge bus, for drift notifications); the created role may send there."
  type        = string
  default     = null

  validation {
    condition     = var.success_destination_arn == null || can(regex("^arn:aws[a-z-]*:(sqs|sns|lambda|events|s3):", var.success_destination_arn))
    error_message = "success_destination_arn must be an SQS, SNS, Lambda, EventBridge or S3 ARN."
  }
}

# ---- image -----------------------------------------------------------------------------------------------------

variable "create_ecr_repository" {
  description = "Create the ECR repository the image is pushed to."
  type        = bool
  default     = true
}

variable "ecr_repository_name" {
  description = "Name of the created ECR repository; null uses var.name."
  type        = string
  default     = null

  validation {
    condition     = var.ecr_repository_name == null || can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$", var.ecr_repository_name))
    error_message = "ecr_repository_name must be a valid ECR repository name (lowercase)."
  }
}

variable "ecr_repository_url" {
  description = "URL of an existing ECR repository, used when create_ecr_repository is false and create_image is true."
  type        = string
  default     = null
}

variable "ecr_image_tag_mutability" {
  description = "MUTABLE or IMMUTABLE. Tags are content hashes, so IMMUTABLE loses nothing."
  type        = string
  default     = "IMMUTABLE"

  validation {
    condition     = contains(["MUTABLE", "IMMUTABLE"], var.ecr_image_tag_mutability)
    error_message = "ecr_image_tag_mutability must be MUTABLE or IMMUTABLE."
  }
}

variable "ecr_keep_images" {
  description = "How many images the repository's lifecycle policy keeps (1-1000); older ones expire."
  type        = number
  default     = 10

  validation {
    condition     = var.ecr_keep_images >= 1 && var.ecr_keep_images <= 1000 && floor(var.ecr_keep_images) == var.ecr_keep_images
    error_message = "ecr_keep_images must be a whole number from 1 to 1000."
  }
}

variable "ecr_kms_key_arn" {
  description = "KMS key for the repository's encryption; null uses AES256."
  type        = string
  default     = null

  validation {
    condition     = var.ecr_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.ecr_kms_key_arn))
    error_message = "ecr_kms_key_arn must be a KMS key ARN."
  }
}

variable "ecr_force_delete" {
  description = "Delete the repository on destroy even when it still holds images."
  type        = bool
  default     = false
}

variable "create_image" {
  description = "Build the image with the docker provider (a Docker engine on the machine running terraform) and push it; false uses image_uri."
  type        = bool
  default     = true
}

variable "image_uri" {
  description = "An image already pushed (repository@sha256:digest or repository:tag), used when create_image is false."
  type        = string
  default     = null
}

variable "keep_image_locally" {
  description = "Keep the built image in the local Docker engine after the push."
  type        = bool
  default     = false
}

variable "terraform_distribution" {
  description = "Which CLI the image runs: terraform (hashicorp/terraform image) or opentofu (ghcr.io/opentofu/opentofu image)."
  type        = string
  default     = "terraform"

  validation {
    condition     = contains(["terraform", "opentofu"], var.terraform_distribution)
    error_message = "terraform_distribution must be terraform or opentofu."
  }
}

variable "terraform_version" {
  description = "Tag of the hashicorp/terraform image the terraform binary comes from (terraform_distribution = terraform)."
  type        = string
  default     = "1.11.4"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+(\\.[0-9]+)?(-[0-9A-Za-z.]+)?$", var.terraform_version))
    error_message = "terraform_version must be a version such as 1.11.4 or 1.11."
  }
}

variable "opentofu_version" {
  description = "Tag of the ghcr.io/opentofu/opentofu image the tofu binary comes from (terraform_distribution = opentofu)."
  type        = string
  default     = "1.9.0"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+(\\.[0-9]+)?(-[0-9A-Za-z.]+)?$", var.opentofu_version))
    error_message = "opentofu_version must be a version such as 1.9.0 or 1.9."
  }
}

variable "node_version" {
  description = "Node.js major version of the image (20 or later)."
  type        = string
  default     = "20"

  validation {
    condition     = can(regex("^[0-9]+$", var.node_version)) && try(tonumber(var.node_version) >= 20, false)
    error_message = "node_version must be a major version, 20 or later."
  }
}

variable "bundled_code_path" {
  description = "Directory of a Terraform configuration to bake into the image (run when a request carries no code); null bundles none."
  type        = string
  default     = null
}

variable "preinstall_providers" {
  description = "Mirror the bundled code's providers into the image (terraform providers mirror) so init needs no internet access for them."
  type        = bool
  default     = false
}

variable "build_context_path" {
  description = "Docker build context; it must contain this module's tf-lambda checkout and bundled_code_path. null: the checkout when it holds the code (or none is bundled), else the root module's directory."
  type        = string
  default     = null
}

# ---- IAM -------------------------------------------------------------------------------------------------------

variable "create_role" {
  description = "Create the function's execution role; false uses role_arn."
  type        = bool
  default     = true
}

variable "role_arn" {
  description = "An existing execution role, used when create_role is false."
  type        = string
  default     = null

  validation {
    condition     = var.role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", var.role_arn))
    error_message = "role_arn must be an IAM role ARN."
  }
}

variable "role_name" {
  description = "Name of the created role; null uses var.name."
  type        = string
  default     = null

  validation {
    condition     = var.role_name == null || can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.role_name))
    error_message = "role_name must be 1-64 characters of letters, digits and +=,.@_-."
  }
}

variable "role_permissions_boundary_arn" {
  description = "Permissions boundary of the created role."
  type        = string
  default     = null

  validation {
    condition     = var.role_permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/", var.role_permissions_boundary_arn))
    error_message = "role_permissions_boundary_arn must be an IAM policy ARN."
  }
}

variable "policy_arns" {
  description = "Managed policies attached to the created role: what the Terraform code the function runs may manage."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.policy_arns : can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/", arn))])
    error_message = "policy_arns must hold IAM policy ARNs."
  }
}

variable "policy_json" {
  description = "An inline policy (JSON) for the created role: what the Terraform code the function runs may manage."
  type        = string
  default     = null

  validation {
    condition     = var.policy_json == null || can(jsondecode(var.policy_json).Statement)
    error_message = "policy_json must be a JSON policy document with a Statement."
  }
}

variable "assume_role_arns" {
  description = "Roles (e.g. in other accounts) the function may assume with sts:AssumeRole, for multi-account runs."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.assume_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", arn))])
    error_message = "assume_role_arns must hold IAM role ARNs (no wildcards in the account)."
  }
}

# ---- logs ------------------------------------------------------------------------------------------------------

variable "cloudwatch_logs_retention_in_days" {
  description = "Retention of the function's log group, one of CloudWatch's values (0 keeps logs forever)."
  type        = number
  default     = 30

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.cloudwatch_logs_retention_in_days)
    error_message = "cloudwatch_logs_retention_in_days must be one of 0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "cloudwatch_logs_kms_key_arn" {
  description = "KMS key that encrypts the log group (its key policy must allow CloudWatch Logs)."
  type        = string
  default     = null

  validation {
    condition     = var.cloudwatch_logs_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.cloudwatch_logs_kms_key_arn))
    error_message = "cloudwatch_logs_kms_key_arn must be a KMS key ARN."
  }
}

# ---- network ---------------------------------------------------------------------------------------------------

variable "vpc_subnet_ids" {
  description = "Subnets to run the function in; empty runs it outside any VPC. Without a NAT gateway, add VPC endpoints and preinstall_providers."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.vpc_subnet_ids : can(regex("^subnet-[0-9a-f]+$", id))])
    error_message = "vpc_subnet_ids must hold subnet IDs (subnet-...)."
  }
}

variable "create_security_group" {
  description = "Create a security group (HTTPS out only) for a function in a VPC."
  type        = bool
  default     = true
}

variable "security_group_ids" {
  description = "Existing security groups for a function in a VPC, in addition to the created one."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.security_group_ids : can(regex("^sg-[0-9a-f]+$", id))])
    error_message = "security_group_ids must hold security group IDs (sg-...)."
  }
}

variable "security_group_egress_cidr_blocks" {
  description = "IPv4 ranges the created security group allows HTTPS (443) to."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = alltrue([for cidr in var.security_group_egress_cidr_blocks : can(cidrhost(cidr, 0))])
    error_message = "security_group_egress_cidr_blocks must hold IPv4 CIDR blocks."
  }
}

# ---- storage ---------------------------------------------------------------------------------------------------

variable "create_bucket" {
  description = "Create an S3 bucket for staged code and run artifacts (encrypted, versioned, private); the role may read and write it."
  type        = bool
  default     = false
}

variable "bucket_name" {
  description = "Name of the created bucket; null derives a unique one from var.name."
  type        = string
  default     = null

  validation {
    condition     = var.bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name."
  }
}

variable "bucket_force_destroy" {
  description = "Delete the bucket on destroy even when it holds objects."
  type        = bool
  default     = false
}

variable "bucket_kms_key_arn" {
  description = "KMS key for the bucket's default encryption; null uses SSE-S3 (AES256)."
  type        = string
  default     = null

  validation {
    condition     = var.bucket_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.bucket_kms_key_arn))
    error_message = "bucket_kms_key_arn must be a KMS key ARN."
  }
}

variable "bucket_staging_prefix" {
  description = "Key prefix of staged code in the bucket; objects under it expire."
  type        = string
  default     = "staging/"

  validation {
    condition     = can(regex("^[A-Za-z0-9!_.*'()/-]+/$", var.bucket_staging_prefix))
    error_message = "bucket_staging_prefix must be a key prefix ending in '/'."
  }
}

variable "bucket_staging_expiration_days" {
  description = "Days after which staged code expires (1-3650)."
  type        = number
  default     = 7

  validation {
    condition     = var.bucket_staging_expiration_days >= 1 && var.bucket_staging_expiration_days <= 3650
    error_message = "bucket_staging_expiration_days must be from 1 to 3650."
  }
}

variable "bucket_noncurrent_version_expiration_days" {
  description = "Days after which noncurrent object versions expire (1-3650)."
  type        = number
  default     = 30

  validation {
    condition     = var.bucket_noncurrent_version_expiration_days >= 1 && var.bucket_noncurrent_version_expiration_days <= 3650
    error_message = "bucket_noncurrent_version_expiration_days must be from 1 to 3650."
  }
}

# ---- alarms ----------------------------------------------------------------------------------------------------

variable "create_alarms" {
  description = "Create CloudWatch alarms on Errors and on Duration near the timeout, notifying an SNS topic."
  type        = bool
  default     = false
}

variable "alarm_sns_topic_arn" {
  description = "SNS topic the alarms notify; null creates one named after var.name."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_sns_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:", var.alarm_sns_topic_arn))
    error_message = "alarm_sns_topic_arn must be an SNS topic ARN."
  }
}

variable "alarm_sns_topic_kms_key_id" {
  description = "KMS key of the created alarm topic (e.g. alias/aws/sns); null leaves it unencrypted."
  type        = string
  default     = null
}

variable "alarm_errors_threshold" {
  description = "The Errors alarm fires when the errors in one period exceed this number."
  type        = number
  default     = 0

  validation {
    condition     = var.alarm_errors_threshold >= 0
    error_message = "alarm_errors_threshold must be 0 or more."
  }
}

variable "alarm_duration_threshold_percent" {
  description = "The Duration alarm fires when a run takes longer than this percentage of the timeout (1-100)."
  type        = number
  default     = 80

  validation {
    condition     = var.alarm_duration_threshold_percent >= 1 && var.alarm_duration_threshold_percent <= 100
    error_message = "alarm_duration_threshold_percent must be from 1 to 100."
  }
}

variable "alarm_period_seconds" {
  description = "Period of the alarms' metrics in seconds (a multiple of 60)."
  type        = number
  default     = 300

  validation {
    condition     = var.alarm_period_seconds >= 60 && var.alarm_period_seconds % 60 == 0
    error_message = "alarm_period_seconds must be a multiple of 60."
  }
}

variable "alarm_evaluation_periods" {
  description = "Periods the alarms evaluate (1-100)."
  type        = number
  default     = 1

  validation {
    condition     = var.alarm_evaluation_periods >= 1 && var.alarm_evaluation_periods <= 100
    error_message = "alarm_evaluation_periods must be from 1 to 100."
  }
}

# ---- schedules -------------------------------------------------------------------------------------------------

variable "schedules" {
  description = "Scheduled runs: EventBridge rules invoking the function with payload (a tf-lambda/v1 request or an article payload; a string is sent as JSON text, anything else is encoded). Payloads of different shapes unify badly in one list: pass those as jsonencode(...) strings."
  type = list(object({
    name                = string
    schedule_expression = string
    payload             = any
    description         = optional(string)
    enabled             = optional(bool, true)
  }))
  default = []

  validation {
    condition     = alltrue([for schedule in var.schedules : can(regex("^[A-Za-z0-9_.-]{1,48}$", schedule.name))])
    error_message = "Each schedule name must be 1-48 letters, digits, '.', '_' or '-'."
  }

  validation {
    condition     = length(distinct([for schedule in var.schedules : schedule.name])) == length(var.schedules)
    error_message = "Schedule names must be unique."
  }

  validation {
    condition     = alltrue([for schedule in var.schedules : can(regex("^(rate|cron)\\(.+\\)$", schedule.schedule_expression))])
    error_message = "Each schedule_expression must be rate(...) or cron(...)."
  }
}

variable "tags" {
  description = "Tags for every resource the module creates."
  type        = map(string)
  default     = {}
}

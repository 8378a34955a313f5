variable "name" {
  description = "Name prefix of the inference platform"
  type        = string
  default     = "llm-inference"
}

variable "metadata_options" {
  description = "Instance metadata settings of the GPU nodes"
  type = object({
    http_tokens                 = string
    http_put_response_hop_limit = number
  })
  default = {
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
}

variable "admin_cidr" {
  description = "Network allowed to reach the Ray dashboard (no default: set per environment)"
  type        = string
}

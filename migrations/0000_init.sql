CREATE TABLE `fallback_chain_targets` (
	`chain_id` text NOT NULL,
	`position` integer NOT NULL,
	`provider_id` text NOT NULL,
	`upstream_model` text,
	PRIMARY KEY(`chain_id`, `position`),
	FOREIGN KEY (`chain_id`) REFERENCES `fallback_chains`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`provider_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `fallback_chain_targets_provider` ON `fallback_chain_targets` (`provider_id`);--> statement-breakpoint
CREATE TABLE `fallback_chains` (
	`id` text PRIMARY KEY NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `model_mappings` (
	`id` text PRIMARY KEY NOT NULL,
	`alias` text NOT NULL,
	`provider_id` text,
	`upstream_model` text,
	`fallback_chain_id` text,
	`max_output_tokens` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`provider_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`fallback_chain_id`) REFERENCES `fallback_chains`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `model_mappings_alias` ON `model_mappings` (lower("alias"));--> statement-breakpoint
CREATE TABLE `providers` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`base_url` text NOT NULL,
	`api_key` text,
	`headers` text DEFAULT '{}' NOT NULL,
	`connect_timeout_ms` integer,
	`headers_timeout_ms` integer,
	`idle_timeout_ms` integer,
	`request_timeout_ms` integer,
	`max_retries` integer,
	`breaker_failure_threshold` integer,
	`breaker_open_ms` integer,
	`health_check_interval_ms` integer,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);

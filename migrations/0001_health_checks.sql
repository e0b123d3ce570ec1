CREATE TABLE `health_check_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`provider_id` text NOT NULL,
	`models` text DEFAULT '[]' NOT NULL,
	`concurrency` integer NOT NULL,
	`timeout_ms` integer NOT NULL,
	`state` text NOT NULL,
	`error` text DEFAULT '' NOT NULL,
	`scheduled` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`ended_at` integer,
	FOREIGN KEY (`provider_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `health_check_jobs_provider` ON `health_check_jobs` (`provider_id`,`id`);--> statement-breakpoint
CREATE INDEX `health_check_jobs_state` ON `health_check_jobs` (`state`);--> statement-breakpoint
CREATE TABLE `health_check_results` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` text NOT NULL,
	`model` text NOT NULL,
	`healthy` integer NOT NULL,
	`latency_ms` integer NOT NULL,
	`http_status` integer NOT NULL,
	`error` text DEFAULT '' NOT NULL,
	`checked_at` integer NOT NULL,
	FOREIGN KEY (`job_id`) REFERENCES `health_check_jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `health_check_results_job_model` ON `health_check_results` (`job_id`,`model`);